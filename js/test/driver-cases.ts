// The driver (js/src/drive.ts) against a scripted `fetch`: what is sent, what is thrown, and that
// bodies are handed over unread. No Hub: every answer is scripted. The same in Node, Chromium and
// workerd.
import { assert, eq, expectHubError, type Hub } from "./helpers.js";
import type { Case } from "./support/types.js";

const HUB = "http://hub.test";
// Lost connections are retried (as transient answers are): quickly here.
const opts = { repo: "user/model", hubUrl: HUB, accessToken: "hf_secret", cache: false as const, retry: { baseDelayMs: 1, maxDelayMs: 2 } };

interface Route {
	match: string;
	status?: number;
	headers?: Record<string, string>;
	body?: string;
	reject?: "abort" | "network";
}

/** A fetch that answers from `routes` (first match wins) and records every call. */
function scripted(routes: Route[]): { fetch: typeof fetch; calls: { url: string; init: RequestInit }[] } {
	const calls: { url: string; init: RequestInit }[] = [];
	const f = async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = String(input);
		calls.push({ url, init: init ?? {} });
		for (const r of routes) {
			if (!url.includes(r.match)) continue;
			if (r.reject === "abort") throw new DOMException("stopped", "AbortError");
			if (r.reject) throw new TypeError("fetch failed");
			return new Response(r.body ?? null, { status: r.status ?? 200, headers: r.headers ?? {} });
		}
		return new Response(`no route for ${url}`, { status: 599 });
	};
	return { fetch: f as typeof fetch, calls };
}

const header = (init: RequestInit, name: string): string | null => new Headers(init.headers).get(name);

export const driverCases: Case<Hub>[] = [
	{
		name: "driver: bad input is InvalidInput and fetch is never called",
		async run(c) {
			const { fetch, calls } = scripted([]);
			for (const [o, what] of [
				[{ repo: "user//model" }, "repo id"],
				[{ revision: "a..b" }, "revision"],
				[{ paths: ["../etc/passwd"] }, "path"],
				[{ paths: [] }, "empty list"],
				[{ repo: { type: "bucket", name: "u/b" } }, "repo type"],
				[{ hubUrl: "hub.test" }, "hub url"],
				[{ accessToken: "has space" }, "token"],
			] as const) {
				await expectHubError(c.hub.pathsInfo({ ...opts, paths: ["a"], ...o, fetch } as never), c.hub, "InvalidInput", what);
			}
			await expectHubError(c.hub.downloadFile({ ...opts, path: "a.bin", range: [5, 2], fetch }), c.hub, "InvalidInput", "range");
			eq(calls.length, 0, "fetch calls");
		},
	},
	{
		name: "driver: a Hub error carries code, status, request id, server message and url",
		async run(c) {
			const { fetch } = scripted([
				{ match: "/tree/", status: 404, body: '{"error":"Invalid rev id: nope"}', headers: { "X-Error-Code": "RevisionNotFound", "X-Request-Id": "req-42" } },
			]);
			const err = await expectHubError(c.hub.listFiles({ ...opts, revision: "nope", fetch }).next(), c.hub, "RevisionNotFound", "listFiles");
			eq(err.status, 404, "status");
			eq(err.requestId, "req-42", "requestId");
			eq(err.serverMessage, "Invalid rev id: nope", "serverMessage");
			assert(err.url?.startsWith(`${HUB}/api/models/user/model/tree/nope`), `url: ${err.url}`);
		},
	},
	{
		name: "driver: an AbortError from fetch is rethrown unchanged; any other failure is Network with the cause",
		async run(c) {
			const aborting = scripted([{ match: "/", reject: "abort" }]);
			const err = await c.hub.whoAmI({ ...opts, fetch: aborting.fetch }).catch((e: unknown) => e);
			eq((err as Error).name, "AbortError", "name");
			eq((err as Error).message, "stopped", "message");
			const failing = scripted([{ match: "/", reject: "network" }]);
			const net = await expectHubError(c.hub.whoAmI({ ...opts, fetch: failing.fetch }), c.hub, "Network", "whoAmI");
			eq((net.cause as Error).name, "TypeError", "cause");
			eq(net.url, `${HUB}/api/whoami-v2`, "url");
		},
	},
	{
		name: "driver: a download follows a storage redirect without the token, its body unread until the caller reads it",
		async run(c) {
			const { fetch, calls } = scripted([
				{ match: "hub.test/user/model/resolve/main/weights.bin", status: 302, headers: { Location: "http://cdn.test/blob/abc?sig=1" } },
				{ match: "cdn.test/blob/abc", body: "hello weights" },
			]);
			const stream = await c.hub.downloadFile({ ...opts, path: "weights.bin", fetch, stream: true });
			assert(stream, "a stream");
			eq(await new Response(stream).text(), "hello weights", "body");
			eq(calls.length, 2, "requests");
			eq(header(calls[0]!.init, "Authorization"), "Bearer hf_secret", "token to the Hub");
			eq(calls[0]!.init.redirect, "manual", "the core decides redirects");
			eq(header(calls[1]!.init, "Authorization"), null, "the token never leaves the Hub origin");
		},
	},
	{
		name: "driver: signed storage URLs are redacted from errors; a missing file downloads as null",
		async run(c) {
			const { fetch } = scripted([
				{ match: "hub.test/user/model/resolve/main/w.bin", status: 302, headers: { Location: "http://cdn.test/blob?X-Amz-Signature=secret&exp=1" } },
				{ match: "cdn.test/blob", status: 403, body: "denied" },
				{ match: "/resolve/", status: 404, headers: { "X-Error-Code": "EntryNotFound" } },
			]);
			const err = await expectHubError(c.hub.downloadFile({ ...opts, path: "w.bin", fetch }), c.hub, "Forbidden", "signed URL");
			eq(err.url, "http://cdn.test/blob?<signed query removed>", "url");
			assert(!err.message.includes("secret"), err.message);
			eq(await c.hub.downloadFile({ ...opts, path: "nope.txt", fetch }), null, "missing file");
		},
	},
	{
		name: "driver: fileDownloadInfo reads a 206, and asks paths-info when storage answered",
		async run(c) {
			const { fetch, calls } = scripted([
				{
					match: "/resolve/main/small.txt",
					status: 206,
					headers: { ETag: '"0123456789abcdef0123456789abcdef01234567"', "X-Repo-Commit": "c0ffee", "Content-Range": "bytes 0-0/12" },
				},
				{ match: "/resolve/main/big.bin", status: 206, headers: { ETag: '"cdn-etag"', "Content-Range": "bytes 0-0/99" } },
				{ match: "/paths-info/main", body: '[{"type":"file","oid":"aa","size":99,"path":"big.bin","lfs":{"oid":"beef","size":99,"pointerSize":130}}]' },
			]);
			const small = await c.hub.fileDownloadInfo({ ...opts, path: "small.txt", fetch });
			eq(small?.size, 12, "size");
			eq(small?.etag, '"0123456789abcdef0123456789abcdef01234567"', "etag");
			eq(small?.commitOid, "c0ffee", "commit");
			const big = await c.hub.fileDownloadInfo({ ...opts, path: "big.bin", fetch });
			eq(big?.etag, '"beef"', "LFS etag from paths-info");
			eq(big?.size, 99, "LFS size");
			eq(calls.length, 3, "requests");
			eq(header(calls[0]!.init, "Range"), "bytes=0-0", "probe");
			eq(calls[2]!.init.method, "POST", "paths-info");
		},
	},
	{
		name: "driver: listFiles follows the Link header from page to page",
		async run(c) {
			const { fetch, calls } = scripted([
				{ match: "cursor=2", body: '[{"type":"file","oid":"b","size":2,"path":"b.txt"}]' },
				{
					match: "/tree/main",
					headers: { Link: `<${HUB}/api/models/user/model/tree/main?recursive=true&cursor=2>; rel="next"` },
					body: '[{"type":"file","oid":"a","size":1,"path":"a.txt"}]',
				},
			]);
			const paths: string[] = [];
			for await (const e of c.hub.listFiles({ ...opts, recursive: true, fetch })) paths.push(e.path);
			eq(paths, ["a.txt", "b.txt"], "both pages");
			eq(calls.length, 2, "one request per page");
		},
	},
];
