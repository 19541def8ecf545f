/**
 * Checking downloaded bytes against the etag they are named by: SHA-256 for LFS files (64 hex),
 * git blob SHA-1 for regular files (40 hex). Computed in wasm while the bytes stream past.
 */
import type { Bindings } from "./wasm.js";

export interface Verifier {
	update(chunk: Uint8Array): void;
	/** Whether the bytes match; `undefined` when the etag names no hash we know (then only the
	 * size is checked). */
	matches(): boolean | undefined;
	free(): void;
}

export function verifier(w: Bindings, etag: string, size: number): Verifier {
	const e = etag.toLowerCase();
	const h = /^[0-9a-f]{64}$/.test(e) ? new w.Sha256() : /^[0-9a-f]{40}$/.test(e) ? new w.GitBlobSha1(size) : undefined;
	return {
		update: (chunk) => h?.update(chunk),
		matches: () => (h ? h.digest() === e : undefined),
		free: () => h?.free(),
	};
}
