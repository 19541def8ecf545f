/**
 * The methods of `transformersCache()` (`transformers-cache.ts` says what they do), loaded with
 * the first call. What they use of the page's modules is handed in (`Deps`): a lazily loaded
 * module that imported them would make a bundler move them into a chunk of their own, which
 * every page would then fetch (`make size`).
 */
import type { CacheStore } from "./cache/store.js";
import type * as Defaults from "./cache/defaults.js";
import type * as Store from "./cache/store.js";
import type * as Check from "./check.js";
import type * as Cached from "./download-cached.js";
import { HubError } from "./error.js";
import type * as Files from "./module-files.js";
import type * as Params from "./params.js";
import type { TransformersCache, TransformersCacheParams } from "./transformers-cache.js";

/** What the methods use of the page's modules, by position (a list costs the page fewer bytes than an object's keys). */
export type Deps = readonly [
	cacheBudget: typeof Defaults.cacheBudget,
	refName: typeof Store.refName,
	invalid: typeof Check.invalid,
	cachedDownload: typeof Cached.cachedDownload,
	resolveCommit: typeof Cached.resolveCommit,
	fileTarget: typeof Files.fileTarget,
	filesCall: typeof Files.filesCall,
	splitRepo: typeof Params.splitRepo,
];

const FN = "transformersCache";
const DEFAULT_HUB = "https://huggingface.co";

/** The cache object over `store`, with `options` already checked. */
export function create(options: TransformersCacheParams, store: CacheStore, d: Deps): TransformersCache {
	const [cacheBudget, refName, invalid, cachedDownload, resolveCommit, fileTarget, filesCall, splitRepo] = d;
	const { cache: _cache, freshnessMs, ...common } = options;
	const hubUrl = common.hubUrl ?? DEFAULT_HUB;

	/** Whether the options the core checks (the token, say) are good: with a file that is. */
	let optionsChecked: Promise<unknown> | undefined;
	/** The file a request names on `hubUrl`, with its checked target, or undefined. */
	const fileOf = async (fn: string, request: unknown) => {
		const at = resolveUrl(hubUrl, urlOf(invalid, `${FN}().${fn}`, request));
		if (!at) return undefined;
		const params = { ...common, ...at };
		const split = splitRepo(params, { path: at.path, raw: false });
		try {
			return { params, ...split, target: await fileTarget(split.wire) };
		} catch (e) {
			if (!(e instanceof HubError && e.code === "InvalidInput")) throw e;
			// Bad options are the caller's error; a URL on the Hub that names no valid repo,
			// revision or path is only not a file we keep.
			await (optionsChecked ??= fileTarget(splitRepo({ ...common, repo: "a/b" }, { path: "a", raw: false }).wire));
			return undefined;
		}
	};

	return {
		async match(request) {
			const file = await fileOf("match", request);
			if (!file) return undefined;
			let found;
			try {
				// Offline: the stored ref for a branch, whatever its age; no request at all.
				found = await cachedDownload({ ...file.params, cache: store, offline: true }, store, undefined, true);
			} catch (e) {
				if (e instanceof HubError && e.code === "NotCached") return undefined;
				throw e;
			}
			if (!found) return undefined;
			const headers: Record<string, string> = { "content-length": String(found.size) };
			if (found.etag) headers.etag = `"${found.etag}"`;
			if (found.commitOid) headers["x-repo-commit"] = found.commitOid;
			return new Response(found.blob.stream(), { status: 200, headers });
		},

		async put(request, response, progressCallback) {
			if (!isResponse(response)) throw invalid(`${FN}().put`, "response", "a Response", response);
			if (progressCallback != null && typeof progressCallback !== "function") {
				throw invalid(`${FN}().put`, "progressCallback", "a function", progressCallback);
			}
			const body = response.bodyUsed ? null : response.body;
			let served = false;
			try {
				const file = await fileOf("put", request);
				if (!file || response.status !== 200 || !body) return;
				const { params, wire, fetch, signal, target } = file;
				// The Hub unreachable: nothing to check the bytes against, so nothing is stored.
				const { commit, unavailable } = await resolveCommit(store, wire, fetch, signal, target, { freshnessMs });
				if (unavailable !== undefined) throw unavailable;
				if (!commit) return;
				// The etag and size at that commit, from the Hub: what the body must hash to.
				const infos = await filesCall("pathsInfo", { ...wire, revision: commit, paths: [target.path] }, fetch, signal);
				const info = infos.find((e) => e.path === target.path && e.type === "file");
				if (!info) return; // not a file at the commit the revision points to now
				const known = { etag: (info.lfs?.oid ?? info.oid).toLowerCase(), size: info.lfs?.size ?? info.size };
				const budget = cacheBudget();
				if (budget !== undefined && known.size > budget) return; // never cached, as downloads
				// The download's first request (never a resumed one, which asks for a range) is
				// answered with the body we were given; anything after goes to the Hub.
				const given: typeof globalThis.fetch = (input, init) => {
					const ranged = new Headers(init?.headers).has("range");
					if (served || ranged || (init?.method ?? "GET") !== "GET") return fetch(input, init);
					served = true;
					return Promise.resolve(response);
				};
				const onProgress =
					progressCallback &&
					((p: { loaded: number; total: number }) =>
						progressCallback({ progress: p.total ? (p.loaded / p.total) * 100 : 100, loaded: p.loaded, total: p.total }));
				try {
					await cachedDownload({ ...params, revision: commit, cache: store, fetch: given, onProgress }, store, known);
				} catch (e) {
					if (e instanceof HubError && e.code === "Integrity" && !(await store.readBlob(known.etag, known.size))) {
						// Recorded before the bytes came: an entry with nothing behind it goes too.
						await store.delete({ repo: target.repoKey, commit, path: target.path }).catch(() => {});
					}
					throw e;
				}
			} finally {
				// A body we did not read (cached already, not ours, a resume) is released.
				if (!served && body && !body.locked) await body.cancel().catch(() => {});
			}
		},

		async delete(request) {
			const file = await fileOf("delete", request);
			if (!file) return false;
			const { target } = file;
			const commit = target.isCommit
				? target.revision.toLowerCase()
				: (await store.getRef(target.repoKey, refName(store, target.revision, hubUrl)))?.commit;
			if (!commit || !(await store.getEntry(target.repoKey, commit, target.path))) return false;
			await store.delete({ repo: target.repoKey, commit, path: target.path });
			return true;
		},
	};
}

/** The URL text of what transformers.js passes: a string, a `Request` or a `URL`. */
function urlOf(invalid: Deps[2], fn: string, request: unknown): string {
	if (typeof request === "string") return request;
	if (typeof URL !== "undefined" && request instanceof URL) return request.href;
	if (typeof Request !== "undefined" && request instanceof Request) return request.url;
	throw invalid(fn, "request", "a URL string, a URL or a Request", request);
}

function isResponse(v: unknown): v is Response {
	return typeof Response !== "undefined" && v instanceof Response;
}

/**
 * The repo, revision and path of a file URL on `hubUrl`
 * (`{hubUrl}/{repo}/resolve/{revision}/{path}`, the revision and each path segment
 * URL-decoded), or undefined for any other URL. A model id is `ns/name` or a bare `name`;
 * `datasets/…` and `spaces/…` name those repo types.
 */
function resolveUrl(hubUrl: string, url: string): { repo: string; revision: string; path: string } | undefined {
	let hub: URL, u: URL;
	try {
		hub = new URL(hubUrl);
		u = new URL(url);
	} catch {
		return undefined; // a local path, a relative URL
	}
	const base = hub.pathname.replace(/\/+$/, "");
	if (u.origin !== hub.origin || !u.pathname.startsWith(`${base}/`)) return undefined;
	const parts = u.pathname.slice(base.length + 1).split("/");
	const typed = parts[0] === "datasets" || parts[0] === "spaces";
	for (const i of typed ? [3, 2] : [2, 1]) {
		if (parts[i] !== "resolve" || parts.length < i + 3) continue;
		try {
			const decoded = parts.map(decodeURIComponent);
			return { repo: decoded.slice(0, i).join("/"), revision: decoded[i + 1]!, path: decoded.slice(i + 2).join("/") };
		} catch {
			return undefined; // a malformed %-escape
		}
	}
	return undefined;
}
