// Faults (issue 16): reads retried like commits, cut and short bodies resumed or failed as a
// HubError, redirects that cannot be followed. Against the local Hub's fault injection
// (tests/hub-server/src/faults.rs), and a scripted `fetch` where the Hub cannot misbehave that way.
// The same in Node, Chromium and workerd.
import { admin, assert, bytesOf, drain, eq, expectHubError, freshRepo, noise, runtimeCache, sameBytes, type C, type Hub, type LoggedRequest } from "./helpers.js";
import type { Case } from "./support/types.js";

/** Retries fast enough for a test; `maxRetries` small where a fault lasts forever. */
const quick = { baseDelayMs: 5, maxDelayMs: 20 };
const brief = { ...quick, maxRetries: 2 };

/** Chromium's HTTP cache keeps what a cut response delivered and asks the network only for the
 * rest: the Hub's log would show the browser's requests, not the client's. */
const noStore: typeof fetch = (input, init) => globalThis.fetch(input, { ...init, cache: "no-store" });
const fetchOf = (c: C) => (c.runtime === "chromium" ? { fetch: noStore } : {});

const pub = (c: C) => ({ repo: c.fixtures.publicRepo, hubUrl: c.hubUrl, retry: quick, ...fetchOf(c) });
const nameOf = (repo: string) => repo.split("/")[1]!;
const big = (c: C) => c.fixtures.files.find((f) => f.path === "weights/random.bin")!;

/** Runs `body` with the fault `rules` in place and a fresh request log; removes the rules after. */
async function withFaults<T>(c: C, rules: object[], body: () => Promise<T>): Promise<T> {
	await admin(c, "DELETE", "requests");
	await admin(c, "POST", "faults", rules);
	try {
		return await body();
	} finally {
		await admin(c, "DELETE", "faults");
	}
}

/** A logged request with the `Range` it asked for. */
type Logged = LoggedRequest & { range?: string | null };

/** The requests logged since the last clear whose path contains `part` (CORS preflights left out). */
async function logged(c: C, part: string): Promise<Logged[]> {
	return ((await admin(c, "GET", "requests")) as Logged[]).filter((r) => r.method !== "OPTIONS" && r.path.includes(part));
}

const statuses = (log: Logged[]) => log.map((r) => r.status);
/** Where each logged request's `Range` starts (`-` for none). */
const starts = (log: Logged[]) => log.map((r) => (r.range ? Number(/^bytes=(\d+)-/.exec(r.range)?.[1]) : "-"));

async function blobBytes(b: Blob | null): Promise<Uint8Array> {
	assert(b, "a Blob");
	return new Uint8Array(await b.arrayBuffer());
}

async function streamBytes(s: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
	assert(s, "a stream");
	const chunks: Uint8Array[] = [];
	const reader = s.getReader();
	for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
	return new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
}

/** A fresh repo with one LFS file (`w.bin`, served by the storage host) of `size` bytes. */
async function lfsRepo(c: C, size = 300 * 1024): Promise<{ repo: string; bytes: Uint8Array; commit: string }> {
	const repo = await freshRepo(c, "faulty");
	const bytes = noise(size, 0x5eed + ["node", "chromium", "workerd"].indexOf(c.runtime) + size);
	const out = await c.hub.uploadFile({ repo, hubUrl: c.hubUrl, accessToken: c.token, file: { path: "w.bin", content: new Blob([bytes]) } });
	const info = await c.hub.pathsInfo({ repo, hubUrl: c.hubUrl, paths: ["w.bin"], revision: out.commit.oid });
	assert(info[0]?.lfs, "w.bin is an LFS file");
	return { repo, bytes, commit: out.commit.oid };
}

/** A fetch answering from `routes` (first match wins), recording each call. */
function scripted(routes: { match: string; status?: number; location?: string; body?: string }[]) {
	const calls: { url: string; auth: string | null }[] = [];
	const f = async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = String(input);
		calls.push({ url, auth: new Headers(init?.headers).get("authorization") });
		const r = routes.find((x) => url.includes(x.match));
		if (!r) return new Response(`no route for ${url}`, { status: 599 });
		return new Response(r.body ?? null, { status: r.status ?? 200, headers: r.location ? { Location: r.location } : {} });
	};
	return { fetch: f as typeof fetch, calls };
}

export const faultCases: Case<Hub>[] = [
	{
		name: "faults: listFiles (page by page), pathsInfo, fileDownloadInfo and downloadFile are retried on 503, 429 and 502 and answer as without faults",
		async run(c) {
			const o = pub(c);
			const name = nameOf(o.repo);
			const clean = await drain(c.hub.listFiles({ ...o, recursive: true }));
			const pageSize = c.fixtures.pageSize ?? 3;
			const tree = `/api/models/*/${name}/tree/**`;
			await withFaults(c, [{ method: "GET", path: tree, times: 1, status: 503, retryAfter: 0 }], async () => {
				const got = [];
				for await (const e of c.hub.listFiles({ ...o, recursive: true })) {
					got.push(e);
					// The next page fails too: each page is retried on its own.
					if (got.length === pageSize) await admin(c, "POST", "faults", [{ method: "GET", path: tree, times: 1, status: 429, retryAfter: 0 }]);
				}
				eq(got, clean, "the listing");
				eq(statuses(await logged(c, "/tree/")).slice(0, 4), [503, 200, 429, 200], "tree pages: a 503 on the first, a 429 on the second");
			});
			const paths = ["config.json", "nested", "nope.txt"];
			const infos = await c.hub.pathsInfo({ ...o, paths });
			await withFaults(c, [{ method: "POST", path: `/api/models/*/${name}/paths-info/**`, times: 2, status: 502 }], async () => {
				eq(await c.hub.pathsInfo({ ...o, paths }), infos, "pathsInfo");
				eq(statuses(await logged(c, "/paths-info/")), [502, 502, 200], "paths-info");
			});
			const info = await c.hub.fileDownloadInfo({ ...o, path: "config.json" });
			await withFaults(c, [{ method: "GET", path: `/*/${name}/resolve/**`, times: 1, status: 429, retryAfter: 0 }], async () => {
				eq(await c.hub.fileDownloadInfo({ ...o, path: "config.json" }), info, "fileDownloadInfo");
				eq(statuses(await logged(c, "/resolve/")), [429, 206], "resolve probe (one byte)");
			});
			const f = c.fixtures.files.find((x) => x.path === "config.json")!;
			await withFaults(c, [{ method: "GET", path: `/*/${name}/resolve/**`, times: 1, status: 503, retryAfter: 0 }], async () => {
				sameBytes(await blobBytes(await c.hub.downloadFile({ ...o, path: f.path, cache: false })), bytesOf(f), "downloadFile");
				eq(statuses(await logged(c, "/resolve/")), [503, 200], "resolve");
			});
		},
	},
	{
		name: "faults: a 429's Retry-After is waited for, though the backoff is shorter",
		async run(c) {
			const o = pub(c);
			await withFaults(c, [{ method: "POST", path: `/api/models/*/${nameOf(o.repo)}/paths-info/**`, times: 1, status: 429, retryAfter: 1 }], async () => {
				const t = Date.now();
				eq((await c.hub.pathsInfo({ ...o, paths: ["config.json"] })).length, 1, "answer");
				assert(Date.now() - t >= 950, `waited ${Date.now() - t} ms, Retry-After said 1 s`);
			});
		},
	},
	{
		name: "faults: 404, 401 and 403 are not retried, nor is a write after a 500; a write is repeated after a 429",
		async run(c) {
			const o = pub(c);
			const name = nameOf(o.repo);
			await admin(c, "DELETE", "requests");
			eq(await c.hub.downloadFile({ ...o, path: "no-such-file.txt", cache: false }), null, "a missing file");
			eq((await logged(c, "no-such-file.txt")).length, 1, "requests for a missing file");
			const priv = { repo: c.fixtures.privateRepo, hubUrl: c.hubUrl, retry: quick, cache: false as const };
			const e = await expectHubError(c.hub.downloadFile({ ...priv, path: c.fixtures.privateFiles[0]!.path }), c.hub, "RepoNotFound", "anonymous");
			eq(e.status, 401, "status");
			eq((await logged(c, nameOf(priv.repo))).length, 1, "requests for a private file without a token");
			await withFaults(c, [{ method: "POST", path: `/api/models/*/${name}/paths-info/**`, times: 3, status: 403 }], async () => {
				await expectHubError(c.hub.pathsInfo({ ...o, paths: ["config.json"] }), c.hub, "Forbidden", "403");
				eq((await logged(c, "/paths-info/")).length, 1, "requests answered 403");
			});
			const auth = { hubUrl: c.hubUrl, accessToken: c.token, retry: quick };
			const failed = `${c.fixtures.publicRepo.split("/")[0]}/fault-write-${c.runtime}-${Math.random().toString(36).slice(2, 8)}`;
			await withFaults(c, [{ method: "POST", path: "/api/repos/create", times: 1, status: 500 }], async () => {
				try {
					await c.hub.createRepo({ ...auth, repo: failed });
					throw new Error("createRepo should have failed");
				} catch (err) {
					// The Hub answers before reading the body: a 500 or a reset connection.
					assert(err instanceof c.hub.HubError && ["Http", "Network"].includes(err.code), `failed write: ${String(err)}`);
				}
				eq((await logged(c, "/api/repos/create")).length, 1, "a write answered 500 is sent once");
			});
			await withFaults(c, [{ method: "POST", path: "/api/repos/create", times: 1, status: 429, retryAfter: 0 }], async () => {
				await c.hub.createRepo({ ...auth, repo: failed });
				eq(statuses(await logged(c, "/api/repos/create")), [429, 200], "a write answered 429 is repeated");
			});
		},
	},
	{
		name: "faults: a lost connection is retried; a fetch that returns no Response, an abort and bad input are not",
		async run(c) {
			let n = 0;
			const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
				if (n++ === 0) throw new TypeError("connection reset");
				return globalThis.fetch(input, init);
			}) as typeof fetch;
			eq((await c.hub.pathsInfo({ ...pub(c), paths: ["config.json"], fetch: flaky })).length, 1, "after a lost connection");
			eq(n, 2, "fetch calls");
			let calls = 0;
			const notAResponse = (async () => (calls++, "ok")) as unknown as typeof fetch;
			await expectHubError(c.hub.pathsInfo({ ...pub(c), paths: ["a"], fetch: notAResponse }), c.hub, "InvalidInput", "not a Response");
			eq(calls, 1, "fetch calls when it returns no Response");
			calls = 0;
			const aborting = (async () => {
				calls++;
				throw new DOMException("stopped", "AbortError");
			}) as typeof fetch;
			const err = await c.hub.pathsInfo({ ...pub(c), paths: ["a"], fetch: aborting }).catch((x: unknown) => x);
			eq((err as Error).name, "AbortError", "an abort stays an AbortError");
			eq(calls, 1, "fetch calls when aborted");
			await expectHubError(c.hub.pathsInfo({ ...pub(c), paths: ["a"], retry: { maxRetries: -1 } }), c.hub, "InvalidInput", "retry.maxRetries -1");
		},
	},
	{
		name: "faults: an uncached download cut or short mid-body resumes with Range, as a Blob and as a stream (the Hub's file and storage's LFS file)",
		async run(c) {
			const o = { ...pub(c), cache: false as const };
			const f = big(c);
			const resolve = `/*/${nameOf(o.repo)}/resolve/**`;
			await withFaults(c, [{ method: "GET", path: resolve, times: 1, cutAfterBytes: 100_000 }], async () => {
				sameBytes(await blobBytes(await c.hub.downloadFile({ ...o, path: f.path })), bytesOf(f), "Blob after a cut");
				const log = await logged(c, "/resolve/");
				eq(statuses(log), [200, 206], "statuses");
				assert(Number(starts(log)[1]) > 0, `the second request resumes: ${JSON.stringify(starts(log))}`);
			});
			await withFaults(c, [{ method: "GET", path: resolve, times: 1, truncateAfterBytes: 50_000 }], async () => {
				sameBytes(await streamBytes(await c.hub.downloadFile({ ...o, path: f.path, stream: true })), bytesOf(f), "stream after a short body");
				eq(starts(await logged(c, "/resolve/")), ["-", 50_000], "Range starts");
			});
			const lfs = await lfsRepo(c);
			const at = { ...o, repo: lfs.repo, revision: lfs.commit, path: "w.bin" };
			await withFaults(c, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, cutAfterBytes: 120_000 }], async () => {
				sameBytes(await blobBytes(await c.hub.downloadFile(at)), lfs.bytes, "LFS Blob after a cut");
				const log = await logged(c, "/objects/");
				eq(statuses(log), [200, 206], "storage statuses");
				assert(Number(starts(log)[1]) > 0, `storage resumes: ${JSON.stringify(starts(log))}`);
			});
			await withFaults(c, [{ method: "GET", path: "/objects/**", origin: "storage", times: 2, truncateAfterBytes: 70_000 }], async () => {
				sameBytes(await streamBytes(await c.hub.downloadFile({ ...at, stream: true })), lfs.bytes, "LFS stream after two short bodies");
				eq(starts(await logged(c, "/objects/")), ["-", 70_000, 140_000], "Range starts");
			});
			// A range of the file, cut: the rest of the range is asked for.
			await withFaults(c, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, cutAfterBytes: 1000 }], async () => {
				const part = await blobBytes(await c.hub.downloadFile({ ...at, range: [10_000, 59_999] }));
				sameBytes(part, lfs.bytes.slice(10_000, 60_000), "a cut range");
			});
		},
	},
	{
		name: "faults: a download cut forever is a HubError Network from the promise and from the stream, after the retries",
		async run(c) {
			const o = { ...pub(c), retry: brief, cache: false as const };
			const f = big(c);
			const resolve = `/*/${nameOf(o.repo)}/resolve/**`;
			await withFaults(c, [{ method: "GET", path: resolve, cutAfterBytes: 1000 }], async () => {
				const e = await expectHubError(c.hub.downloadFile({ ...o, path: f.path }), c.hub, "Network", "Blob");
				assert(/broke off/.test(e.message), e.message);
				eq((await logged(c, "/resolve/")).length, 3, "the first request and two retries");
				const stream = await c.hub.downloadFile({ ...o, path: f.path, stream: true });
				await expectHubError(streamBytes(stream), c.hub, "Network", "stream");
				const info = await expectHubError(c.hub.downloadFileWithInfo({ ...o, path: f.path }), c.hub, "Network", "downloadFileWithInfo");
				assert(info.url?.includes("/resolve/"), `url ${info.url}`);
			});
			await withFaults(c, [{ method: "GET", path: resolve, truncateAfterBytes: 1000 }], async () => {
				await expectHubError(c.hub.downloadFile({ ...o, path: f.path }), c.hub, "Network", "Blob of a short body");
				await expectHubError(streamBytes(await c.hub.downloadFile({ ...o, path: f.path, stream: true })), c.hub, "Network", "stream of a short body");
			});
		},
	},
	{
		name: "faults: a cached download cut mid-body resumes with Range (LFS) or starts again (a regular file) and is cached whole",
		async run(c) {
			const cache = runtimeCache(c, "faults-resume");
			const lfs = await lfsRepo(c);
			const at = { repo: lfs.repo, hubUrl: c.hubUrl, revision: lfs.commit, retry: quick, cache };
			await withFaults(c, [{ method: "GET", path: "/objects/**", origin: "storage", times: 2, cutAfterBytes: 100_000 }], async () => {
				const r = await c.hub.downloadFileWithInfo({ ...at, path: "w.bin" });
				eq([r?.source, r?.cached], ["network", true], "downloaded into the cache");
				sameBytes(await blobBytes(r!.blob), lfs.bytes, "bytes");
				eq(starts(await logged(c, "/objects/")), ["-", 100_000, 200_000], "each cut resumes where it broke");
			});
			const f = big(c);
			const commit = (await c.hub.fileDownloadInfo({ ...pub(c), path: f.path }))!.commitOid!;
			const pubAt = { ...pub(c), revision: commit, cache };
			await withFaults(c, [{ method: "GET", path: `/*/${nameOf(pubAt.repo)}/resolve/**`, times: 1, truncateAfterBytes: 100_000 }], async () => {
				const r = await c.hub.downloadFileWithInfo({ ...pubAt, path: f.path });
				eq(r?.cached, true, "a regular file is cached");
				sameBytes(await blobBytes(r!.blob), bytesOf(f), "regular bytes");
				// Regular files may be sent compressed: a cut one starts again.
				eq(starts(await logged(c, "/resolve/")), ["-", "-"], "the short body is asked for again");
			});
			await admin(c, "DELETE", "requests");
			eq((await c.hub.downloadFileWithInfo({ ...at, path: "w.bin" }))?.source, "cache", "the LFS file from the cache");
			eq((await c.hub.downloadFileWithInfo({ ...pubAt, path: f.path }))?.source, "cache", "the regular file from the cache");
			eq((await logged(c, "/")).length, 0, "requests for cached files");
			await c.hub.clearCache({ cache });
		},
	},
	{
		name: "faults: a cached download cut forever fails with Network and leaves nothing cached",
		async run(c) {
			const cache = runtimeCache(c, "faults-forever");
			const lfs = await lfsRepo(c);
			const at = { repo: lfs.repo, hubUrl: c.hubUrl, revision: lfs.commit, retry: brief, cache, path: "w.bin" };
			await withFaults(c, [{ method: "GET", path: "/objects/**", origin: "storage", cutAfterBytes: 1000 }], async () => {
				await expectHubError(c.hub.downloadFileWithInfo(at), c.hub, "Network", "cut forever");
				eq((await logged(c, "/objects/")).length, 3, "the first request and two retries");
			});
			eq((await c.hub.listCachedFiles({ cache })).length, 0, "nothing listed");
			await expectHubError(c.hub.downloadFileWithInfo({ ...at, offline: true }), c.hub, "NotCached", "offline afterwards");
			const f = big(c);
			const pubAt = { ...pub(c), retry: brief, cache, path: f.path };
			await withFaults(c, [{ method: "GET", path: `/*/${nameOf(pubAt.repo)}/resolve/**`, truncateAfterBytes: 1000 }], async () => {
				await expectHubError(c.hub.downloadFile(pubAt), c.hub, "Network", "short forever");
			});
			eq((await c.hub.listCachedFiles({ cache })).length, 0, "still nothing listed");
			const r = await c.hub.downloadFileWithInfo(at);
			sameBytes(await blobBytes(r!.blob), lfs.bytes, "without faults the download completes");
			await c.hub.clearCache({ cache });
		},
	},
	{
		name: "faults: snapshotDownload retries a 429 listing and a 503 file",
		async run(c) {
			const cache = runtimeCache(c, "faults-snapshot");
			const o = pub(c);
			const name = nameOf(o.repo);
			await withFaults(
				c,
				[
					{ method: "GET", path: `/api/models/*/${name}/tree/**`, times: 1, status: 429, retryAfter: 0 },
					{ method: "GET", path: `/*/${name}/resolve/*/nested/sibling.txt`, times: 1, status: 503, retryAfter: 0 },
				],
				async () => {
					const snap = await c.hub.snapshotDownload({ ...o, cache, allowPatterns: ["nested/"] });
					eq(snap.files.map((x) => x.path), ["nested/deeper/leaf.txt", "nested/sibling.txt"], "files");
					eq(statuses(await logged(c, "/tree/")).slice(0, 2), [429, 200], "the listing");
					eq(statuses(await logged(c, "nested/sibling.txt")), [503, 200], "the file");
				},
			);
			for (const x of ["nested/deeper/leaf.txt", "nested/sibling.txt"]) {
				const f = c.fixtures.files.find((y) => y.path === x)!;
				const r = await c.hub.downloadFileWithInfo({ ...o, path: x, cache, offline: true });
				sameBytes(await blobBytes(r!.blob), bytesOf(f), x);
			}
			await c.hub.clearCache({ cache });
		},
	},
	{
		name: "faults: an abort during a slow body stops at once, with no retry",
		async run(c) {
			const o = { ...pub(c), cache: false as const, path: big(c).path };
			await withFaults(c, [{ method: "GET", path: `/*/${nameOf(o.repo)}/resolve/**`, bodyDelayMs: 100 }], async () => {
				for (const stream of [false, true]) {
					const ac = new AbortController();
					const t = Date.now();
					setTimeout(() => ac.abort(), 300);
					const err = await (async () => {
						const r = await c.hub.downloadFile({ ...o, stream, abortSignal: ac.signal });
						return stream ? streamBytes(r as ReadableStream<Uint8Array>) : blobBytes(r as Blob);
					})().catch((e: unknown) => e);
					eq((err as Error).name, "AbortError", `${stream ? "stream" : "Blob"}: an AbortError`);
					assert(Date.now() - t < 1500, `${stream ? "stream" : "Blob"}: stopped after ${Date.now() - t} ms`);
				}
				eq((await logged(c, "/resolve/")).length, 2, "one request per download");
			});
		},
	},
	{
		name: "faults: a redirect to a non-http(s) URL or to credentials, a loop and more than 10 redirects are MalformedResponse naming the URL, never a missing file",
		async run(c) {
			const HUB = "http://hub.test";
			const o = { repo: "user/model", hubUrl: HUB, accessToken: "hf_secret", cache: false as const, retry: quick };
			for (const to of ["file:///etc/passwd", "javascript:alert(1)", "data:,x", "ftp://files.test/x", "https://user:pw@cdn.test/x"]) {
				const { fetch, calls } = scripted([{ match: "/resolve/", status: 302, location: to }]);
				const e = await expectHubError(c.hub.downloadFile({ ...o, path: "a.bin", fetch }), c.hub, "MalformedResponse", to);
				assert(e.message.includes(`cannot follow the redirect to ${to}`) && e.message.includes("only http(s) URLs without credentials"), e.message);
				eq(calls.length, 1, `${to}: requests`);
			}
			const loop = scripted([
				{ match: "hub.test/user/model/resolve/main/a.bin", status: 302, location: "http://cdn.test/a" },
				{ match: "cdn.test/a", status: 307, location: `${HUB}/user/model/resolve/main/a.bin` },
			]);
			const e = await expectHubError(c.hub.downloadFileWithInfo({ ...o, path: "a.bin", fetch: loop.fetch }), c.hub, "MalformedResponse", "loop");
			assert(/^cannot follow the redirect to http:\/\/(hub|cdn)\.test\/.*too many redirects/.test(e.message), e.message);
			eq(loop.calls.length, 11, "requests: the first and 10 redirects");
			eq(loop.calls.map((x) => x.auth !== null), loop.calls.map((x) => x.url.startsWith(HUB)), "the token goes to the Hub only, never to another origin");
			const chain = scripted(Array.from({ length: 30 }, (_, i) => ({ match: `/hop/${i}/`, status: 302, location: `http://cdn.test/hop/${i + 1}/` })).concat([{ match: "/resolve/", status: 302, location: "http://cdn.test/hop/0/" }]));
			const far = await expectHubError(c.hub.downloadFile({ ...o, path: "a.bin", fetch: chain.fetch }), c.hub, "MalformedResponse", "too many");
			assert(/cannot follow the redirect to http:\/\/cdn\.test\/hop\/\d+\/: .*too many redirects/.test(far.message), far.message);
			assert(chain.calls.length <= 21, `requests: ${chain.calls.length}`);
		},
	},
];
