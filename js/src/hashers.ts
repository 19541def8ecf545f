/**
 * Who computes SHA-256 of LFS files. By default the wasm module does, streaming `Blob` slices;
 * an entry point may register a faster platform hasher (Node registers `node:crypto`), and
 * `useWebWorkers` moves the work off the main thread.
 */
import type { BlobLike } from "./content.js";
import { sha256Of } from "./sha256-stream.js";

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

/** Files up to this size are hashed in one piece by WebCrypto where there is one (no module to
 * load, and as fast); larger ones stream through the hash module, a slice at a time. */
const ONE_PIECE = 16 << 20;

/** Hashes on the current thread: WebCrypto for small files, else the hash module on a stream. */
export const wasmHasher: Hasher = async (content, onBytes, signal) => {
	if (content.size <= ONE_PIECE && globalThis.crypto?.subtle) {
		const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await content.arrayBuffer()));
		signal?.throwIfAborted();
		onBytes(content.size);
		return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
	}
	// Loaded for the first large file only: a page of small uploads never fetches it.
	const { Sha256 } = await (await import("./module-hash.js")).hash();
	return sha256Of(() => new Sha256(), content, onBytes, signal);
};

export interface DisposableHasher {
	hasher: Hasher;
	dispose(): void;
}
