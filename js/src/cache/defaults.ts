/**
 * The cache used when a call does not say: IndexedDB wherever there is one (browsers, Web
 * Workers), none elsewhere. It lives here, with the downloads that use it, rather than in the
 * browser entry, so a page that only uploads carries no IndexedDB code.
 */
import { IndexedDbCache } from "./indexeddb.js";
import type { CacheStore } from "./store.js";

let instance: CacheStore | undefined;
let budget: number | undefined;

/** The default store, created on first use. */
export function defaultCache(): CacheStore | undefined {
	instance ??= typeof indexedDB === "undefined" ? undefined : new IndexedDbCache();
	return instance;
}

/** A byte budget applied after every cached download (LRU eviction). */
export function setCacheBudget(bytes: number | undefined): void {
	budget = bytes;
}

export function cacheBudget(): number | undefined {
	return budget;
}
