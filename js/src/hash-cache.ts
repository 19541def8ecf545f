/**
 * Remembering file hashes in the browser: a retried upload of the same files (same name, size
 * and last-modified time) does not hash gigabytes again. Kept in IndexedDB, so it survives a
 * reload; where IndexedDB does not exist (Node, Workers) hashes are simply recomputed.
 */
import { BytesContent, type BlobLike } from "./content.js";
import type { Hasher } from "./hashers.js";

const DB = "hubwasm-hashes";
const STORE = "sha256";

let db: Promise<IDBDatabase | undefined> | undefined;

function open(): Promise<IDBDatabase | undefined> {
	db ??= new Promise((resolve) => {
		if (typeof indexedDB === "undefined") return resolve(undefined);
		try {
			const req = indexedDB.open(DB, 1);
			req.onupgradeneeded = () => req.result.createObjectStore(STORE);
			req.onsuccess = () => resolve(req.result);
			// A cache that cannot open (private mode, quota) just means hashing again.
			req.onerror = () => resolve(undefined);
			req.onblocked = () => resolve(undefined);
		} catch {
			resolve(undefined);
		}
	});
	return db;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
	return new Promise((ok, ko) => {
		r.onsuccess = () => ok(r.result);
		r.onerror = () => ko(r.error);
	});
}

/**
 * The cache key of a `File`, or undefined for other content (nothing identifies it). The path in
 * the repo is part of it: two files of one name, size and time in different folders (a drop of
 * two checkpoints, say) must never share a hash.
 */
function keyOf(read: BlobLike, path: string | undefined): string | undefined {
	const content = read instanceof BytesContent ? read.source : read;
	if (typeof File === "undefined" || !(content instanceof File) || path === undefined) return undefined;
	const rel = (content as File & { webkitRelativePath?: string }).webkitRelativePath;
	return JSON.stringify([path, rel || content.name, content.size, content.lastModified]);
}

/** Wraps `inner` with the IndexedDB cache. */
export function cachedHasher(inner: Hasher): Hasher {
	return async (content, onBytes, signal, path) => {
		const key = keyOf(content, path);
		const store = key === undefined ? undefined : await open();
		if (store && key !== undefined) {
			try {
				const hit = await request(store.transaction(STORE).objectStore(STORE).get(key));
				if (typeof hit === "string") {
					onBytes(content.size);
					return hit;
				}
			} catch {
				// Fall through to hashing.
			}
		}
		const hash = await inner(content, onBytes, signal, path);
		if (store && key !== undefined) {
			try {
				await request(store.transaction(STORE, "readwrite").objectStore(STORE).put(hash, key));
			} catch {
				// Not remembering is fine.
			}
		}
		return hash;
	};
}
