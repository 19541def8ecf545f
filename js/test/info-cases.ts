// Info, search and likes (issue 18): modelInfo / datasetInfo / spaceInfo / repoInfo with
// additionalFields, listModels / listDatasets / listSpaces over pages, likes; against the local
// Hub, the same in Node, Chromium and workerd. Each case tags its repos with a word of its own,
// so searches see only them whatever else the Hub holds.
import { admin, assert, countingFetch, drain, eq, expectHubError, type C } from "./helpers.js";
import type { Case } from "./support/types.js";
import type { Hub } from "./helpers.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });
const word = (c: C, what: string) => `${what}-${c.runtime}-${Math.random().toString(36).slice(2, 8)}`;

/** A README whose front matter is `card` (YAML in the flow style: JSON is YAML). */
const readme = (card: Record<string, unknown>) => new Blob([`---\n${Object.entries(card).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n")}\n---\n# A test repo\n`]);

/** A new repo of `type` named after `tag`, with a README carrying `card` (and `tags: [tag]`). */
async function repoWithCard(c: C, type: "model" | "dataset" | "space", name: string, tag: string, card: Record<string, unknown> = {}) {
	const user = c.fixtures.publicRepo.split("/")[0]!;
	const repo = { type, name: `${user}/${name}` };
	await c.hub.createRepo({ ...auth(c), repo, ...(type === "space" ? { sdk: "static" } : {}) } as never);
	const out = await c.hub.uploadFile({ ...auth(c), repo, file: { path: "README.md", content: readme({ tags: [tag], ...card }) } });
	return { repo, name: repo.name, commit: out.commit.oid };
}

const isDate = (d: unknown, what: string) => assert(d instanceof Date && !isNaN(d.getTime()), `${what} is a Date (${String(d)})`);

export const infoCases: Case<Hub>[] = [
	{
		name: "modelInfo: the peer's entry, typed additionalFields from the README's front matter, dates as Date, at a revision",
		async run(c) {
			const tag = word(c, "info");
			const { name, commit } = await repoWithCard(c, "model", tag, tag, { license: "mit", library_name: "transformers", pipeline_tag: "text-classification", language: ["en"] });
			const info = await c.hub.modelInfo({ ...auth(c), name, additionalFields: ["cardData", "tags", "filePaths", "createdAt", "library_name", "sha", "siblings"] });
			eq(info.name, name, "name");
			assert(typeof info.id === "string" && info.id.length > 0, "the Hub's id");
			eq([info.private, info.gated, info.likes, info.downloads, info.task], [false, false, 0, 0, "text-classification"], "the entry's fields");
			isDate(info.updatedAt, "updatedAt");
			isDate(info.createdAt, "createdAt");
			eq(info.cardData?.license, "mit", "cardData");
			eq(info.library_name, "transformers", "library_name");
			assert(info.tags.includes(tag) && info.tags.includes("license:mit"), `tags ${info.tags}`);
			eq([...info.filePaths].sort(), [".gitattributes", "README.md"], "filePaths");
			eq(info.siblings.map((s) => s.rfilename).sort(), [".gitattributes", "README.md"], "siblings");
			eq(info.sha, commit, "sha: the head commit");
			const bare = await c.hub.modelInfo({ ...auth(c), name });
			eq(Object.keys(bare).sort(), ["downloads", "gated", "id", "likes", "name", "private", "task", "updatedAt"], "no additional field unless asked");

			await c.hub.uploadFile({ ...auth(c), repo: name, file: { path: "README.md", content: readme({ tags: [tag], license: "apache-2.0" }) } });
			const now = await c.hub.modelInfo({ ...auth(c), name, additionalFields: ["cardData", "sha"] });
			eq(now.cardData?.license, "apache-2.0", "the new card at the default branch");
			const then = await c.hub.modelInfo({ ...auth(c), name, revision: commit, additionalFields: ["cardData", "sha"] });
			eq([then.cardData?.license, then.sha], ["mit", commit], "the card at the revision asked for");
		},
	},
	{
		name: "datasetInfo, spaceInfo and repoInfo: each kind's entry; missing repo, revision and private repo keep their meaning",
		async run(c) {
			const tag = word(c, "kinds");
			const ds = await repoWithCard(c, "dataset", tag, tag, { license: "cc-by-4.0" });
			const sp = await repoWithCard(c, "space", tag, tag);
			const d = await c.hub.datasetInfo({ ...auth(c), name: ds.name, additionalFields: ["cardData", "sha"] });
			eq([d.name, d.downloads, d.gated, d.sha, d.cardData?.license], [ds.name, 0, false, ds.commit, "cc-by-4.0"], "dataset");
			const s = await c.hub.spaceInfo({ ...auth(c), name: sp.name, additionalFields: ["subdomain", "sha"] });
			eq([s.name, s.sdk, s.sha], [sp.name, "static", sp.commit], "space");
			assert(typeof s.subdomain === "string", "subdomain");
			assert(!("downloads" in s) && !("gated" in s), "a space has no downloads or gate");
			const r = await c.hub.repoInfo({ ...auth(c), repo: `datasets/${ds.name}`, additionalFields: ["sha"] });
			const { cardData: _card, ...plain } = d;
			eq(r, plain as never, "repoInfo of a dataset is datasetInfo");

			await expectHubError(c.hub.modelInfo({ ...auth(c), name: `${ds.name}-nope` }), c.hub, "RepoNotFound", "a missing repo");
			await expectHubError(c.hub.datasetInfo({ ...auth(c), name: ds.name, revision: "no-such-branch" }), c.hub, "RevisionNotFound", "a missing revision");
			await expectHubError(c.hub.modelInfo({ hubUrl: c.hubUrl, name: c.fixtures.privateRepo }), c.hub, "RepoNotFound", "a private repo, anonymous");
			eq((await c.hub.modelInfo({ ...auth(c), name: c.fixtures.privateRepo })).private, true, "the owner sees it private");
		},
	},
	{
		name: "info and search input errors are InvalidInput and never reach fetch",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const base = { hubUrl: c.hubUrl, fetch };
			const bad: [string, () => Promise<unknown>][] = [
				["a field a dataset lacks", () => c.hub.datasetInfo({ ...base, name: "u/d", additionalFields: ["pipeline_tag" as never] })],
				["an unknown field", () => c.hub.modelInfo({ ...base, name: "u/m", additionalFields: ["nope" as never] })],
				["no name", () => c.hub.modelInfo({ ...base } as never)],
				["a bad name", () => c.hub.modelInfo({ ...base, name: "a/b/c" })],
				["a bad revision", () => c.hub.spaceInfo({ ...base, name: "u/s", revision: "a..b" })],
				["a kernel", () => c.hub.repoInfo({ ...base, repo: { type: "kernel", name: "u/k" } })],
				["an unknown sort", () => drain(c.hub.listModels({ ...base, sort: "stars" as never }))],
				["a task for datasets", () => drain(c.hub.listDatasets({ ...base, search: { task: "x" } as never }))],
				["tags not a list", () => drain(c.hub.listModels({ ...base, search: { tags: "en" as never } }))],
				["a negative limit", () => drain(c.hub.listSpaces({ ...base, limit: -1 }))],
				["downloads of spaces", () => drain(c.hub.listSpaces({ ...base, additionalFields: ["downloads" as never] }))],
				["a like without a token", () => c.hub.like({ ...base, repo: "u/m" })],
				["likers of no repo", () => drain(c.hub.listRepoLikers({ ...base } as never))],
			];
			for (const [what, call] of bad) {
				const e = await call().then(() => null, (e: unknown) => e);
				assert(e instanceof c.hub.HubError, `${what}: a HubError (${String(e)})`);
				assert(["InvalidInput", "AuthRequired"].includes(e.code), `${what}: ${e.code} ${e.message}`);
			}
			eq(await drain(c.hub.listModels({ ...base, limit: 0 })), [], "limit 0 asks for nothing");
			eq(urls, [], "fetch calls");
		},
	},
	{
		name: "listModels: tags, owner, task and name search, sorted by downloads or likes, every page followed, limit honoured",
		async run(c) {
			const tag = word(c, "search");
			const made = [];
			for (const [i, downloads, likes] of [[0, 30, 1], [1, 10, 3], [2, 50, 2], [3, 20, 5], [4, 40, 4]] as const) {
				const m = await repoWithCard(c, "model", `${tag}-${i}`, tag, { pipeline_tag: i % 2 ? "fill-mask" : "text-generation" });
				await admin(c, "POST", "stats", { repo: m.name, type: "model", downloads, likes });
				made.push(m.name);
			}
			const names = (xs: { name: string }[]) => xs.map((x) => x.name.split("-").pop());
			const { fetch, urls } = countingFetch();
			const byDownloads = await drain(c.hub.listModels({ ...auth(c), fetch, search: { tags: [tag] }, sort: "downloads" }));
			eq(names(byDownloads), ["2", "4", "0", "3", "1"], "by downloads, largest first");
			eq(byDownloads.map((m) => m.downloads), [50, 40, 30, 20, 10], "downloads");
			if (c.fixtures.pageSize) eq(urls.length, Math.ceil(5 / c.fixtures.pageSize), "one request per page");
			for (const m of byDownloads) isDate(m.updatedAt, "updatedAt");
			eq(names(await drain(c.hub.listModels({ ...auth(c), search: { tags: [tag] }, sort: "likes" }))), ["3", "4", "1", "2", "0"], "by likes");
			eq(names(await drain(c.hub.listModels({ ...auth(c), search: { tags: [tag], task: "fill-mask" }, sort: "likes" }))), ["3", "1"], "task");
			eq(names(await drain(c.hub.listModels({ ...auth(c), search: { tags: [tag], query: `${tag}-4` } }))), ["4"], "a part of the name");
			const owner = c.fixtures.publicRepo.split("/")[0]!;
			eq((await drain(c.hub.listModels({ ...auth(c), search: { tags: [tag], owner } }))).length, 5, "owner");
			eq(await drain(c.hub.listModels({ ...auth(c), search: { tags: [tag], owner: "other-user" } })), [], "another owner");
			const { fetch: f2, urls: u2 } = countingFetch();
			const two = await drain(c.hub.listModels({ ...auth(c), fetch: f2, search: { tags: [tag] }, sort: "downloads", limit: 2, additionalFields: ["tags", "createdAt"] }));
			eq(names(two), ["2", "4"], "limit");
			eq(u2.length, 1, "a limit below a page is one request");
			assert(new URL(u2[0]!).searchParams.get("limit") === "2", `the page asked is no larger than the limit: ${u2[0]}`);
			assert(two.every((m) => m.tags.includes(tag)), "additional tags");
			isDate(two[0]!.createdAt, "createdAt");
		},
	},
	{
		name: "listDatasets and listSpaces search their own kind",
		async run(c) {
			const tag = word(c, "kinds-search");
			await repoWithCard(c, "dataset", `${tag}-d`, tag);
			await repoWithCard(c, "space", `${tag}-s`, tag);
			await repoWithCard(c, "model", `${tag}-m`, tag);
			const ds = await drain(c.hub.listDatasets({ ...auth(c), search: { tags: [tag] }, additionalFields: ["cardData"] }));
			eq(ds.map((d) => [d.name.split("/")[1], d.downloads, d.cardData?.tags]), [[`${tag}-d`, 0, [tag]]], "datasets");
			const sp = await drain(c.hub.listSpaces({ ...auth(c), search: { tags: [tag] } }));
			eq(sp.map((s) => [s.name.split("/")[1], s.sdk]), [[`${tag}-s`, "static"]], "spaces");
		},
	},
	{
		name: "like, unlike and listRepoLikers: counted once per user, seen in info, taken back",
		async run(c) {
			const tag = word(c, "likes");
			const { name } = await repoWithCard(c, "model", tag, tag);
			const other = { hubUrl: c.hubUrl, accessToken: c.tokens["other-user"]!, repo: name };
			await c.hub.like({ ...auth(c), repo: name });
			await c.hub.like({ ...auth(c), repo: name });
			await c.hub.like(other);
			eq((await c.hub.modelInfo({ ...auth(c), name })).likes, 2, "two users, two likes");
			const likers = await drain(c.hub.listRepoLikers({ hubUrl: c.hubUrl, repo: name, batchSize: 1 }));
			eq(likers.map((l) => l.username).sort(), ["other-user", c.fixtures.publicRepo.split("/")[0]!].sort(), "likers, a page of one at a time");
			await c.hub.unlike(other);
			await c.hub.unlike(other);
			eq((await drain(c.hub.listRepoLikers({ hubUrl: c.hubUrl, repo: name }))).map((l) => l.username), [c.fixtures.publicRepo.split("/")[0]!], "unliked");
			eq((await c.hub.modelInfo({ ...auth(c), name })).likes, 1, "one like left");
			await expectHubError(c.hub.like({ ...auth(c), repo: `${name}-nope` }), c.hub, "RepoNotFound", "liking a missing repo");
		},
	},
];
