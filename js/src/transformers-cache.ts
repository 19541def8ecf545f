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

/**
 * An object for transformers.js' `env.customCache` (with `env.useCustomCache = true`) that keeps
 * model files in hubwasm's cache, verified and shared with hubwasm's own downloads. Set
 * `hubUrl` to the `env.remoteHost` transformers.js uses (default both: huggingface.co). The
 * options are checked here; the methods' code (`transformers-cache-impl.ts`) comes with the
 * first call, given what it uses of the page's modules.
 */
export function transformersCache(params: TransformersCacheParams = {}): TransformersCache {
	const options = check(FN, params ?? {}, { freshnessMs: COUNT });
	const store = storeOption(FN, options.cache ?? true);
	if (!store) throw invalid(FN, "cache", "true or a cache store (this runtime has no default store)", options.cache);
	let impl: Promise<TransformersCache> | undefined;
	const get = () =>
		(impl ??= import("./transformers-cache-impl.js").then((m) =>
			m.create(options, store, [cacheBudget, refName, invalid, cachedDownload, resolveCommit, fileTarget, filesCall, splitRepo]),
		));
	return {
		match: async (request) => (await get()).match(request),
		put: async (request, response, progressCallback) => (await get()).put(request, response, progressCallback),
		delete: async (request) => (await get()).delete(request),
	};
}
