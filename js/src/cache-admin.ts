/**
 * Looking after the download cache: list what is there, measure it, delete by repo or entry,
 * clear it, and set a byte budget (least recently used files go first).
 */
import { defaultCache, setCacheBudget as setBudget } from "./cache/defaults.js";
import type { CacheEntryInfo, CacheStore } from "./cache/store.js";
import { HubError } from "./error.js";
import type { RepoDesignation } from "./types.js";
import { wasm } from "./wasm.js";

function storeOf(cache?: CacheStore): CacheStore {
	const s = cache ?? defaultCache();
	if (!s) throw new HubError({ code: "InvalidInput", message: "no cache: pass `cache` (there is no default in this runtime)" });
	return s;
}

/** `models/ns/name` for a repo designation, validated. */
async function repoKey(repo: RepoDesignation): Promise<string> {
	const w = await wasm();
	return w.repoKey({ repo });
}

/** Every cached file: repo, revisions pointing at its commit, path, size, last access. */
export async function listCachedFiles(params: { cache?: CacheStore; repo?: RepoDesignation } = {}): Promise<CacheEntryInfo[]> {
	const all = await storeOf(params.cache).list();
	if (params.repo === undefined) return all;
	const key = await repoKey(params.repo);
	return all.filter((e) => e.repo === key);
}

/** Bytes stored (complete and partial downloads). */
export async function cacheSize(params: { cache?: CacheStore } = {}): Promise<number> {
	return storeOf(params.cache).size();
}

/** Deletes a repo's files, or one commit's, or one path's; blobs nothing uses any more go too. */
export async function deleteCachedFiles(params: {
	cache?: CacheStore;
	repo: RepoDesignation;
	commit?: string;
	path?: string;
}): Promise<void> {
	await storeOf(params.cache).delete({ repo: await repoKey(params.repo), commit: params.commit, path: params.path });
}

/** Empties the cache. */
export async function clearCache(params: { cache?: CacheStore } = {}): Promise<void> {
	await storeOf(params.cache).delete();
}

/**
 * Keeps the cache under `bytes` from now on (evicting least recently used files after each
 * download), and evicts down to it right away. `undefined` removes the budget.
 */
export async function setCacheBudget(bytes: number | undefined, params: { cache?: CacheStore } = {}): Promise<void> {
	if (bytes !== undefined && (!Number.isFinite(bytes) || bytes < 0)) {
		throw new HubError({ code: "InvalidInput", message: `invalid cache budget ${bytes}: expected a non-negative number of bytes` });
	}
	setBudget(bytes);
	if (bytes !== undefined) await storeOf(params.cache).evictTo(bytes);
}
