// One shape for the same thing across the API: concurrency, progress, revision/branch, commit ids,
// options objects (setCacheBudget), repoKey; and the deprecated names still working for one
// release. The same in Node, Chromium and workerd.
import type * as HubApi from "../dist/api.js";
import { admin, assert, countingFetch, drain, eq, expectHubError, freshRepo, noise, runtimeCache, sha256Hex, type C, type Hub } from "./helpers.js";
import type { Case } from "./support/types.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });
const pub = (c: C) => ({ repo: c.fixtures.publicRepo, hubUrl: c.hubUrl });

/** 300 KiB for an LFS file (a basic upload: under the Hub's 1 MiB multipart threshold), unique to
 * this runtime and `seed`: the Hub stores an object once, and a stored one is not sent again. */
function lfsContent(c: C, seed: number): Uint8Array<ArrayBuffer> {
	return noise(300 * 1024, seed * 101 + ["node", "chromium", "workerd"].indexOf(c.runtime) + 1);
}

/** A hasher that records how many files it hashes at once. */
function countingHasher(): { hasher: HubApi.Hasher; max: () => number } {
	let active = 0;
	let max = 0;
	return {
		max: () => max,
		hasher: async (content, onBytes) => {
			active++;
			max = Math.max(max, active);
			try {
				const digest = await sha256Hex(new Uint8Array(await content.arrayBuffer()));
				onBytes(content.size);
				return digest;
			} finally {
				active--;
			}
		},
	};
}

/** A fetch that records how many uploads to storage (PUTs) are in flight at once. */
function countingUploads(): { fetch: typeof fetch; max: () => number; count: () => number } {
	let active = 0;
	let max = 0;
	let count = 0;
	return {
		max: () => max,
		count: () => count,
		fetch: async (input, init) => {
			if ((init?.method ?? (input instanceof Request ? input.method : "GET")) !== "PUT") return globalThis.fetch(input, init);
			count++;
			active++;
			max = Math.max(max, active);
			try {
				return await globalThis.fetch(input, init);
			} finally {
				active--;
			}
		},
	};
}

/** Paths in the order their progress events came, a run of one path's events counted once. */
function runsOf(events: { path: string }[]): string[] {
	return events.map((e) => e.path).filter((p, i, all) => i === 0 || all[i - 1] !== p);
}

async function createBranch(c: C, repo: string, name: string): Promise<void> {
	const resp = await fetch(`${c.hubUrl}/api/models/${repo}/branch/${name}`, {
		method: "POST",
		headers: { authorization: `Bearer ${c.token}`, "content-type": "application/json" },
		body: "{}",
	});
	assert(resp.ok, `create branch ${name}: ${resp.status} ${await resp.text()}`);
}

export const apiShapeCases: Case<Hub>[] = [
	{
		name: "concurrency: a number is files at once (hashed and uploaded); maxConcurrency, its old name, still works",
		async run(c) {
			const repo = await freshRepo(c, "conc");
			// Uploads take a while, so uploads allowed to overlap do overlap.
			await admin(c, "POST", "faults", [{ method: "PUT", path: "/upload/**", origin: "storage", latencyMs: 150 }]);
			try {
				const commitThree = async (seed: number, options: Partial<HubApi.CommitParams>) => {
					const hashing = countingHasher();
					const uploads = countingUploads();
					await c.hub.commit({
						...auth(c),
						repo,
						title: `seed ${seed}`,
						operations: [0, 1, 2].map((i) => ({ operation: "addOrUpdate" as const, path: `${seed}/${i}.bin`, content: lfsContent(c, seed * 3 + i) })),
						hasher: hashing.hasher,
						fetch: uploads.fetch,
						...options,
					});
					eq(uploads.count(), 3, `seed ${seed}: uploads`);
					return { hashing: hashing.max(), uploads: uploads.max() };
				};
				eq(await commitThree(1, { concurrency: 1 }), { hashing: 1, uploads: 1 }, "concurrency: 1 (files at once, at most)");
				eq(await commitThree(2, { concurrency: { files: 1, hashing: 1 } }), { hashing: 1, uploads: 1 }, "concurrency: { files: 1, hashing: 1 }");
				eq(await commitThree(3, { maxConcurrency: { files: 1, hashing: 1 } }), { hashing: 1, uploads: 1 }, "the deprecated maxConcurrency");
				// The limit is what kept them apart: allowed three at once, three files hash at once.
				eq((await commitThree(4, { concurrency: { hashing: 3, files: 1 } })).hashing, 3, "concurrency: { hashing: 3 }");
			} finally {
				await admin(c, "DELETE", "faults");
			}
		},
	},
	{
		name: "concurrency: a bad value, or concurrency and maxConcurrency disagreeing, is InvalidInput before any request",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const base = { ...auth(c), repo: "test-user/whatever", fetch, title: "t", operations: [{ operation: "addOrUpdate" as const, path: "a.txt", content: "a" }] };
			for (const concurrency of [0, -1, 1.5, Number.NaN, { files: 0 }, { parts: 2.5 }, { hashing: -3 }]) {
				await expectHubError(c.hub.commit({ ...base, concurrency }), c.hub, "InvalidInput", `commit concurrency ${JSON.stringify(concurrency)}`);
			}
			await expectHubError(c.hub.commit({ ...base, maxConcurrency: { files: 0 } }), c.hub, "InvalidInput", "maxConcurrency { files: 0 }");
			const e = await expectHubError(
				c.hub.uploadFiles({ ...base, files: [{ path: "a.txt", content: "a" }], concurrency: { files: 2 }, maxConcurrency: { files: 3 } }),
				c.hub,
				"InvalidInput",
				"concurrency and maxConcurrency disagree",
			);
			assert(e.message.includes("maxConcurrency") && e.message.includes("concurrency"), e.message);
			for (const concurrency of [0, { files: 0 }]) {
				await expectHubError(
					c.hub.snapshotDownload({ ...pub(c), fetch, cache: runtimeCache(c, "conc-bad"), concurrency }),
					c.hub,
					"InvalidInput",
					`snapshotDownload concurrency ${JSON.stringify(concurrency)}`,
				);
			}
			eq(urls, [], "requests");
			// The same values agreeing are fine (and a number agrees with { files, hashing } alike).
			await c.hub.commit({ ...base, fetch: globalThis.fetch.bind(globalThis), repo: await freshRepo(c, "conc-same"), concurrency: 2, maxConcurrency: { files: 2 } });
		},
	},
	{
		name: "concurrency: snapshotDownload takes the same shape, a number or { files }: one file at a time downloads each file whole before the next",
		async run(c) {
			const commit = (await c.hub.fileDownloadInfo({ ...pub(c), path: "config.json" }))!.commitOid!;
			for (const concurrency of [1, { files: 1 }] as const) {
				const events: HubApi.SnapshotDownloadProgress[] = [];
				const snap = await c.hub.snapshotDownload({
					...pub(c),
					revision: commit,
					cache: runtimeCache(c, "conc-snap"),
					concurrency,
					onProgress: (p) => events.push(p),
				});
				assert(snap.files.length > 3, `${JSON.stringify(concurrency)}: files ${snap.files.length}`);
				const runs = runsOf(events);
				eq(runs.length, new Set(runs).size, `${JSON.stringify(concurrency)}: each file's progress events come together (${runs.join(", ")})`);
			}
		},
	},
	{
		name: "progress: commits report loaded and total bytes per file, as downloads and snapshots do (bytes, the old name, still there)",
		async run(c) {
			const repo = await freshRepo(c, "progress");
			const small = lfsContent(c, 40);
			const large = noise(1300 * 1024 + 5, 41 * 7 + ["node", "chromium", "workerd"].indexOf(c.runtime));
			const events: HubApi.CommitProgressEvent[] = [];
			await c.hub.commit({
				...auth(c),
				repo,
				title: "progress",
				operations: [
					{ operation: "addOrUpdate", path: "small.bin", content: small },
					{ operation: "addOrUpdate", path: "large.bin", content: new Blob([large]) },
				],
				onProgress: (e) => events.push(e),
			});
			const files = events.filter((e): e is Extract<HubApi.CommitProgressEvent, { event: "fileProgress" }> => e.event === "fileProgress");
			assert(files.length > 0, "file progress events");
			for (const e of files) {
				assert(typeof e.loaded === "number" && e.loaded >= 0 && e.loaded <= e.total, `${e.path} ${e.state}: loaded ${e.loaded} of ${e.total}`);
				eq(e.bytes, e.loaded, `${e.path} ${e.state}: the deprecated bytes is loaded`);
			}
			for (const [path, size] of [["small.bin", small.length], ["large.bin", large.length]] as const) {
				for (const state of ["hashing", "uploading", "committed"]) {
					const last = files.filter((e) => e.path === path && e.state === state).pop();
					eq(last && { loaded: last.loaded, total: last.total }, { loaded: size, total: size }, `${path}: the last ${state} event`);
				}
			}
			// uploadFilesWithProgress yields the same events.
			const gen = c.hub.uploadFilesWithProgress({ ...auth(c), repo, files: [{ path: "again.bin", content: lfsContent(c, 42) }] });
			const yielded = await drain(gen);
			const last = yielded.filter((e) => e.event === "fileProgress").pop();
			eq(last && { loaded: last.loaded, total: last.total }, { loaded: 300 * 1024, total: 300 * 1024 }, "uploadFilesWithProgress's last file event");
			// Downloads (through a cache, so progress is reported) and snapshots speak loaded/total too.
			const cache = runtimeCache(c, "progress");
			const downloads: HubApi.DownloadProgress[] = [];
			const r = await c.hub.downloadFileWithInfo({ ...auth(c), repo, path: "large.bin", cache, onProgress: (p) => downloads.push(p) });
			eq(r?.size, large.length, "downloaded size");
			eq(downloads.at(-1), { loaded: large.length, total: large.length }, "the last download event");
			const snapshot: HubApi.SnapshotDownloadProgress[] = [];
			await c.hub.snapshotDownload({ ...auth(c), repo, cache, allowPatterns: "small.bin", onProgress: (p) => snapshot.push(p) });
			const s = snapshot.at(-1);
			eq(s && { path: s.path, loaded: s.loaded, total: s.total }, { path: "small.bin", loaded: small.length, total: small.length }, "the last snapshot event");
			await c.hub.clearCache({ cache });
		},
	},
	{
		name: "revision is the branch to commit to, branch its alias (@huggingface/hub's name); both given and different is InvalidInput before any request",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const base = { ...auth(c), repo: "test-user/whatever", fetch, revision: "main", branch: "dev" };
			const file = { path: "a.txt", content: "a" };
			const calls: Array<[string, () => Promise<unknown>]> = [
				["commit", () => c.hub.commit({ ...base, title: "t", operations: [{ operation: "addOrUpdate", ...file }] })],
				["uploadFile", () => c.hub.uploadFile({ ...base, file })],
				["uploadFiles", () => c.hub.uploadFiles({ ...base, files: [file] })],
				["uploadFilesWithProgress", () => drain(c.hub.uploadFilesWithProgress({ ...base, files: [file] }))],
				["deleteFile", () => c.hub.deleteFile({ ...base, path: "a.txt" })],
				["deleteFiles", () => c.hub.deleteFiles({ ...base, paths: ["a.txt"] })],
			];
			for (const [name, call] of calls) {
				const e = await expectHubError(call(), c.hub, "InvalidInput", `${name} with revision main and branch dev`);
				assert(e.message.includes("revision") && e.message.includes("branch"), `${name}: ${e.message}`);
			}
			eq(urls, [], "requests");

			const repo = await freshRepo(c, "branch");
			await createBranch(c, repo, "dev");
			const at = async (path: string) => ({
				main: await c.hub.fileExists({ ...auth(c), repo, path }),
				dev: await c.hub.fileExists({ ...auth(c), repo, path, revision: "dev" }),
			});
			await c.hub.uploadFile({ ...auth(c), repo, branch: "dev", file: { path: "by-branch.txt", content: "b" } });
			eq(await at("by-branch.txt"), { main: false, dev: true }, "branch alone");
			await c.hub.uploadFile({ ...auth(c), repo, revision: "dev", file: { path: "by-revision.txt", content: "r" } });
			eq(await at("by-revision.txt"), { main: false, dev: true }, "revision alone");
			await c.hub.uploadFile({ ...auth(c), repo, revision: "dev", branch: "dev", file: { path: "by-both.txt", content: "x" } });
			eq(await at("by-both.txt"), { main: false, dev: true }, "both, the same");
		},
	},
	{
		name: "a commit id is commitOid in every result (commit.oid in CommitOutput, as @huggingface/hub); the old names still hold it",
		async run(c) {
			const repo = await freshRepo(c, "oid");
			const out = await c.hub.uploadFiles({ ...auth(c), repo, files: [{ path: "a.txt", content: "a" }, { path: "b/c.txt", content: "c" }] });
			const oid = out.commit.oid;
			const info = await c.hub.fileDownloadInfo({ ...auth(c), repo, path: "a.txt" });
			eq({ commitOid: info?.commitOid, commitHash: info?.commitHash }, { commitOid: oid, commitHash: oid }, "fileDownloadInfo");
			const cache = runtimeCache(c, "oid");
			try {
				const r = await c.hub.downloadFileWithInfo({ ...auth(c), repo, path: "a.txt", cache });
				eq({ commitOid: r?.commitOid, commit: r?.commit }, { commitOid: oid, commit: oid }, "downloadFileWithInfo");
				const snap = await c.hub.snapshotDownload({ ...auth(c), repo, cache });
				eq({ commitOid: snap.commitOid, commit: snap.commit }, { commitOid: oid, commit: oid }, "snapshotDownload");
				const listed = await c.hub.listCachedFiles({ cache, repo });
				eq(listed.map((e) => [e.path, e.repo, e.commitOid, e.commit]).sort(), [
					[".gitattributes", `models/${repo}`, oid, oid],
					["a.txt", `models/${repo}`, oid, oid],
					["b/c.txt", `models/${repo}`, oid, oid],
				], "listCachedFiles");
				await expectHubError(c.hub.deleteCachedFiles({ cache, repo, commitOid: "0".repeat(40), commit: oid }), c.hub, "InvalidInput", "commitOid and commit disagree");
				await c.hub.deleteCachedFiles({ cache, repo, commitOid: "0".repeat(40) });
				eq((await c.hub.listCachedFiles({ cache, repo })).length, 3, "another commit's files: none deleted");
				await c.hub.deleteCachedFiles({ cache, repo, commitOid: oid, path: "a.txt" });
				eq((await c.hub.listCachedFiles({ cache, repo })).map((e) => e.path).sort(), [".gitattributes", "b/c.txt"], "deleteCachedFiles({ commitOid, path })");
				await c.hub.deleteCachedFiles({ cache, repo, commit: oid });
				eq(await c.hub.listCachedFiles({ cache, repo }), [], "deleteCachedFiles({ commit }), the old name");
			} finally {
				await c.hub.clearCache({ cache });
			}
		},
	},
	{
		name: "setCacheBudget takes { bytes, cache }; the positional (bytes, { cache }) still works; a bad budget is InvalidInput",
		async run(c) {
			const cache = runtimeCache(c, "budget");
			const commit = (await c.hub.fileDownloadInfo({ ...pub(c), path: "config.json" }))!.commitOid!;
			const fill = async () => {
				await c.hub.snapshotDownload({ ...pub(c), revision: commit, cache, allowPatterns: "*.txt" });
				assert((await c.hub.cacheSize({ cache })) > 0, "the cache holds files");
			};
			try {
				await fill();
				await c.hub.setCacheBudget({ bytes: 0, cache });
				eq(await c.hub.cacheSize({ cache }), 0, "setCacheBudget({ bytes: 0, cache }) evicts everything");
				await c.hub.setCacheBudget({ bytes: undefined });
				await fill();
				await c.hub.setCacheBudget(0, { cache });
				eq(await c.hub.cacheSize({ cache }), 0, "setCacheBudget(0, { cache }), the old form");
				for (const bytes of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
					await expectHubError(c.hub.setCacheBudget({ bytes, cache }), c.hub, "InvalidInput", `budget ${bytes}`);
				}
			} finally {
				await c.hub.setCacheBudget({ bytes: undefined });
				await c.hub.clearCache({ cache });
			}
		},
	},
	{
		name: "repoKey({ repo }) names a repo as the cache does; a bad repo id is InvalidInput",
		async run(c) {
			eq(await c.hub.repoKey({ repo: "ns/name" }), "models/ns/name", "a model");
			eq(await c.hub.repoKey({ repo: "datasets/ns/data" }), "datasets/ns/data", "a dataset");
			eq(await c.hub.repoKey({ repo: "spaces/ns/app" }), "spaces/ns/app", "a Space");
			eq(await c.hub.repoKey({ repo: { type: "dataset", name: "ns/data" } }), "datasets/ns/data", "{ type, name }");
			for (const repo of ["", "a/b/c", "ns/bad--name"]) {
				await expectHubError(c.hub.repoKey({ repo }), c.hub, "InvalidInput", `repo ${JSON.stringify(repo)}`);
			}
		},
	},
];
