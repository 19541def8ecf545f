// Commit and upload cases: the same in Node, Chromium and workerd. The Hub runs with a 1 MiB
// multipart threshold and 256 KiB parts, and with fault injection enabled.
import {
	admin,
	assert,
	countingFetch,
	drain,
	eq,
	expectHubError,
	freshRepo,
	noise,
	sameBytes,
	sha256Hex,
	type C,
	type Hub,
	type LoggedRequest,
} from "./helpers.js";
import type { Case } from "./support/types.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });
/** Fast retries so fault cases stay quick. */
const quickRetry = { baseDelayMs: 5, maxDelayMs: 50 };

async function download(c: C, repo: string, path: string, revision = "main"): Promise<Uint8Array> {
	const blob = await c.hub.downloadFile({ ...auth(c), repo, path, revision });
	assert(blob, `${path} exists`);
	return new Uint8Array(await blob.arrayBuffer());
}

async function requests(c: C, repo: string): Promise<LoggedRequest[]> {
	const all = (await admin(c, "GET", "requests")) as LoggedRequest[];
	const name = repo.split("/")[1]!;
	// CORS preflights (browsers only) are not requests of the client's own.
	return all.filter((r) => r.method !== "OPTIONS" && (r.path.includes(name) || r.origin === "storage"));
}

function commitsIn(log: LoggedRequest[]): LoggedRequest[] {
	return log.filter((r) => r.method === "POST" && r.path.includes("/commit/"));
}

/**
 * Content unique to this case and runtime: the Hub stores objects once per sha256, so content
 * shared between cases would already be stored and skip the upload under test.
 */
const files = (c: C, seed: number) => {
	const s = seed * 7 + ["node", "chromium", "workerd"].indexOf(c.runtime) + 1;
	return {
		regular: new TextEncoder().encode(JSON.stringify({ architectures: ["Demo"], seed: s })) as Uint8Array<ArrayBuffer>,
		basic: noise(300 * 1024, s * 31),
		multipart: noise(1300 * 1024 + 5, s * 37),
	};
};

export const uploadCases: Case<Hub>[] = [
	{
		name: "deleteFiles with deletePatterns: the globs select files of the repo (a folder, a wildcard), deleted with the named paths in one commit",
		async run(c) {
			const repo = await freshRepo(c, "delete-globs");
			const names = ["keep.txt", "a.log", "logs/x.txt", "logs/deep/y.txt", "data/b.log", "data/c.csv"];
			await c.hub.uploadFiles({ ...auth(c), repo, files: names.map((path) => ({ path, content: path })) });
			const out = await c.hub.deleteFiles({ ...auth(c), repo, paths: ["data/c.csv"], deletePatterns: ["*.log", "logs/"] });
			assert(out.commit.oid, "one commit");
			const left = (await drain(c.hub.listFiles({ ...auth(c), repo, recursive: true }))).filter((e) => e.type === "file").map((e) => e.path).sort();
			eq(left, [".gitattributes", "keep.txt"], "what is left");
			await expectHubError(c.hub.deleteFiles({ ...auth(c), repo, deletePatterns: "*.parquet" }), c.hub, "EntryNotFound", "globs that select nothing");
			await expectHubError((c.hub as any).deleteFiles({ ...auth(c), repo, deletePatterns: 3 }), c.hub, "InvalidInput", "a pattern that is not a string");
			await expectHubError((c.hub as any).deleteFiles({ ...auth(c), repo }), c.hub, "InvalidInput", "neither paths nor patterns");
		},
	},
	{
		name: "commit: a regular, an LFS (basic) and an LFS (multipart) file in one commit, read back byte for byte",
		async run(c) {
			const repo = await freshRepo(c, "mixed");
			const f = files(c, 1);
			const events: HubApi.CommitProgressEvent[] = [];
			const out = await c.hub.commit({
				...auth(c),
				repo,
				title: "Add three files",
				operations: [
					{ operation: "addOrUpdate", path: "config.json", content: new Blob([f.regular]) },
					{ operation: "addOrUpdate", path: "weights/small.bin", content: f.basic },
					{ operation: "addOrUpdate", path: "weights/model.safetensors", content: new Blob([f.multipart]) },
				],
				useWebWorkers: c.runtime === "chromium" ? { minSize: 0 } : false,
				onProgress: (e) => events.push(e),
			});
			assert(/^[0-9a-f]{40}$/.test(out.commit.oid), `commit oid ${out.commit.oid}`);
			assert(out.commit.url.endsWith(out.commit.oid), "commit url");
			eq(out.pullRequestUrl, undefined, "no PR");
			sameBytes(await download(c, repo, "config.json", out.commit.oid), f.regular, "regular");
			sameBytes(await download(c, repo, "weights/small.bin"), f.basic, "basic");
			sameBytes(await download(c, repo, "weights/model.safetensors"), f.multipart, "multipart");
			const tree = await drain(c.hub.listFiles({ ...auth(c), repo, recursive: true }));
			const big = tree.find((e) => e.path === "weights/model.safetensors");
			eq(big?.lfs?.oid, await sha256Hex(f.multipart), "LFS oid is the sha256");
			eq(tree.find((e) => e.path === "config.json")?.lfs, undefined, "config.json is inline");
			const log = await requests(c, repo);
			const parts = log.filter((r) => r.method === "PUT" && r.path.startsWith("/part/"));
			eq(parts.length, Math.ceil(f.multipart.length / (256 * 1024)), "one PUT per part");
			assert(log.filter((r) => r.origin === "storage").every((r) => !r.auth), "no token on storage requests");
			const phases = events.filter((e) => e.event === "phase").map((e) => (e as { phase: string }).phase);
			eq(phases, ["preuploading", "hashing", "uploadingLargeFiles", "committing"], "phases");
			for (const path of ["weights/small.bin", "weights/model.safetensors"]) {
				for (const state of ["hashing", "uploading", "committed"]) {
					assert(
						events.some((e) => e.event === "fileProgress" && e.path === path && e.state === state && e.progress === 1),
						`${path} reaches ${state} 100%`,
					);
				}
			}
		},
	},
	{
		name: "commit: delete a file and a folder, open a PR, and parentCommit conflicts",
		async run(c) {
			const repo = await freshRepo(c, "ops");
			const first = await c.hub.uploadFiles({
				...auth(c),
				repo,
				files: [
					{ path: "keep.txt", content: "keep" },
					{ path: "gone.txt", content: "gone" },
					{ path: "logs/a.txt", content: "a" },
					{ path: "logs/deep/b.txt", content: "b" },
				],
			});
			const del = await c.hub.commit({
				...auth(c),
				repo,
				title: "Clean up",
				parentCommit: first.commit.oid,
				operations: [
					{ operation: "delete", path: "gone.txt" },
					{ operation: "deleteFolder", path: "logs/" },
				],
			});
			const paths = (await drain(c.hub.listFiles({ ...auth(c), repo, recursive: true }))).map((e) => e.path).sort();
			eq(paths, [".gitattributes", "keep.txt"], "after deletes");
			const stale = c.hub.uploadFile({ ...auth(c), repo, parentCommit: first.commit.oid, file: { path: "late.txt", content: "late" } });
			const e = await expectHubError(stale, c.hub, "PreconditionFailed", "stale parentCommit");
			eq(e.status, 412, "status");
			const pr = await c.hub.uploadFile({ ...auth(c), repo, isPullRequest: true, file: { path: "pr.txt", content: "from a PR" } });
			assert(pr.pullRequestUrl && /\/discussions\/\d+$/.test(pr.pullRequestUrl), `PR url ${pr.pullRequestUrl}`);
			const num = pr.pullRequestUrl.split("/").pop();
			eq(pr.pullRequestNum, Number(num), "the PR's number");
			sameBytes(await download(c, repo, "pr.txt", `refs/pr/${num}`), new TextEncoder().encode("from a PR"), "file on the PR ref");
			// `createPr` is huggingface_hub's name for the same thing.
			const pr2 = await c.hub.uploadFile({ ...auth(c), repo, createPr: true, file: { path: "pr2.txt", content: "second" } });
			eq(pr2.pullRequestNum, Number(num) + 1, "a second PR");
			eq(pr.commit.oid === pr2.commit.oid, false, "two commits");
			await expectHubError(c.hub.uploadFile({ ...auth(c), repo, createPr: true, isPullRequest: false, file: { path: "x.txt", content: "x" } }), c.hub, "InvalidInput", "createPr and isPullRequest disagree");
			eq(await c.hub.fileExists({ ...auth(c), repo, path: "pr.txt" }), false, "main is untouched");
			await c.hub.deleteFile({ ...auth(c), repo, path: "keep.txt", parentCommit: del.commit.oid });
			eq(await c.hub.fileExists({ ...auth(c), repo, path: "keep.txt" }), false, "deleteFile");
			await expectHubError(c.hub.deleteFile({ ...auth(c), repo, path: "never-there.txt" }), c.hub, "EntryNotFound", "deleting a missing file");
		},
	},
	{
		name: "createRepo, repoExists, deleteRepo, and Conflict when the repo exists",
		async run(c) {
			const repo = await freshRepo(c, "life");
			eq(await c.hub.repoExists({ ...auth(c), repo }), true, "exists");
			const e = await expectHubError(c.hub.createRepo({ ...auth(c), repo }), c.hub, "Conflict", "create twice");
			eq(e.status, 409, "status");
			const ds = `${repo}-data`;
			const { repoUrl } = await c.hub.createRepo({ ...auth(c), repo: { type: "dataset", name: ds }, private: true });
			assert(repoUrl.endsWith(`/datasets/${ds}`), `dataset url ${repoUrl}`);
			eq(await c.hub.repoExists({ hubUrl: c.hubUrl, repo: `datasets/${ds}` }), false, "private dataset, anonymous");
			eq(await c.hub.repoExists({ ...auth(c), repo: `datasets/${ds}` }), true, "private dataset, owner");
			await c.hub.deleteRepo({ ...auth(c), repo });
			eq(await c.hub.repoExists({ ...auth(c), repo }), false, "deleted");
			await expectHubError(c.hub.createRepo({ ...auth(c), repo: "spaces/test-user/no-sdk" }), c.hub, "InvalidInput", "space without sdk");
		},
	},
	{
		name: "commit: bad input is InvalidInput before any request to the Hub",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const base = { hubUrl: c.hubUrl, accessToken: c.token, repo: "test-user/whatever", fetch, title: "t" };
			const add = (path: string) => ({ operation: "addOrUpdate" as const, path, content: "x" });
			const bad: Array<[string, HubApi.CommitOperation[]]> = [
				["no operations", []],
				["duplicate paths", [add("a.txt"), add("a.txt")]],
				["add then delete", [add("a.txt"), { operation: "delete", path: "a.txt" }]],
				["parent folder", [add("../escape.txt")]],
				["absolute", [add("/etc/passwd")]],
				["empty path", [add("")]],
				["dot component", [add("a/./b")]],
			];
			for (const [what, operations] of bad) {
				await expectHubError(c.hub.commit({ ...base, operations }), c.hub, "InvalidInput", what);
			}
			await expectHubError(c.hub.commit({ ...base, title: " ", operations: [add("a")] }), c.hub, "InvalidInput", "empty title");
			await expectHubError(c.hub.commit({ ...base, parentCommit: "xyz", operations: [add("a")] }), c.hub, "InvalidInput", "bad parentCommit");
			eq(urls, [], "no request at all");
			// A URL that cannot be read (unreachable, or another origin without CORS) is reported as
			// such: a network failure naming the URL, before anything reaches the Hub.
			const e = await expectHubError(
				c.hub.uploadFile({ ...base, file: { path: "remote.bin", content: new URL("http://127.0.0.1:9/nothing.bin") } }),
				c.hub,
				"Network",
				"unreadable URL",
			);
			assert(e.message.includes("127.0.0.1:9"), e.message);
			// With a bad repo id, the URL content is not even looked at.
			const before = urls.length;
			await expectHubError(
				c.hub.uploadFile({ ...base, repo: "bad//repo", file: { path: "r.bin", content: new URL("http://127.0.0.1:9/never.bin") } }),
				c.hub,
				"InvalidInput",
				"bad repo with URL content",
			);
			eq(urls.length, before, "no request, not even to the URL");
			// A URL whose size cannot be known is refused, never committed as an empty file.
			const noLength: typeof fetch = async (input, init) =>
				String(input).startsWith("http://remote.test/") ? new Response(null, { status: 200 }) : fetch(input, init);
			await expectHubError(
				c.hub.uploadFile({ ...base, fetch: noLength, file: { path: "r.bin", content: new URL("http://remote.test/r.bin") } }),
				c.hub,
				"InvalidInput",
				"URL without Content-Length",
			);
			assert(!urls.some((u) => u.startsWith(c.hubUrl)), "nothing sent to the Hub");
		},
	},
	{
		name: "commit: 429 and 5xx on preupload, LFS batch and parts are retried and the commit lands once",
		async run(c) {
			const repo = await freshRepo(c, "faults");
			const name = repo.split("/")[1];
			await admin(c, "DELETE", "requests");
			await admin(c, "POST", "faults", [
				{ method: "POST", path: `/api/models/*/${name}/preupload/**`, times: 1, status: 429, retryAfter: 0 },
				{ method: "POST", path: `/*/${name}.git/info/lfs/objects/batch`, times: 1, status: 503, retryAfter: 0 },
				{ method: "PUT", path: "/part/**", origin: "storage", times: 2, status: 500 },
				{ method: "POST", path: "/complete/**", origin: "storage", times: 1, status: 502 },
			]);
			try {
				const f = files(c, 2);
				await c.hub.uploadFiles({
					...auth(c),
					repo,
					retry: quickRetry,
					files: [
						{ path: "config.json", content: f.regular },
						{ path: "model.safetensors", content: f.multipart },
					],
				});
				sameBytes(await download(c, repo, "model.safetensors"), f.multipart, "content");
				const log = await requests(c, repo);
				eq(commitsIn(log).length, 1, "exactly one commit request");
				const statuses = (pred: (r: LoggedRequest) => boolean) => log.filter(pred).map((r) => r.status);
				eq(statuses((r) => r.path.includes("/preupload/")), [429, 200], "preupload retried");
				eq(statuses((r) => r.path.endsWith("/objects/batch")), [503, 200], "batch retried");
				eq(statuses((r) => r.path.startsWith("/complete/")), [502, 200], "completion retried");
				assert(statuses((r) => r.path.startsWith("/part/")).filter((s) => s === 500).length === 2, "two failed part PUTs");
			} finally {
				await admin(c, "DELETE", "faults");
			}
		},
	},
	{
		name: "commit: a connection cut during a part upload is retried",
		async run(c) {
			const repo = await freshRepo(c, "cut");
			await admin(c, "POST", "faults", [{ method: "PUT", path: "/part/**", origin: "storage", times: 1, cutAfterBytes: 0 }]);
			try {
				const f = files(c, 3);
				await c.hub.uploadFile({ ...auth(c), repo, retry: quickRetry, file: { path: "m.bin", content: f.multipart } });
				sameBytes(await download(c, repo, "m.bin"), f.multipart, "content");
			} finally {
				await admin(c, "DELETE", "faults");
			}
		},
	},
	{
		name: "commit: re-running a failed upload skips the objects the Hub already has",
		async run(c) {
			const repo = await freshRepo(c, "resume");
			const name = repo.split("/")[1];
			const f = files(c, 4);
			const upload = () =>
				c.hub.uploadFiles({
					...auth(c),
					repo,
					retry: quickRetry,
					files: [
						{ path: "a.bin", content: f.basic },
						{ path: "b.safetensors", content: f.multipart },
					],
				});
			// The commit fails after every object was uploaded: a 500 on a commit is never retried.
			// (The Hub answers before reading the body, so some runtimes see the 500 and others a
			// reset connection: both are failures that must not be retried.)
			await admin(c, "POST", "faults", [{ method: "POST", path: `/api/models/*/${name}/commit/**`, times: 1, status: 500 }]);
			try {
				await upload();
				throw new Error("the commit should have failed");
			} catch (e) {
				assert(e instanceof c.hub.HubError && ["Http", "Network"].includes(e.code), `failing commit: ${String(e)}`);
			} finally {
				await admin(c, "DELETE", "faults");
			}
			eq(await c.hub.fileExists({ ...auth(c), repo, path: "a.bin" }), false, "nothing landed");
			eq(commitsIn(await requests(c, repo)).length, 1, "the failed commit was sent once, not retried");
			await admin(c, "DELETE", "requests");
			await upload();
			const log = await requests(c, repo);
			eq(log.filter((r) => r.origin === "storage").length, 0, "no upload to storage the second time");
			eq(commitsIn(log).length, 1, "one commit");
			sameBytes(await download(c, repo, "b.safetensors"), f.multipart, "content");
		},
	},
	{
		name: "commit: many small files are read together, not file by file, and land byte for byte",
		async run(c) {
			const repo = await freshRepo(c, "many");
			let reads = 0;
			/** A Blob that counts every read of itself or of its slices through its own methods. */
			class CountingBlob extends Blob {
				override slice(start?: number, end?: number, type?: string): Blob {
					reads++;
					return super.slice(start, end, type);
				}
				override arrayBuffer(): Promise<ArrayBuffer> {
					reads++;
					return super.arrayBuffer();
				}
				override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
					reads++;
					return super.stream();
				}
			}
			const contents = Array.from({ length: 40 }, (_, i) => noise(100 + i * 97, i + 1));
			await c.hub.uploadFiles({
				...auth(c),
				repo,
				files: contents.map((bytes, i) => ({ path: `small/${i}.txt`, content: new CountingBlob([bytes]) })),
			});
			// Read as one Blob of them all: no read of any single file, neither a sample nor a body.
			eq(reads, 0, "reads of single files");
			sameBytes(await download(c, repo, "small/39.txt"), contents[39]!, "content");
		},
	},
	{
		name: "commit: a File's hash is remembered (IndexedDB in browsers), so re-uploading it does not hash again",
		async run(c) {
			const repo = await freshRepo(c, "hashmemo");
			const f = files(c, 6);
			const file = new File([f.basic], "memo.bin", { lastModified: 1_700_000_000_000 });
			let hashed = 0;
			const hasher: HubApi.Hasher = async (content, onBytes) => {
				hashed++;
				const digest = await sha256Hex(new Uint8Array(await content.arrayBuffer()));
				onBytes(content.size);
				return digest;
			};
			await c.hub.uploadFile({ ...auth(c), repo, file, hasher });
			eq(hashed, 1, "first upload hashes");
			await c.hub.uploadFile({ ...auth(c), repo, file, hasher, commitTitle: "again" });
			// Only browsers have IndexedDB; elsewhere hashing again is the documented behaviour.
			eq(hashed, typeof indexedDB === "undefined" ? 2 : 1, "second upload of the same File");
			// The same File at another path is hashed again: the path is part of what is remembered.
			await c.hub.uploadFile({ ...auth(c), repo, file: { path: "elsewhere/memo.bin", content: file }, hasher });
			eq(hashed, typeof indexedDB === "undefined" ? 3 : 2, "the same File at another path");
			sameBytes(await download(c, repo, "memo.bin"), f.basic, "content");
		},
	},
	{
		name: "commit: aborting mid-upload rejects with AbortError and no commit lands",
		async run(c) {
			const repo = await freshRepo(c, "abort");
			await admin(c, "POST", "faults", [{ method: "PUT", path: "/part/**", origin: "storage", latencyMs: 3000 }]);
			const ac = new AbortController();
			try {
				const p = c.hub.uploadFile({
					...auth(c),
					repo,
					abortSignal: ac.signal,
					file: { path: "slow.bin", content: files(c, 5).multipart },
					onProgress: (e) => {
						if (e.event === "phase" && e.phase === "uploadingLargeFiles") setTimeout(() => ac.abort(), 50);
					},
				});
				try {
					await p;
					throw new Error("expected an abort");
				} catch (e) {
					eq((e as Error).name, "AbortError", "name");
				}
			} finally {
				await admin(c, "DELETE", "faults");
			}
			eq(await c.hub.fileExists({ ...auth(c), repo, path: "slow.bin" }), false, "no commit landed");
			eq(commitsIn(await requests(c, repo)).length, 0, "no commit was even sent");
		},
	},
	{
		name: "commit: an abort between two part uploads, each answered, is AbortError (not a commit that moved on short of answers)",
		async run(c) {
			const repo = await freshRepo(c, "abort-between");
			const ac = new AbortController();
			// The first part's PUT is answered, and the caller aborts right then: no request is
			// cut, so only the driver can notice.
			const abortAfterFirstPart = (async (input: RequestInfo | URL, init?: RequestInit) => {
				const res = await fetch(input, init);
				if (init?.method === "PUT" && String(input).includes("/part/")) ac.abort();
				return res;
			}) as typeof fetch;
			try {
				await c.hub.uploadFile({
					...auth(c),
					repo,
					abortSignal: ac.signal,
					fetch: abortAfterFirstPart,
					concurrency: { files: 1, parts: 1 },
					file: { path: "between.bin", content: files(c, 6).multipart },
				});
				throw new Error("expected an abort");
			} catch (e) {
				eq((e as Error).name, "AbortError", `name (${(e as Error).message})`);
			}
			eq(await c.hub.fileExists({ ...auth(c), repo, path: "between.bin" }), false, "no commit landed");
		},
	},
];

import type * as HubApi from "../dist/api.js";
