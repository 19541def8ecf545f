// The cross-runtime scenario: the same cases run in Node, real Chromium and real workerd against
// the local Hub, each with that runtime's package entry in `ctx.hub`.
import { accessCases } from "./access-cases.js";
import { apiShapeCases } from "./api-shape-cases.js";
import { driverCases } from "./driver-cases.js";
import { faultCases } from "./fault-cases.js";
import { inputCases } from "./input-cases.js";
import { manageCases } from "./manage-cases.js";
import { folderCases } from "./folder-cases.js";
import { oauthCases } from "./oauth-cases.js";
import { refsCases } from "./refs-cases.js";
import { infoCases } from "./info-cases.js";
import { safetensorsCases } from "./safetensors-cases.js";
import { transformersCases } from "./transformers-cases.js";
import { admin, assert, bytesOf, countingFetch, drain, eq, expectHubError, gitBlobSha1, runtimeCache, sameBytes, type C, type Hub } from "./helpers.js";
import type { Case } from "./support/types.js";
import { uploadCases } from "./upload-cases.js";

const pub = (c: C) => ({ repo: c.fixtures.publicRepo, hubUrl: c.hubUrl });

export const cases: Case<Hub>[] = [
	...uploadCases,
	...apiShapeCases,
	...driverCases,
	...inputCases,
	...faultCases,
	...transformersCases,
	...refsCases,
	...infoCases,
	...accessCases,
	...manageCases,
	...folderCases,
	...oauthCases,
	...safetensorsCases,
	{
		name: "listFiles follows every page and lists every file with its git oid",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const entries = await drain(c.hub.listFiles({ ...pub(c), recursive: true, fetch }));
			const files = entries.filter((e) => e.type === "file");
			for (const f of c.fixtures.files) {
				const e = files.find((x) => x.path === f.path);
				assert(e, `${f.path} is listed`);
				eq(e.size, f.size, `${f.path} size`);
				eq(e.oid, await gitBlobSha1(bytesOf(f)), `${f.path} oid`);
			}
			assert(entries.some((e) => e.type === "directory" && e.path === "nested/deeper"), "folders are listed");
			if (c.fixtures.pageSize) {
				const pages = Math.ceil(entries.length / c.fixtures.pageSize);
				eq(urls.length, pages, "one request per page");
			}
		},
	},
	{
		name: "listFiles of a sub-folder, non-recursive, lists its direct children",
		async run(c) {
			const entries = await drain(c.hub.listFiles({ ...pub(c), path: "nested" }));
			eq(entries.map((e) => `${e.type}:${e.path}`).sort(), ["directory:nested/deeper", "file:nested/sibling.txt"], "children");
		},
	},
	{
		name: "downloadFile returns every file byte for byte (Blob and ReadableStream)",
		async run(c) {
			for (const f of c.fixtures.files) {
				const blob = await c.hub.downloadFile({ ...pub(c), path: f.path });
				assert(blob, `${f.path} downloads`);
				sameBytes(new Uint8Array(await blob.arrayBuffer()), bytesOf(f), f.path);
			}
			const big = c.fixtures.files.find((f) => f.size > 100_000)!;
			const stream = await c.hub.downloadFile({ ...pub(c), path: big.path, stream: true });
			assert(stream, "stream");
			const chunks: Uint8Array[] = [];
			const reader = stream.getReader();
			for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
			const joined = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
			sameBytes(joined, bytesOf(big), "streamed");
			const slice = await c.hub.downloadFile({ ...pub(c), path: big.path, range: [1000, 1009] });
			sameBytes(new Uint8Array(await slice!.arrayBuffer()), bytesOf(big).slice(1000, 1010), "range");
		},
	},
	{
		name: "fileDownloadInfo gives size, quoted git etag and the commit",
		async run(c) {
			for (const f of c.fixtures.files.slice(0, 4)) {
				const info = await c.hub.fileDownloadInfo({ ...pub(c), path: f.path });
				assert(info, `${f.path} info`);
				eq(info.size, f.size, `${f.path} size`);
				eq(info.etag, `"${await gitBlobSha1(bytesOf(f))}"`, `${f.path} etag`);
				assert(/^[0-9a-f]{40}$/.test(info.commitOid ?? ""), `commit ${info.commitOid}`);
				assert(info.url.startsWith(`${c.hubUrl}/${c.fixtures.publicRepo}/resolve/main/`), `url ${info.url}`);
			}
			eq(await c.hub.fileDownloadInfo({ ...pub(c), path: "no/such/file" }), null, "missing file");
		},
	},
	{
		name: "fileExists and pathsInfo",
		async run(c) {
			eq(await c.hub.fileExists({ ...pub(c), path: "config.json" }), true, "file");
			eq(await c.hub.fileExists({ ...pub(c), path: "nested" }), false, "folder");
			eq(await c.hub.fileExists({ ...pub(c), path: "nope.txt" }), false, "missing");
			const infos = await c.hub.pathsInfo({ ...pub(c), paths: ["config.json", "nested", "nope.txt"], expand: true });
			eq(infos.map((i) => i.path).sort(), ["config.json", "nested"], "missing paths are omitted");
			const cfg = infos.find((i) => i.path === "config.json")!;
			assert(cfg.lastCommit && cfg.lastCommit.date instanceof Date && !isNaN(cfg.lastCommit.date.getTime()), "expand gives a Date");
		},
	},
	{
		name: "whoAmI names the token's user",
		async run(c) {
			const me = await c.hub.whoAmI({ hubUrl: c.hubUrl, accessToken: c.token });
			eq(me.name, c.fixtures.publicRepo.split("/")[0], "name");
			eq(me.type, "user", "type");
			eq(me.auth.accessToken?.role, "write", "role");
			await expectHubError(c.hub.whoAmI({ hubUrl: c.hubUrl, accessToken: "hf_wrongwrongwrong" }), c.hub, "AuthRequired", "bad token");
		},
	},
	{
		name: "missing repo, revision and file get their own codes",
		async run(c) {
			const e = await expectHubError(
				drain(c.hub.listFiles({ repo: "test-user/does-not-exist", hubUrl: c.hubUrl, accessToken: c.token })),
				c.hub,
				"RepoNotFound",
				"missing repo",
			);
			eq(e.status, 404, "status with a token");
			assert(e.url?.startsWith(c.hubUrl), `url ${e.url}`);
			assert(e.requestId, "request id");
			await expectHubError(c.hub.downloadFile({ ...pub(c), revision: "no-such-branch", path: "config.json" }), c.hub, "RevisionNotFound", "missing revision");
			await expectHubError(drain(c.hub.listFiles({ ...pub(c), path: "no-such-folder" })), c.hub, "EntryNotFound", "missing folder");
			eq(await c.hub.downloadFile({ ...pub(c), path: "no-such-file.txt" }), null, "missing file downloads as null");
		},
	},
	{
		name: "a private repo is RepoNotFound without a token and readable with it",
		async run(c) {
			const priv = { repo: c.fixtures.privateRepo, hubUrl: c.hubUrl };
			const f = c.fixtures.privateFiles[0]!;
			const e = await expectHubError(c.hub.downloadFile({ ...priv, path: f.path }), c.hub, "RepoNotFound", "anonymous");
			eq(e.status, 401, "anonymous status");
			await expectHubError(drain(c.hub.listFiles(priv)), c.hub, "RepoNotFound", "anonymous listing");
			const blob = await c.hub.downloadFile({ ...priv, path: f.path, accessToken: c.token });
			sameBytes(new Uint8Array(await blob!.arrayBuffer()), bytesOf(f), "with token");
			const legacy = await c.hub.downloadFile({ ...priv, path: f.path, credentials: { accessToken: c.token } });
			assert(legacy, "the legacy credentials option works too");
		},
	},
	{
		name: "bad repo ids, revisions and paths are InvalidInput and never reach fetch",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const base = { hubUrl: c.hubUrl, fetch };
			for (const repo of ["", "a/b/c", "user/-bad", "user/bad--name", "user/x.git", "user/sp ace"]) {
				await expectHubError(drain(c.hub.listFiles({ ...base, repo })), c.hub, "InvalidInput", `repo ${repo}`);
			}
			for (const revision of ["a..b", "has space", "refs/pr/x", "ends/"]) {
				await expectHubError(c.hub.downloadFile({ ...base, repo: "u/m", revision, path: "a" }), c.hub, "InvalidInput", `revision ${revision}`);
			}
			for (const path of ["", "../etc/passwd", "/abs", "a//b", ".git/config"]) {
				await expectHubError(c.hub.fileDownloadInfo({ ...base, repo: "u/m", path }), c.hub, "InvalidInput", `path ${path}`);
			}
			await expectHubError(c.hub.pathsInfo({ ...base, repo: "u/m", paths: [] }), c.hub, "InvalidInput", "no paths");
			await expectHubError(c.hub.downloadFile({ ...base, repo: "u/m", path: "a", range: [-1, 4] }), c.hub, "InvalidInput", "negative range");
			await expectHubError(c.hub.whoAmI({ hubUrl: c.hubUrl, fetch }), c.hub, "InvalidInput", "whoAmI without a token");
			eq(urls, [], "fetch calls");
		},
	},
	{
		name: "the cache of this runtime: a miss, then a hit and a whole snapshot with zero requests",
		async run(c) {
			// Each runtime's own store: IndexedDB, the Cache API, the huggingface_hub folder layout.
			const cache = runtimeCache(c, "scenario");
			const info = await c.hub.fileDownloadInfo({ ...pub(c), path: "config.json" });
			const commit = info!.commitOid!;
			const at = { ...pub(c), revision: commit, cache };
			const f = c.fixtures.files.find((x) => x.path === "weights/random.bin")!;
			const miss = await c.hub.downloadFileWithInfo({ ...at, path: f.path });
			eq(miss?.source, "network", "first download");
			sameBytes(new Uint8Array(await miss!.blob.arrayBuffer()), bytesOf(f), "miss bytes");
			await admin(c, "DELETE", "requests");
			const hit = await c.hub.downloadFileWithInfo({ ...at, path: f.path });
			eq(hit?.source, "cache", "second download");
			sameBytes(new Uint8Array(await hit!.blob.arrayBuffer()), bytesOf(f), "hit bytes");
			const first = await c.hub.snapshotDownload({ ...at, allowPatterns: ["*.txt", "nested/"] });
			eq(first.commitOid, commit, "snapshot commit");
			eq(first.files.map((x) => x.path), ["données/été.txt", "hash#name.txt", "nested/deeper/leaf.txt", "nested/sibling.txt", "what?.txt", "with space.txt"], "selected files");
			const firstLog = (await admin(c, "GET", "requests")) as { path: string }[];
			eq(firstLog.filter((r) => r.path.includes("/paths-info/")).length, 0, "paths-info requests of a snapshot (its listing names every file)");
			await admin(c, "DELETE", "requests");
			const again = await c.hub.snapshotDownload({ ...at, allowPatterns: ["*.txt", "nested/"] });
			assert(again.files.every((x) => x.source === "cache"), "all from the cache");
			const log = ((await admin(c, "GET", "requests")) as { method: string }[]).filter((r) => r.method !== "OPTIONS");
			eq(log.length, 0, "requests for a cached commit");
			// Private repos can be kept out of the cache.
			const secret = c.fixtures.privateFiles[0]!;
			const priv = { repo: c.fixtures.privateRepo, hubUrl: c.hubUrl, accessToken: c.token, path: secret.path, cache };
			const kept = await c.hub.downloadFileWithInfo({ ...priv, cachePrivate: false });
			eq(kept?.cached, false, "a private file with cachePrivate: false is not cached");
			sameBytes(new Uint8Array(await kept!.blob.arrayBuffer()), bytesOf(secret), "private bytes");
			const listed = await c.hub.listCachedFiles({ cache, repo: c.fixtures.privateRepo });
			eq(listed.length, 0, "nothing of the private repo in the cache");
			eq((await c.hub.downloadFileWithInfo(priv))?.cached, true, "cached by default");
			await c.hub.clearCache({ cache });
			eq(await c.hub.cacheSize({ cache }), 0, "cleared");
		},
	},
	{
		name: "cache: true is the runtime's own store, false none, a store is used as is; anything else is InvalidInput with no request",
		async run(c) {
			const at = { ...pub(c), path: "config.json" };
			const own = await c.hub.downloadFileWithInfo({ ...at, cache: true });
			eq(own?.cached, true, "cache: true stores the file");
			eq((await c.hub.downloadFileWithInfo({ ...at, cache: true }))?.source, "cache", "and serves it the second time");
			eq((await c.hub.downloadFileWithInfo({ ...at, cache: false }))?.cached, false, "cache: false stores nothing");
			const store = runtimeCache(c, "cache-option");
			eq((await c.hub.downloadFileWithInfo({ ...at, cache: store }))?.cached, true, "a store object");
			eq((await c.hub.listCachedFiles({ cache: store })).length, 1, "the file is in that store");
			await admin(c, "DELETE", "requests");
			for (const bad of ["yes", 1, {}, [], null]) {
				if (bad === null) continue; // null is "not given": the entry's default
				await expectHubError(c.hub.downloadFile({ ...at, cache: bad as never }), c.hub, "InvalidInput", `cache ${JSON.stringify(bad)}`);
				await expectHubError(c.hub.snapshotDownload({ ...pub(c), cache: bad as never }), c.hub, "InvalidInput", `snapshot cache ${JSON.stringify(bad)}`);
				await expectHubError(c.hub.cacheSize({ cache: bad as never }), c.hub, "InvalidInput", `cacheSize cache ${JSON.stringify(bad)}`);
			}
			eq(((await admin(c, "GET", "requests")) as unknown[]).length, 0, "requests logged for bad caches");
			await c.hub.clearCache({ cache: true });
			await c.hub.clearCache({ cache: store });
		},
	},
	{
		name: "an aborted signal rejects with AbortError, not a HubError",
		async run(c) {
			const ac = new AbortController();
			ac.abort();
			try {
				await c.hub.downloadFile({ ...pub(c), path: "config.json", abortSignal: ac.signal });
				throw new Error("expected an abort");
			} catch (e) {
				eq((e as Error).name, "AbortError", "name");
				assert(!(e instanceof c.hub.HubError), "not wrapped");
			}
		},
	},
];
