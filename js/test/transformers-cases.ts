// transformersCache (issue 17): hubwasm's cache as transformers.js' `env.customCache`, exercised
// the way transformers.js calls it (`match(url)`, then `put(url, response)` of what it fetched),
// against the local Hub, in each runtime's own store: the huggingface_hub folder (Node),
// IndexedDB (Chromium), the Cache API (workerd). The real library is run by
// transformers.test.mjs.
import { admin, assert, bytesOf, countingFetch, eq, expectHubError, freshRepo, noise, sameBytes, type C, type Hub, type LoggedRequest } from "./helpers.js";
import type { Case } from "./support/types.js";
import type { CacheStore } from "../dist/api.js";

/** This runtime's store under `id`: the same name opens the same stored data again, as a new
 * page load or process would. */
function namedCache(c: C, id: string): CacheStore {
	if (c.runtime === "chromium") return new c.hub.IndexedDbCache({ name: id });
	if (c.runtime === "workerd") return new c.hub.CacheApiStore({ name: id });
	const node = c.hub as unknown as { FileSystemCache: new (o: { cacheDir: string }) => CacheStore };
	return new node.FileSystemCache({ cacheDir: `/tmp/hubwasm-${id}` });
}

const freshId = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/** The URL transformers.js asks for: `remoteHost` + `{model}/resolve/{revision}/` + the path as
 * it is (transformers.js does not encode it; the revision is URL-encoded). */
const fileUrl = (c: C, repo: string, revision: string, path: string) => `${c.hubUrl}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;

/** The Hub's logged requests since the last clear (CORS preflights left out). */
async function hubRequests(c: C): Promise<LoggedRequest[]> {
	return ((await admin(c, "GET", "requests")) as LoggedRequest[]).filter((r) => r.method !== "OPTIONS");
}

async function bytesOfResponse(r: Response | undefined, what: string): Promise<Uint8Array> {
	assert(r instanceof Response, `${what}: a Response, got ${String(r)}`);
	return new Uint8Array(await r.arrayBuffer());
}

/** A fresh repo with one LFS file (`model.bin`, served by the storage host after a redirect). */
async function lfsRepo(c: C): Promise<{ repo: string; bytes: Uint8Array<ArrayBuffer>; commit: string }> {
	const repo = await freshRepo(c, "tfcache");
	const bytes = noise(200 * 1024, 0x7f + ["node", "chromium", "workerd"].indexOf(c.runtime));
	const out = await c.hub.uploadFile({ repo, hubUrl: c.hubUrl, accessToken: c.token, file: { path: "model.bin", content: new Blob([bytes]) } });
	const info = await c.hub.pathsInfo({ repo, hubUrl: c.hubUrl, paths: ["model.bin"], revision: out.commit.oid });
	assert(info[0]?.lfs, "model.bin is an LFS file");
	return { repo, bytes, commit: out.commit.oid };
}

/** Chromium's HTTP cache must not answer the tests' own fetches of a file twice. */
const noStore = (input: string) => fetch(input, { cache: "no-store" });

export const transformersCases: Case<Hub>[] = [
	{
		name: "transformersCache: a miss is undefined, put stores the file, match and downloadFile(offline) read it, a new page's cache object asks no one",
		async run(c) {
			const id = freshId("tf");
			const store = namedCache(c, id);
			const { fetch, urls } = countingFetch();
			const tc = c.hub.transformersCache({ hubUrl: c.hubUrl, cache: store, fetch });
			const repo = c.fixtures.publicRepo;
			const url = fileUrl(c, repo, "main", "config.json");
			const want = bytesOf(c.fixtures.files.find((f) => f.path === "config.json")!);

			const miss = await tc.match(url);
			assert(miss === undefined, `a miss is undefined (not null): ${String(miss)}`);
			for (const other of [`/models/${repo}/config.json`, "https://cdn.example.org/ort-wasm.wasm", `${c.hubUrl}/api/models/${repo}`, `${c.hubUrl}/${repo}/blob/main/config.json`]) {
				assert((await tc.match(other)) === undefined, `not a file on the Hub: ${other}`);
			}
			eq(urls, [], "match asks no one");

			// What transformers.js does on a miss: fetch, then put (here the unread response).
			const progress: number[] = [];
			await tc.put(url, await noStore(url), (p) => progress.push(p.progress));
			eq(progress.at(-1), 100, "progress ends at 100");
			eq(urls.filter((u) => u.includes("/resolve/")).length, 0, "put does not download the file again");
			assert(urls.length <= 2, `put asks the commit and the etag, no more: ${urls.join(", ")}`);

			const hit = await tc.match(url);
			sameBytes(await bytesOfResponse(hit, "hit"), want, "match after put");
			eq(hit!.headers.get("content-length"), String(want.length), "content-length");
			sameBytes(await bytesOfResponse(await tc.match(new Request(url)), "a Request"), want, "match of a Request");
			const offline = await c.hub.downloadFile({ repo, hubUrl: c.hubUrl, path: "config.json", cache: store, offline: true });
			sameBytes(new Uint8Array(await offline!.arrayBuffer()), want, "downloadFile offline reads what put stored");
			// Storing again: already there, nothing downloaded.
			await tc.put(url, await noStore(url));

			// A new page load: a new store object over the same data, a new cache object.
			await admin(c, "DELETE", "requests");
			const again = countingFetch();
			const tc2 = c.hub.transformersCache({ hubUrl: c.hubUrl, cache: namedCache(c, id), fetch: again.fetch });
			sameBytes(await bytesOfResponse(await tc2.match(url), "after a reload"), want, "match after a reload");
			eq(again.urls, [], "fetch calls after a reload");
			eq((await hubRequests(c)).length, 0, "requests the Hub logged after a reload");

			eq(await tc2.delete(url), true, "delete of a cached file");
			assert((await tc2.match(url)) === undefined, "deleted: a miss");
			eq(await tc2.delete(url), false, "delete of a file not cached");
			await c.hub.clearCache({ cache: store });
		},
	},
	{
		name: "transformersCache: files downloadFile cached are hits for match (branch, commit, awkward names) with no request",
		async run(c) {
			const store = namedCache(c, freshId("tf-shared"));
			const repo = c.fixtures.publicRepo;
			const paths = ["nested/sibling.txt", "données/été.txt", "with space.txt", "hash#name.txt"];
			let commit = "";
			for (const path of paths) {
				const r = await c.hub.downloadFileWithInfo({ repo, hubUrl: c.hubUrl, path, cache: store });
				commit = r!.commitOid!;
			}
			await admin(c, "DELETE", "requests");
			const { fetch, urls } = countingFetch();
			const tc = c.hub.transformersCache({ hubUrl: c.hubUrl, cache: store, fetch });
			for (const path of paths) {
				const want = bytesOf(c.fixtures.files.find((f) => f.path === path)!);
				// transformers.js leaves the path as it is; a '#' must be encoded to reach the Hub at all.
				const asked = path.replace("#", "%23");
				sameBytes(await bytesOfResponse(await tc.match(fileUrl(c, repo, "main", asked)), path), want, `${path} at main`);
				sameBytes(await bytesOfResponse(await tc.match(fileUrl(c, repo, commit, asked)), path), want, `${path} at its commit`);
			}
			assert((await tc.match(fileUrl(c, repo, "main", "config.json"))) === undefined, "a file nobody downloaded is a miss");
			assert((await tc.match(fileUrl(c, repo, "other-branch", "nested/sibling.txt"))) === undefined, "a branch never seen is a miss");
			eq(urls, [], "fetch calls");
			eq((await hubRequests(c)).length, 0, "requests the Hub logged");
			await c.hub.clearCache({ cache: store });
		},
	},
	{
		name: "transformersCache: put of an LFS file (the storage host's response after the redirect) is checked against the Hub's etag; a tampered body is not stored",
		async run(c) {
			const store = namedCache(c, freshId("tf-lfs"));
			const { repo, bytes, commit } = await lfsRepo(c);
			const tc = c.hub.transformersCache({ hubUrl: c.hubUrl, cache: store });
			const url = fileUrl(c, repo, "main", "model.bin");

			// The bytes changed on the way, the storage host's headers kept.
			const original = await noStore(url);
			eq(original.headers.get("x-linked-etag"), null, "the redirect's X-Linked-Etag is not on the final response");
			const tampered = new Uint8Array(bytes);
			tampered[1000] = tampered[1000]! ^ 0xff;
			await original.body?.cancel();
			await expectHubError(tc.put(url, new Response(tampered, { headers: original.headers })), c.hub, "Integrity", "a tampered body");
			assert((await tc.match(url)) === undefined, "nothing matched after a tampered put");
			eq(await c.hub.listCachedFiles({ cache: store }), [], "nothing listed after a tampered put");
			await expectHubError(c.hub.downloadFile({ repo, hubUrl: c.hubUrl, path: "model.bin", cache: store, offline: true }), c.hub, "NotCached", "offline after a tampered put");

			// The real response: stored, and read back by match and by downloadFile.
			await tc.put(url, await noStore(url));
			sameBytes(await bytesOfResponse(await tc.match(url), "LFS hit"), bytes, "match after put");
			sameBytes(await bytesOfResponse(await tc.match(fileUrl(c, repo, commit, "model.bin")), "LFS at its commit"), bytes, "match at the commit");
			const offline = await c.hub.downloadFile({ repo, hubUrl: c.hubUrl, path: "model.bin", cache: store, offline: true });
			sameBytes(new Uint8Array(await offline!.arrayBuffer()), bytes, "downloadFile offline");
			const listed = await c.hub.listCachedFiles({ cache: store });
			eq(listed.map((e) => [e.path, e.commitOid, e.size]), [["model.bin", commit, bytes.length]], "listed once, at the commit");

			// A body cut short is completed from the Hub, and verified.
			const cutStore = namedCache(c, freshId("tf-cut"));
			const cut = c.hub.transformersCache({ hubUrl: c.hubUrl, cache: cutStore, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
			await cut.put(url, new Response(bytes.slice(0, 50_000)));
			sameBytes(await bytesOfResponse(await cut.match(url), "completed"), bytes, "a short body completed from the Hub");
			await c.hub.clearCache({ cache: store });
			await c.hub.clearCache({ cache: cutStore });
		},
	},
	{
		name: "transformersCache: the runtime's own store by default, shared with cache: true",
		async run(c) {
			const repo = c.fixtures.publicRepo;
			const tc = c.hub.transformersCache({ hubUrl: c.hubUrl });
			const url = fileUrl(c, repo, "main", "nested/deeper/leaf.txt");
			await tc.put(url, await noStore(url));
			const r = await c.hub.downloadFileWithInfo({ repo, hubUrl: c.hubUrl, path: "nested/deeper/leaf.txt", cache: true, offline: true });
			eq(r?.source, "cache", "put into the default store, read with cache: true");
			await c.hub.clearCache({ cache: true });
		},
	},
	{
		name: "transformersCache: bad options and arguments are InvalidInput with no request; other URLs and failed responses are left alone",
		async run(c) {
			const { fetch, urls } = countingFetch();
			const h = c.hub as unknown as { transformersCache(o?: unknown): Record<string, (...a: unknown[]) => Promise<unknown>> };
			const bad = async (f: () => unknown, what: string) => {
				try {
					await f();
				} catch (e) {
					assert(e instanceof c.hub.HubError, `${what}: a HubError, got ${String(e)}`);
					eq(e.code, "InvalidInput", `${what}: code (${e.message})`);
					return;
				}
				throw new Error(`${what}: expected InvalidInput`);
			};
			for (const cache of [false, "yes", 1, {}, []]) await bad(() => h.transformersCache({ hubUrl: c.hubUrl, cache, fetch }), `cache ${JSON.stringify(cache)}`);
			await bad(() => h.transformersCache({ hubUrl: c.hubUrl, freshnessMs: -1, fetch }), "freshnessMs -1");
			await bad(() => h.transformersCache({ hubUrl: "ftp://example.org", fetch }), "hubUrl ftp");
			await bad(() => h.transformersCache("https://huggingface.co"), "a string for options");
			const store = namedCache(c, freshId("tf-bad"));
			const tc = h.transformersCache({ hubUrl: c.hubUrl, cache: store, fetch });
			const url = fileUrl(c, c.fixtures.publicRepo, "main", "config.json");
			await bad(() => tc.match!(42), "match(42)");
			await bad(() => tc.put!(url, "not a response"), "put of a string");
			await bad(() => tc.put!(url, new Response("x"), "not a function"), "put with a progressCallback that is not a function");
			eq(urls, [], "fetch calls for bad input");
			// Not the Hub's, or not a file: resolved, nothing stored, no request.
			await tc.put!("https://cdn.example.org/ort-wasm-simd.wasm", new Response("wasm"));
			await tc.put!(`${c.hubUrl}/${c.fixtures.publicRepo}/resolve/main/a//b`, new Response("x"));
			await tc.put!(url, new Response("missing", { status: 404 }));
			eq(urls, [], "fetch calls for responses that are not stored");
			eq(await c.hub.listCachedFiles({ cache: store }), [], "nothing stored");
		},
	},
];
