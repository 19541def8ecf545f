/**
 * Checking downloaded bytes against the etag they are named by: SHA-256 for LFS files (64 hex),
 * git blob SHA-1 for regular files (40 hex). Computed in wasm while the bytes stream past.
 */
import type { Bindings } from "./wasm.js";

/** An incremental hash: the wasm classes, or a platform one registered by an entry point. */
export interface IncrementalHash {
	update(chunk: Uint8Array): void;
	digest(): string;
	free?(): void;
}

/** Faster platform hashes (Node registers `node:crypto`); the wasm ones otherwise. */
export interface PlatformHashes {
	sha256(): IncrementalHash;
	gitBlobSha1(size: number): IncrementalHash;
}

let platform: PlatformHashes | undefined;

export function setPlatformHashes(p: PlatformHashes): void {
	platform = p;
}

export interface Verifier {
	update(chunk: Uint8Array): void;
	/** Whether the bytes match; `undefined` when the etag names no hash we know (then only the
	 * size is checked). */
	matches(): boolean | undefined;
	free(): void;
}

export function verifier(w: Bindings, etag: string, size: number): Verifier {
	const e = etag.toLowerCase();
	const h: IncrementalHash | undefined = /^[0-9a-f]{64}$/.test(e)
		? (platform?.sha256() ?? new w.Sha256())
		: /^[0-9a-f]{40}$/.test(e)
			? (platform?.gitBlobSha1(size) ?? new w.GitBlobSha1(size))
			: undefined;
	return {
		update: (chunk) => h?.update(chunk),
		matches: () => (h ? h.digest() === e : undefined),
		free: () => h?.free?.(),
	};
}
