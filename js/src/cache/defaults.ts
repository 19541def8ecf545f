/** The cache used when a call does not say: entry points register one (browsers: IndexedDB). */
import type { CacheStore } from "./store.js";

let factory: (() => CacheStore | undefined) | undefined;
let instance: CacheStore | undefined;
let budget: number | undefined;

export function setDefaultCache(make: () => CacheStore | undefined): void {
	factory = make;
	instance = undefined;
}

/** The default store, created on first use. */
export function defaultCache(): CacheStore | undefined {
	instance ??= factory?.();
	return instance;
}

/** A byte budget applied after every cached download (LRU eviction). */
export function setCacheBudget(bytes: number | undefined): void {
	budget = bytes;
}

export function cacheBudget(): number | undefined {
	return budget;
}
