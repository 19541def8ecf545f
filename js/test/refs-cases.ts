// Refs and history (issue 18): branches, tags, the commits they point to and a revision's
// history, against the local Hub; the same in Node, Chromium and workerd.
import { assert, countingFetch, drain, eq, expectHubError, freshRepo, type C, refusingFetch } from "./helpers.js";
import type { Case } from "./support/types.js";
import type { Hub } from "./helpers.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });

/** A fresh repo with `n` commits on main after the Hub's initial one; their ids, oldest first. */
async function repoWithCommits(c: C, prefix: string, n: number): Promise<{ repo: string; commits: string[] }> {
	const repo = await freshRepo(c, prefix);
	const commits: string[] = [];
	for (let i = 0; i < n; i++) {
		const out = await c.hub.uploadFile({ ...auth(c), repo, file: { path: `f${i}.txt`, content: new Blob([`${i}\n`]) }, commitTitle: `add f${i}` });
		commits.push(out.commit.oid);
	}
	return { repo, commits };
}


export const refsCases: Case<Hub>[] = [
	{
		name: "branches: created from a revision, listed with their commits, moved only with overwrite, deleted",
		async run(c) {
			const { repo, commits } = await repoWithCommits(c, "branches", 2);
			const at = { ...auth(c), repo };
			await c.hub.createBranch({ ...at, branch: "dev", revision: commits[0] });
			let refs = await c.hub.listRepoRefs(at);
			const dev = refs.branches.find((b) => b.name === "dev");
			eq(dev, { name: "dev", ref: "refs/heads/dev", targetCommit: commits[0]! }, "dev starts at the first upload");
			eq(refs.branches.find((b) => b.name === "main")?.targetCommit, commits[1], "main is where it was");
			eq(refs.pullRequests, undefined, "no PR refs unless asked");
			eq(await c.hub.resolveRevision({ ...at, revision: "dev" }), commits[0], "dev resolves to its commit");

			await expectHubError(c.hub.createBranch({ ...at, branch: "dev" }), c.hub, "Conflict", "an existing branch");
			await c.hub.createBranch({ ...at, branch: "dev", overwrite: true });
			eq(await c.hub.resolveRevision({ ...at, revision: "dev" }), commits[1], "overwrite moves dev to main");

			await c.hub.createBranch({ ...at, branch: "feature/empty", empty: true });
			const empty = await c.hub.resolveRevision({ ...at, revision: "feature/empty" });
			assert(!commits.includes(empty), "an empty branch has a commit of its own");
			eq((await drain(c.hub.listFiles({ ...at, revision: "feature/empty" }))).length, 0, "and no files");

			await c.hub.deleteBranch({ ...at, branch: "dev" });
			await c.hub.deleteBranch({ ...at, branch: "feature/empty" });
			refs = await c.hub.listRepoRefs(at);
			eq(refs.branches.map((b) => b.name), ["main"], "only main is left");
			await expectHubError(c.hub.deleteBranch({ ...at, branch: "dev" }), c.hub, "RevisionNotFound", "a deleted branch");
			await expectHubError(c.hub.createBranch({ ...at, branch: "x", revision: "no-such-branch" }), c.hub, "RevisionNotFound", "an unknown start");
			await expectHubError(c.hub.deleteBranch({ ...at, branch: "main" }), c.hub, "Forbidden", "main");
		},
	},
	{
		name: "tags: a revision tagged with a message, listed, refused twice, deleted; revisionExists",
		async run(c) {
			const { repo, commits } = await repoWithCommits(c, "tags", 2);
			const at = { ...auth(c), repo };
			await c.hub.createTag({ ...at, tag: "v1.0", tagMessage: "first release", revision: commits[0] });
			await c.hub.createTag({ ...at, tag: "latest" });
			const refs = await c.hub.listRepoRefs({ ...at, includePullRequests: true });
			eq(refs.tags.find((t) => t.name === "v1.0"), { name: "v1.0", ref: "refs/tags/v1.0", targetCommit: commits[0]! }, "v1.0");
			eq(refs.tags.find((t) => t.name === "latest")?.targetCommit, commits[1], "a tag of main by default");
			eq(refs.pullRequests, [], "PR refs when asked, none here");
			await expectHubError(c.hub.createTag({ ...at, tag: "v1.0" }), c.hub, "Conflict", "an existing tag");

			eq(await c.hub.revisionExists({ ...at, revision: "v1.0" }), true, "a tag exists");
			eq(await c.hub.revisionExists({ ...at, revision: commits[0]! }), true, "a commit exists");
			eq(await c.hub.revisionExists({ ...at, revision: "v2.0" }), false, "an unknown tag does not");
			await expectHubError(c.hub.revisionExists({ ...at, repo: `${repo}-gone`, revision: "main" }), c.hub, "RepoNotFound", "a missing repo is an error, not false");

			await c.hub.deleteTag({ ...at, tag: "v1.0" });
			eq((await c.hub.listRepoRefs(at)).tags.map((t) => t.name), ["latest"], "v1.0 is gone");
			eq(await c.hub.revisionExists({ ...at, revision: "v1.0" }), false, "and no longer resolves");
			await expectHubError(c.hub.deleteTag({ ...at, tag: "v1.0" }), c.hub, "RevisionNotFound", "a deleted tag");
		},
	},
	{
		name: "listCommits follows every page newest first, with Dates; countCommits counts them in one request",
		async run(c) {
			const { repo, commits } = await repoWithCommits(c, "history", 4);
			const at = { ...auth(c), repo };
			const { fetch, urls } = countingFetch();
			const history = await drain(c.hub.listCommits({ ...at, batchSize: 2, fetch }));
			eq(history.length, 5, "four uploads and the Hub's initial commit");
			eq(urls.length, 3, "pages of two");
			eq(history.slice(0, 4).map((x) => x.oid), [...commits].reverse(), "newest first");
			eq(history[0]!.title, "add f3", "titles");
			assert(history.every((x) => x.date instanceof Date && !Number.isNaN(x.date.getTime())), "dates are Dates");
			assert(history[0]!.date.getTime() >= history[3]!.date.getTime(), "in date order");
			eq(history[0]!.authors[0]?.username, c.fixtures.publicRepo.split("/")[0], "the uploader is the author");

			const counted = countingFetch();
			eq(await c.hub.countCommits({ ...at, fetch: counted.fetch }), 5, "countCommits");
			eq(counted.urls.length, 1, "one request");
			eq(await c.hub.countCommits({ ...at, revision: commits[1] }), 3, "at an older commit");
			eq((await drain(c.hub.listCommits({ ...at, revision: commits[0] }))).map((x) => x.oid)[0], commits[0], "from a commit");
			await expectHubError(c.hub.countCommits({ ...at, revision: "nope" }), c.hub, "RevisionNotFound", "an unknown revision");
			await expectHubError(drain(c.hub.listCommits({ ...at, repo: `${repo}-gone` })), c.hub, "RepoNotFound", "a missing repo");
		},
	},
	{
		name: "refs calls refuse bad input before any request",
		async run(c) {
			const at = { ...auth(c), repo: c.fixtures.publicRepo, fetch: refusingFetch };
			const h = c.hub as any;
			const invalid = (p: Promise<unknown>, what: string) => expectHubError(p, c.hub, "InvalidInput", what);
			await invalid(h.createBranch({ ...at }), "no branch");
			await invalid(h.createBranch({ ...at, branch: 7 }), "a branch that is not a string");
			await invalid(c.hub.createBranch({ ...at, branch: "refs/heads/x" }), "a full ref");
			await invalid(c.hub.createBranch({ ...at, branch: "a..b" }), "a bad ref name");
			await invalid(c.hub.createBranch({ ...at, branch: "x", empty: true, revision: "main" }), "empty and a revision");
			await invalid(c.hub.deleteBranch({ ...at, branch: "" }), "an empty branch name");
			await invalid(c.hub.createTag({ ...at, tag: "v 1" }), "a tag with a space");
			await invalid(h.createTag({ ...at, tag: "v1", tagMessage: 3 }), "a message that is not a string");
			await invalid(c.hub.deleteTag({ ...at, tag: "refs/tags/v1" }), "a full tag ref");
			for (const batchSize of [0, -1, 1.5, Number.NaN]) await invalid(drain(c.hub.listCommits({ ...at, batchSize })), `batchSize ${batchSize}`);
			await invalid(h.listRepoRefs({ ...at, includePullRequests: "yes" }), "includePullRequests that is not a boolean");
			await invalid(c.hub.revisionExists({ ...at, revision: "" }), "an empty revision");
			await invalid(c.hub.countCommits({ ...at, revision: "a b" }), "a bad revision");
			await invalid(c.hub.resolveRevision({ ...at, repo: "not a repo" }), "a bad repo");
		},
	},
];
