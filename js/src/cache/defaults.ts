/**
 * The cache a call uses when its `cache` option says so: `undefined` (or `null`) is the entry's
 * default (IndexedDB in browsers, none in Node and Workers), `true` the runtime's own store
 * (IndexedDB; the `huggingface_hub` folder in Node; the Cache API's default cache in Workers,
 * registered by those entries), `false` none, and a store object is used as it is.
 */
import { invalid } from "../check.js";
import { IndexedDbCache } from "./indexeddb.js";
import type { CacheStore } from "./store.js";

let instance: CacheStore | undefined;
let runtime: (() => CacheStore | undefined) | undefined;
let budget: number | undefined;

export function defaultCache(): CacheStore | undefined {
	instance ??= typeof indexedDB === "undefined" ? undefined : new IndexedDbCache();
	return instance;
}

/** Registers the store `cache: true` means outside browsers (Node, Workers entries). */
export function setRuntimeStore(make: () => CacheStore | undefined): void {
	let made: CacheStore | undefined;
	runtime = () => (made ??= make());
}

const METHODS = ["getRef", "putRef", "getEntry", "putEntry", "readBlob", "openWriter", "list", "size", "delete", "evictTo"] as const;

/** Whether `v` has every method of a `CacheStore`. */
export function isStore(v: unknown): v is CacheStore {
	return typeof v === "object" && v !== null && METHODS.every((m) => typeof (v as Record<string, unknown>)[m] === "function");
}

/** The store a `cache` option names (see above); anything else is `InvalidInput`. */
export function storeOption(fn: string, v: unknown): CacheStore | undefined {
	if (v == null) return defaultCache();
	if (v === false) return undefined;
	if (v === true) return (runtime ?? defaultCache)();
	if (isStore(v)) return v;
	throw invalid(fn, "cache", "true, false or a cache store (IndexedDbCache, FileSystemCache, CacheApiStore)", v);
}

export function setCacheBudget(bytes: number | undefined): void {
	budget = bytes;
}

export function cacheBudget(): number | undefined {
	return budget;
}
