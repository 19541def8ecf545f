/**
 * Looking after the download cache: list what is there, measure it, delete by repo or entry,
 * clear it, and set a byte budget (least recently used files go first).
 */
import { setCacheBudget as setBudget, storeOption } from "./cache/defaults.js";
import { check, COUNT, STRING, type Rule } from "./check.js";
import type { CacheEntryInfo, CacheStore } from "./cache/store.js";
import { HubError } from "./error.js";
import { aliased } from "./params.js";
import { repoKey } from "./repo-key.js";
import type { RepoDesignation } from "./types.js";

/** Checks the options of `fn`; returns the store they name (the entry's default if none). */
function storeOf(fn: string, params: { cache?: CacheStore | boolean }, rules?: Record<string, Rule>, required?: string[]): CacheStore {
	check(fn, params, rules, required);
	const s = storeOption(fn, params.cache);
	if (!s) throw new HubError({ code: "InvalidInput", message: `${fn}: no cache: pass \`cache\` (there is no default in this runtime)` });
	return s;
}

export interface ListCachedFilesParams {
	/** The store to look in; default: the entry's default cache. */
	cache?: CacheStore | boolean;
	/** Only this repo's files. */
	repo?: RepoDesignation;
}

/** Every cached file: repo, revisions pointing at its commit, path, size, last access. */
export async function listCachedFiles(params: ListCachedFilesParams = {}): Promise<CacheEntryInfo[]> {
	// A store written before `commitOid` existed may name the commit `commit` only.
	const all = (await storeOf("listCachedFiles", params).list()).map((e) => {
		const commit = e.commitOid ?? e.commit;
		return e.commitOid === commit && e.commit === commit ? e : { ...e, commitOid: commit, commit };
	});
	if (params.repo == null) return all;
	const key = await repoKey({ repo: params.repo });
	return all.filter((e) => e.repo === key);
}

export interface CacheSizeParams {
	cache?: CacheStore | boolean;
}

/** Bytes stored (complete and partial downloads). */
export async function cacheSize(params: CacheSizeParams = {}): Promise<number> {
	return storeOf("cacheSize", params).size();
}

export interface DeleteCachedFilesParams {
	cache?: CacheStore | boolean;
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
	const store = storeOf("deleteCachedFiles", params, { commitOid: STRING, commit: STRING, path: STRING }, ["repo"]);
	const commit = aliased(["commitOid", params.commitOid], ["commit", params.commit]);
	await store.delete({ repo: await repoKey({ repo: params.repo }), commit, path: params.path });
}

export interface ClearCacheParams {
	cache?: CacheStore | boolean;
}

/** Empties the cache. */
export async function clearCache(params: ClearCacheParams = {}): Promise<void> {
	await storeOf("clearCache", params).delete();
}

export interface SetCacheBudgetParams {
	/** The most bytes the cache may hold; `undefined` removes the budget. */
	bytes: number | undefined;
	/** The store to evict from right away; default: the entry's default cache. */
	cache?: CacheStore | boolean;
}

/**
 * Keeps the cache under `bytes` from now on (evicting least recently used files after each
 * download), and evicts down to it right away. `bytes: undefined` removes the budget.
 */
export async function setCacheBudget(params: SetCacheBudgetParams): Promise<void>;
/** @deprecated Use `setCacheBudget({ bytes, cache })`; this positional form is removed in the next release. */
export async function setCacheBudget(bytes: number | undefined, params?: { cache?: CacheStore | boolean }): Promise<void>;
export async function setCacheBudget(first: SetCacheBudgetParams | number | undefined, rest: { cache?: CacheStore | boolean } = {}): Promise<void> {
	const params = typeof first === "object" && first !== null ? first : { ...rest, bytes: first };
	check("setCacheBudget", params, { bytes: COUNT });
	const store = params.bytes == null ? undefined : storeOf("setCacheBudget", params);
	setBudget(params.bytes ?? undefined);
	await store?.evictTo(params.bytes!);
}
