/**
 * Feeding the wasm SHA-256 from a `Blob`'s stream (browsers serve streams faster than slices,
 * and cannot slice very large in-memory Blobs), or from slices for blob-like content. Shared by
 * the main thread and the hashing Web Worker.
 */
import { readBlob } from "./read-stream.js";
import type { BlobLike } from "./content.js";

interface Sha256Like {
	update(chunk: Uint8Array): void;
	digest(): string;
	free(): void;
}

const REPORT_EVERY = 4 << 20;
const SLICE = 8 << 20;
/**
 * Files up to this size are hashed by WebCrypto in one shot: about twice as fast as any
 * streaming hash in a browser, at the cost of holding the file in memory, so only small ones.
 */
export const ONE_SHOT_MAX = 16 << 20;

async function oneShot(blob: Blob): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
	let hex = "";
	for (const b of digest) hex += b.toString(16).padStart(2, "0");
	return hex;
}

export async function sha256Of(
	make: () => Sha256Like,
	content: BlobLike,
	onBytes: (done: number) => void,
	signal?: AbortSignal,
): Promise<string> {
	if (typeof Blob !== "undefined" && content instanceof Blob && content.size <= ONE_SHOT_MAX && globalThis.crypto?.subtle) {
		signal?.throwIfAborted();
		const hex = await oneShot(content);
		onBytes(content.size);
		return hex;
	}
	const h = make();
	try {
		let done = 0;
		let reported = 0;
		const step = (n: number) => {
			done += n;
			if (done - reported >= REPORT_EVERY) {
				reported = done;
				onBytes(done);
			}
		};
		if (typeof Blob !== "undefined" && content instanceof Blob) {
			await readBlob(
				content,
				(chunk) => {
					h.update(chunk);
					step(chunk.length);
				},
				signal,
			);
		} else {
			for (let start = 0; start < content.size; start += SLICE) {
				signal?.throwIfAborted();
				const chunk = new Uint8Array(await content.slice(start, Math.min(start + SLICE, content.size)).arrayBuffer());
				h.update(chunk);
				step(chunk.length);
			}
		}
		if (done !== content.size) {
			throw new Error(`read ${done} bytes of a ${content.size}-byte file: did it change while uploading?`);
		}
		onBytes(done);
		return h.digest();
	} finally {
		h.free();
	}
}
