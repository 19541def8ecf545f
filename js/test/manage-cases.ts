// Repo management (issue 18): visibility at creation and after, gating, moving a repo (its old
// name redirects), repoExists at a revision; the same in Node, Chromium and workerd.
import { expectHubError, freshRepo, type C, type Hub, refusingFetch, assert as check } from "./helpers.js";
import type { Case } from "./support/types.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });
const user = (c: C) => c.fixtures.publicRepo.split("/")[0]!;
const suffix = (c: C) => `${c.runtime}-${Math.random().toString(36).slice(2, 8)}`;

export const manageCases: Case<Hub>[] = [
	{
		name: "createRepo with visibility returns the Hub's id; a protected Space; protected for a model is refused",
		async run(c) {
			const repo = `${user(c)}/vis-${suffix(c)}`;
			const out = await c.hub.createRepo({ ...auth(c), repo, visibility: "private" });
			check(typeof out.id === "string" && out.id.length > 0, `an id: ${JSON.stringify(out)}`);
			check(out.repoUrl.endsWith(repo), `the URL: ${out.repoUrl}`);
			check(!(await c.hub.repoExists({ hubUrl: c.hubUrl, repo })), "private: not visible anonymously");
			check(await c.hub.repoExists({ ...auth(c), repo }), "visible to its owner");
			const space = `spaces/${user(c)}/prot-${suffix(c)}`;
			await c.hub.createRepo({ ...auth(c), repo: space, sdk: "static", visibility: "protected" });
			check(await c.hub.repoExists({ ...auth(c), repo: space }), "the Space exists");
			await expectHubError(c.hub.createRepo({ ...auth(c), repo: `${repo}-x`, visibility: "protected", fetch: refusingFetch }), c.hub, "InvalidInput", "protected model");
			await expectHubError(c.hub.createRepo({ ...auth(c), repo: `${repo}-x`, private: true, visibility: "public", fetch: refusingFetch }), c.hub, "InvalidInput", "private and public");
		},
	},
	{
		name: "createRepo with files: one first commit holds them; bad or oversized files are InvalidInput before any request, a bad path the Hub's 422",
		async run(c) {
			const repo = `${user(c)}/files-${suffix(c)}`;
			const bytes = new Uint8Array(70000).map((_, i) => (i * 31) & 255);
			await c.hub.createRepo({
				...auth(c),
				repo,
				files: [
					{ path: "README.md", content: "---\nlicense: mit\n---\n# hi\n" },
					{ path: "data/w.bin", content: new Blob([bytes]) },
					{ path: "a.txt", content: new TextEncoder().encode("é") },
				],
			});
			const paths: string[] = [];
			for await (const f of c.hub.listFiles({ ...auth(c), repo, recursive: true })) if (f.type === "file") paths.push(f.path);
			check(paths.sort().join() === ".gitattributes,README.md,a.txt,data/w.bin", `the files: ${paths}`);
			const got = new Uint8Array(await (await c.hub.downloadFile({ ...auth(c), repo, path: "data/w.bin", cache: false }))!.arrayBuffer());
			check(got.length === bytes.length && got.every((b, i) => b === bytes[i]), "binary content kept");
			const text = await (await c.hub.downloadFile({ ...auth(c), repo, path: "a.txt", cache: false }))!.text();
			check(text === "é", `utf-8 text: ${text}`);
			check((await c.hub.countCommits({ ...auth(c), repo })) === 1, "one commit");
			const h = c.hub as any;
			for (const [files, what] of [
				["README.md", "files as a string"],
				[[{ path: "a" }], "no content"],
				[[{ path: "a", content: "x" }, { path: "a", content: "y" }], "a path twice"],
				[[{ path: "a", content: 3 }], "content a number"],
				[[{ path: "big.bin", content: new Blob([new Uint8Array((10 << 20) + 1)]) }], "over 10 MiB"],
			] as const) {
				await expectHubError(h.createRepo({ ...auth(c), repo: `${repo}-bad`, files, fetch: refusingFetch }), c.hub, "InvalidInput", what);
			}
			// A path the Hub refuses (checked there, not in the client, as in a commit): a 422 naming it, and no repo.
			const e = await expectHubError(h.createRepo({ ...auth(c), repo: `${repo}-bad`, files: [{ path: "../a", content: "x" }] }), c.hub, "Http", "a path out of the repo");
			check(e.status === 422 && e.message.includes("../a"), `the Hub's answer: ${e.status} ${e.message}`);
			check(!(await c.hub.repoExists({ ...auth(c), repo: `${repo}-bad` })), "no repo made");
		},
	},
	{
		name: "updateRepoSettings: private and back, gated and back; nothing to change or contradictions are InvalidInput",
		async run(c) {
			const repo = await freshRepo(c, "settings");
			const anon = { hubUrl: c.hubUrl, repo };
			await c.hub.updateRepoSettings({ ...auth(c), repo, private: true });
			check(!(await c.hub.repoExists(anon)), "private now");
			await c.hub.updateRepoSettings({ ...auth(c), repo, visibility: "public" });
			check(await c.hub.repoExists(anon), "public again");
			const other = { hubUrl: c.hubUrl, repo, accessToken: c.tokens["other-user"]! };
			await c.hub.updateRepoSettings({ ...auth(c), repo, gated: "manual" });
			await expectHubError(c.hub.checkRepoAccess(other), c.hub, "GatedRepo", "gated");
			await c.hub.updateRepoSettings({ ...auth(c), repo, gated: false });
			await c.hub.checkRepoAccess(other);
			await expectHubError(c.hub.updateRepoSettings({ ...other, private: true }), c.hub, "Forbidden", "another user's repo");
			const h = c.hub as any;
			for (const [bad, what] of [
				[{}, "nothing to change"],
				[{ gated: true }, "gated: true"],
				[{ gated: "yes" }, "gated: yes"],
				[{ private: true, visibility: "public" }, "private and public"],
				[{ visibility: "protected" }, "protected for a model"],
				[{ private: "no" }, "private that is not a boolean"],
			] as const) {
				await expectHubError(h.updateRepoSettings({ ...auth(c), repo, fetch: refusingFetch, ...bad }), c.hub, "InvalidInput", what);
			}
		},
	},
	{
		name: "moveRepo: the files are under the new name, the old name redirects there; a taken name is a Conflict",
		async run(c) {
			const repo = await freshRepo(c, "move");
			await c.hub.uploadFile({ ...auth(c), repo, file: { path: "x.txt", content: new Blob(["moved\n"]) } });
			const to = `${user(c)}/moved-${suffix(c)}`;
			await c.hub.moveRepo({ ...auth(c), fromRepo: repo, toRepo: to });
			const blob = await c.hub.downloadFile({ ...auth(c), repo: to, path: "x.txt", cache: false });
			check((await blob?.text()) === "moved\n", "the file is at the new name");
			const old = await c.hub.downloadFile({ ...auth(c), repo, path: "x.txt", cache: false });
			check((await old?.text()) === "moved\n", "the old name redirects");
			const taken = await freshRepo(c, "taken");
			await expectHubError(c.hub.moveRepo({ ...auth(c), fromRepo: to, toRepo: taken }), c.hub, "Conflict", "a taken name");
			await expectHubError(c.hub.moveRepo({ ...auth(c), fromRepo: to, toRepo: "no-namespace" }), c.hub, "InvalidInput", "no namespace");
			await expectHubError(c.hub.moveRepo({ ...auth(c), fromRepo: to, toRepo: to }), c.hub, "InvalidInput", "the same name");
			await expectHubError((c.hub as any).moveRepo({ ...auth(c), fromRepo: to }), c.hub, "InvalidInput", "no toRepo");
		},
	},
	{
		name: "duplicateRepo: the copy has the files, history and tags under the new id; the token owner's namespace by default; existOk; bad input before any request",
		async run(c) {
			const repo = await freshRepo(c, "dup");
			await c.hub.uploadFile({ ...auth(c), repo, file: { path: "a.txt", content: new Blob(["one\n"]) } });
			await c.hub.createTag({ ...auth(c), repo, tag: "v1" });
			const to = `${user(c)}/copy-${suffix(c)}`;
			const out = await c.hub.duplicateRepo({ ...auth(c), fromRepo: repo, toRepo: to, private: true });
			check(out.repoUrl.endsWith(`/${to}`), `the copy's URL: ${out.repoUrl}`);
			const text = await (await c.hub.downloadFile({ ...auth(c), repo: to, path: "a.txt", cache: false }))!.text();
			check(text === "one\n", "the copy has the file");
			check((await c.hub.countCommits({ ...auth(c), repo: to })) === (await c.hub.countCommits({ ...auth(c), repo })), "and the history");
			check((await c.hub.listRepoRefs({ ...auth(c), repo: to })).tags.some((t) => t.name === "v1"), "and the tag");
			check(!(await c.hub.repoExists({ hubUrl: c.hubUrl, repo: to })), "private: true is honoured");
			await expectHubError(c.hub.duplicateRepo({ ...auth(c), fromRepo: repo, toRepo: to }), c.hub, "Conflict", "a taken id");
			check((await c.hub.duplicateRepo({ ...auth(c), fromRepo: repo, toRepo: to, existOk: true })).repoUrl === out.repoUrl, "existOk: its URL");
			// No toRepo: the source's name, in the namespace of the token's owner (another user here).
			const other = { hubUrl: c.hubUrl, accessToken: c.tokens["other-user"]! };
			const theirs = await c.hub.duplicateRepo({ ...other, fromRepo: repo });
			const name = repo.split("/")[1]!;
			check(theirs.repoUrl.endsWith(`/other-user/${name}`), `in the other user's namespace: ${theirs.repoUrl}`);
			check(await c.hub.repoExists({ hubUrl: c.hubUrl, repo: `other-user/${name}` }), "public as the source");
			await expectHubError(c.hub.duplicateRepo({ ...other, fromRepo: repo, toRepo: `${user(c)}/not-mine-${suffix(c)}` }), c.hub, "Forbidden", "into another user's namespace");
			await expectHubError(c.hub.duplicateRepo({ ...auth(c), fromRepo: `${repo}-missing`, toRepo: `${to}-2` }), c.hub, "RepoNotFound", "a missing source");
			const space = `spaces/${user(c)}/dup-space-${suffix(c)}`;
			await c.hub.createRepo({ ...auth(c), repo: space, sdk: "static" });
			const spaceCopy = await c.hub.duplicateRepo({
				...auth(c),
				fromRepo: space,
				toRepo: `${space.split("/")[1]}/${space.split("/")[2]}-copy`,
				visibility: "protected",
				spaceHardware: "cpu-basic",
				spaceSleepTime: -1,
				spaceSecrets: [{ key: "TOKEN", value: "s" }],
				spaceVariables: [{ key: "MODE", value: "x", description: "d" }],
			});
			check(spaceCopy.repoUrl.includes("/spaces/"), `a Space: ${spaceCopy.repoUrl}`);
			const h = c.hub as any;
			for (const [bad, what] of [
				[{ fromRepo: repo, toRepo: repo }, "the same id"],
				[{ fromRepo: repo, toRepo: "a/b/c" }, "a bad id"],
				[{ fromRepo: repo, toRepo: `${to}-3`, spaceHardware: "t4-small" }, "Space settings for a model"],
				[{ fromRepo: repo, toRepo: `${to}-3`, visibility: "protected" }, "protected for a model"],
				[{ fromRepo: repo, toRepo: `${to}-3`, private: true, visibility: "public" }, "private and public"],
				[{ fromRepo: space, toRepo: `${to}-3`, spaceSleepTime: -5 }, "a negative sleep time"],
				[{ fromRepo: space, toRepo: `${to}-3`, spaceSecrets: [{ key: "K" }] }, "a secret without value"],
				[{ toRepo: `${to}-3` }, "no fromRepo"],
				[{ fromRepo: 3, toRepo: `${to}-3` }, "fromRepo a number"],
			] as const) {
				await expectHubError(h.duplicateRepo({ ...auth(c), fetch: refusingFetch, ...bad }), c.hub, "InvalidInput", what);
			}
		},
	},
	{
		name: "repoExists at a revision: a branch, a tag and a commit exist, an unknown revision does not",
		async run(c) {
			const repo = await freshRepo(c, "exists-rev");
			const out = await c.hub.uploadFile({ ...auth(c), repo, file: { path: "a.txt", content: new Blob(["a"]) } });
			await c.hub.createTag({ ...auth(c), repo, tag: "v1" });
			for (const revision of ["main", "v1", out.commit.oid]) check(await c.hub.repoExists({ ...auth(c), repo, revision }), revision);
			check(!(await c.hub.repoExists({ ...auth(c), repo, revision: "v2" })), "v2 does not exist");
			check(!(await c.hub.repoExists({ ...auth(c), repo: `${repo}-gone`, revision: "main" })), "nor a missing repo");
		},
	},
];
