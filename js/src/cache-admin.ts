/**
 * Looking after the download cache: list what is there, measure it, delete by repo or entry,
 * clear it, and set a byte budget (least recently used files go first).
 */
import { defaultCache, setCacheBudget as setBudget } from "./cache/defaults.js";
import type { CacheEntryInfo, CacheStore } from "./cache/store.js";
import { HubError } from "./error.js";
import { aliased } from "./params.js";
import { repoKey } from "./repo-key.js";
import type { RepoDesignation } from "./types.js";

function storeOf(cache?: CacheStore): CacheStore {
	const s = cache ?? defaultCache();
	if (!s) throw new HubError({ code: "InvalidInput", message: "no cache: pass `cache` (there is no default in this runtime)" });
	return s;
}

export interface ListCachedFilesParams {
	/** The store to look in; default: the entry's default cache. */
	cache?: CacheStore;
	/** Only this repo's files. */
	repo?: RepoDesignation;
}

/** Every cached file: repo, revisions pointing at its commit, path, size, last access. */
export async function listCachedFiles(params: ListCachedFilesParams = {}): Promise<CacheEntryInfo[]> {
	// A store written before `commitOid` existed may name the commit `commit` only.
	const all = (await storeOf(params.cache).list()).map((e) => {
		const commit = e.commitOid ?? e.commit;
		return e.commitOid === commit && e.commit === commit ? e : { ...e, commitOid: commit, commit };
	});
	if (params.repo === undefined) return all;
	const key = await repoKey({ repo: params.repo });
	return all.filter((e) => e.repo === key);
}

export interface CacheSizeParams {
	cache?: CacheStore;
}

/** Bytes stored (complete and partial downloads). */
export async function cacheSize(params: CacheSizeParams = {}): Promise<number> {
	return storeOf(params.cache).size();
}

export interface DeleteCachedFilesParams {
	cache?: CacheStore;
	repo: RepoDesignation;
	/** Only the files cached at this commit (a `listCachedFiles` entry's `commitOid`). */
	commitOid?: string;
	/** @deprecated Use `commitOid`; removed in the next release. Both given and different is
	 * `InvalidInput`. */
	commit?: string;
	/** Only this path. */
	path?: string;
}

/** Deletes a repo's files, or one commit's, or one path's; blobs nothing uses any more go too. */
export async function deleteCachedFiles(params: DeleteCachedFilesParams): Promise<void> {
	const commit = aliased(["commitOid", params.commitOid], ["commit", params.commit]);
	const store = storeOf(params.cache);
	await store.delete({ repo: await repoKey({ repo: params.repo }), commit, path: params.path });
}

export interface ClearCacheParams {
	cache?: CacheStore;
}

/** Empties the cache. */
export async function clearCache(params: ClearCacheParams = {}): Promise<void> {
	await storeOf(params.cache).delete();
}

export interface SetCacheBudgetParams {
	/** The most bytes the cache may hold; `undefined` removes the budget. */
	bytes: number | undefined;
	/** The store to evict from right away; default: the entry's default cache. */
	cache?: CacheStore;
}

/**
 * Keeps the cache under `bytes` from now on (evicting least recently used files after each
 * download), and evicts down to it right away. `bytes: undefined` removes the budget.
 */
export async function setCacheBudget(params: SetCacheBudgetParams): Promise<void>;
/** @deprecated Use `setCacheBudget({ bytes, cache })`; this positional form is removed in the next release. */
export async function setCacheBudget(bytes: number | undefined, params?: { cache?: CacheStore }): Promise<void>;
export async function setCacheBudget(first: SetCacheBudgetParams | number | undefined, rest: { cache?: CacheStore } = {}): Promise<void> {
	const { bytes, cache } = typeof first === "object" && first !== null ? first : { bytes: first, cache: rest.cache };
	if (bytes !== undefined && (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0)) {
		throw new HubError({ code: "InvalidInput", message: `invalid cache budget ${String(bytes)}: expected a non-negative number of bytes` });
	}
	setBudget(bytes);
	if (bytes !== undefined) await storeOf(cache).evictTo(bytes);
}
