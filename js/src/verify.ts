/**
 * Checking downloaded bytes against the etag they are named by: SHA-256 for LFS files (64 hex),
 * git blob SHA-1 for regular files (40 hex). Computed while the bytes stream past: by the platform
 * where it is faster (Node), in a Web Worker for large files in browsers, else in wasm.
 */
import type { Bindings } from "./wasm.js";
import { workerSha256 } from "./worker-sha256.js";

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
	/** Feeds bytes in order; a returned promise asks the caller to wait before feeding more. */
	update(chunk: Uint8Array): void | Promise<void>;
	/** Whether the bytes match; `undefined` when the etag names no hash we know (then only the
	 * size is checked). */
	matches(): Promise<boolean | undefined>;
	free(): void;
}

/** From this size on, browsers verify SHA-256 in a Web Worker: below it, starting one costs more
 * than it saves. */
export const OFF_THREAD_MIN = 32 << 20;

export async function verifier(w: Bindings, etag: string, size: number, signal?: AbortSignal): Promise<Verifier> {
	const e = etag.toLowerCase();
	const sha256 = /^[0-9a-f]{64}$/.test(e);
	if (sha256 && !platform && size >= OFF_THREAD_MIN) {
		const h = await workerSha256(signal);
		if (h) {
			return {
				update: (chunk) => h.update(chunk),
				matches: async () => (await h.digest()) === e,
				free: () => h.free(),
			};
		}
	}
	const h: IncrementalHash | undefined = sha256
		? (platform?.sha256() ?? new w.Sha256())
		: /^[0-9a-f]{40}$/.test(e)
			? (platform?.gitBlobSha1(size) ?? new w.GitBlobSha1(size))
			: undefined;
	return {
		update: (chunk) => h?.update(chunk),
		matches: async () => (h ? h.digest() === e : undefined),
		free: () => h?.free?.(),
	};
}
