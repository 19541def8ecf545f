/**
 * Checking downloaded bytes against the etag they are named by: SHA-256 for LFS files (64 hex),
 * git blob SHA-1 for regular files (40 hex). Computed while the bytes stream past by the platform
 * where it is faster (Node) and in a Web Worker for large files in browsers; small files in
 * browsers and Workers by WebCrypto at the end (no module to load); else by the hash module.
 */

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

/** Bytes fed to a WebCrypto digest: kept (copied: a reader may reuse its buffer) until the end. */
function buffered(algorithm: "SHA-256" | "SHA-1", prefix: Uint8Array, size: number, expected: string): Verifier {
	const all = new Uint8Array(prefix.length + size);
	all.set(prefix);
	let at = prefix.length;
	let overflow = false;
	return {
		update(chunk) {
			if (at + chunk.length > all.length) overflow = true;
			else all.set(chunk, at);
			at += chunk.length;
		},
		async matches() {
			if (overflow || at !== all.length) return false;
			const d = new Uint8Array(await crypto.subtle.digest(algorithm, all));
			return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("") === expected;
		},
		free() {},
	};
}

export async function verifier(etag: string, size: number, signal?: AbortSignal): Promise<Verifier> {
	const e = etag.toLowerCase();
	const sha256 = /^[0-9a-f]{64}$/.test(e);
	const sha1 = !sha256 && /^[0-9a-f]{40}$/.test(e);
	if (sha256 && !platform && size >= OFF_THREAD_MIN) {
		// Loaded with the first large download only: a page of small files never fetches it.
		const { workerSha256 } = await import("./worker-sha256.js");
		const h = await workerSha256(signal);
		if (h) {
			return {
				update: (chunk) => h.update(chunk),
				matches: async () => (await h.digest()) === e,
				free: () => h.free(),
			};
		}
	}
	// Small files in browsers and Workers: the platform's WebCrypto, with no module to load.
	if ((sha256 || sha1) && !platform && size < OFF_THREAD_MIN && globalThis.crypto?.subtle) {
		return sha256
			? buffered("SHA-256", new Uint8Array(0), size, e)
			: buffered("SHA-1", new TextEncoder().encode(`blob ${size}\0`), size, e);
	}
	// Where neither the platform nor WebCrypto can (an insecure context), the hash module does.
	const wasm = async () => (await import("./module-hash.js")).hash();
	let h: IncrementalHash | undefined;
	if (sha256) h = platform?.sha256() ?? new (await wasm()).Sha256();
	else if (sha1) h = platform?.gitBlobSha1(size) ?? new (await wasm()).GitBlobSha1(size);
	return {
		update: (chunk) => h?.update(chunk),
		matches: async () => (h ? h.digest() === e : undefined),
		free: () => h?.free?.(),
	};
}
