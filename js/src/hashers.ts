/**
 * Who computes SHA-256 of LFS files. By default the wasm module does, streaming `Blob` slices;
 * an entry point may register a faster platform hasher (Node registers `node:crypto`), and
 * `useWebWorkers` moves the work off the main thread.
 */
import type { BlobLike } from "./content.js";

/** Hashes a file, reporting bytes done; resolves to the lower-case hex sha256. `path` is where
 * the file goes in the repo. */
export type Hasher = (content: BlobLike, onBytes: (done: number) => void, signal?: AbortSignal, path?: string) => Promise<string>;

let platform: Hasher | undefined;

/** Registered by an entry point at import time. */
export function setPlatformHasher(h: Hasher): void {
	platform = h;
}

/** The platform hasher, if the runtime has a faster one than wasm. */
export function platformHasher(): Hasher | undefined {
	return platform;
}
