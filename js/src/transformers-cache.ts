/**
 * hubwasm's cache as `@huggingface/transformers`' (v4) custom cache: `env.useCustomCache = true;
 * env.customCache = transformersCache()`. transformers.js then asks `match(url)` before it fetches
 * a model file and hands what it fetched to `put(url, response)`; the URLs are its
 * `remoteHost` + `{model}/resolve/{revision}/` + the file's path (the revision URL-encoded).
 *
 * - **Where files go**: the store `cache: true` names (IndexedDB in browsers, the
 *   `huggingface_hub` folder in Node, the Cache API in Workers) or the `cache` given: the same
 *   refs, entries and content-addressed blobs as `downloadFile`, so a file either one stored is a
 *   hit for the other, and Python's `huggingface_hub` finds the files in the Node folder.
 * - **`match` asks no one**: a commit in the URL is looked up as it is, a branch or tag through
 *   the commit it was last seen at (the stored ref, however old), then the entry and its blob.
 *   A second load of a model makes no request at all, online or not. A miss (and any URL that
 *   is not a file on `hubUrl`: a local path, the ONNX runtime's files) is `undefined`, never
 *   `null`: transformers.js calls `put` only when `match` gave `undefined`.
 * - **`put` trusts nothing it is handed**. The response transformers.js passes is whatever its
 *   `fetch` ended with: for an LFS or xet file that is the storage host's answer after the
 *   Hub's redirect, and a redirected `Response` shows only the last hop's headers, so the Hub's
 *   `X-Linked-Etag`, `X-Linked-Size` and `X-Repo-Commit` are not there to check against (and
 *   headers of a `Response` built by the caller prove nothing). Downloading the file again
 *   through hubwasm would be correct but costs the file twice. So `put` asks the Hub itself, as
 *   a cached download does: the commit the revision points to (`revisionCommit`, one small
 *   request; none for a commit, or within `freshnessMs` of the last answer) and the file's etag
 *   and size at that commit (`paths-info`, one small request), then streams the body it was
 *   given through the cached download path (`cachedDownload` with the known etag: the same
 *   locks, verification, resume and eviction), which stores it only once its git SHA-1 (regular
 *   files) or SHA-256 (LFS) matches. Bytes that do not match reject with `Integrity` and nothing
 *   is stored. A body cut short is completed from the Hub as any cached download would be.
 *   A URL that is not a file on `hubUrl`, or a response that is not a 200 with a body, is left
 *   alone (`put` resolves, nothing stored).
 * - **`delete`** drops the file's entry at the commit `match` would use (its blob goes when no
 *   other entry uses it) and says whether there was one.
 */
import { cacheBudget, storeOption } from "./cache/defaults.js";
import { refName, type CacheStore } from "./cache/store.js";
import { check, COUNT, invalid } from "./check.js";
import { cachedDownload, resolveCommit } from "./download-cached.js";
import { HubError } from "./error.js";
import { fileTarget, filesCall } from "./module-files.js";
import { splitRepo } from "./params.js";
import type { CommonParams } from "./types.js";

export interface TransformersCacheParams extends CommonParams {
	/**
	 * Where files are kept: a store, or `true` (the default) for the runtime's own: IndexedDB in
	 * browsers, the `huggingface_hub` folder in Node, the Cache API's default cache in Workers.
	 */
	cache?: CacheStore | true;
	/** How long `put` trusts a branch → commit answer without asking again (default 0). `match`
	 * never asks. */
	freshnessMs?: number;
}

/** transformers.js' progress while `put` stores a body it has not read. */
export interface TransformersCacheProgress {
	/** Percent, 0 to 100. */
	progress: number;
	loaded: number;
	total: number;
}

/** What `env.customCache` takes (transformers.js v4's `CacheInterface`). */
export interface TransformersCache {
	match(request: string | Request | URL): Promise<Response | undefined>;
	put(request: string | Request | URL, response: Response, progressCallback?: (p: TransformersCacheProgress) => void): Promise<void>;
	delete(request: string | Request | URL): Promise<boolean>;
}

const FN = "transformersCache";
const DEFAULT_HUB = "https://huggingface.co";

/**
 * An object for transformers.js' `env.customCache` (with `env.useCustomCache = true`) that keeps
 * model files in hubwasm's cache, verified and shared with hubwasm's own downloads. Set
 * `hubUrl` to the `env.remoteHost` transformers.js uses (default both: huggingface.co).
 */
export function transformersCache(params: TransformersCacheParams = {}): TransformersCache {
	const options = check(FN, params ?? {}, { freshnessMs: COUNT });
	const store = storeOption(FN, options.cache ?? true);
	if (!store) throw invalid(FN, "cache", "true or a cache store (this runtime has no default store)", options.cache);
	const { cache: _cache, freshnessMs, ...common } = options;
	const hubUrl = common.hubUrl ?? DEFAULT_HUB;

	/** Whether the options the core checks (the token, say) are good: with a file that is. */
	let optionsChecked: Promise<unknown> | undefined;
	/** The file a request names on `hubUrl`, with its checked target, or undefined. */
	const fileOf = async (fn: string, request: unknown) => {
		const at = resolveUrl(hubUrl, urlOf(`${FN}().${fn}`, request));
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
function urlOf(fn: string, request: unknown): string {
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
