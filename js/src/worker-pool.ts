/**
 * Hashing in a pool of Web Workers, so a page hashing gigabytes never freezes. Each worker runs
 * the same wasm hashing as the main thread; `Blob`s are passed by reference, not copied. Where
 * `Worker` does not exist (Node, Cloudflare Workers), hashing stays on the current thread.
 */
import type { BlobLike } from "./content.js";
import type { Hasher } from "./hashers.js";
import { sha256Of } from "./sha256-stream.js";
import { wasm } from "./wasm.js";

interface Job {
	blob: Blob;
	onBytes: (done: number) => void;
	resolve: (hash: string) => void;
	reject: (err: unknown) => void;
}

type Reply = { id: number; done?: number; hash?: string; error?: string };

/** Hashes on the current thread with the wasm module, fed from a stream. */
export const wasmHasher: Hasher = async (content, onBytes, signal) => {
	const w = await wasm();
	return sha256Of(() => new w.Sha256(), content, onBytes, signal);
};

export interface DisposableHasher {
	hasher: Hasher;
	dispose(): void;
}

/**
 * A pool of `poolSize` workers (default: cores, at most 8) for files of at least `minSize`
 * bytes (default 1 MiB); smaller files and non-Blob content are hashed by `fallback`.
 */
export function workerPoolHasher(poolSize?: number, minSize = 1 << 20, fallback: Hasher = wasmHasher): DisposableHasher {
	if (typeof Worker === "undefined") {
		return { hasher: fallback, dispose() {} };
	}
	const size = Math.max(1, Math.min(poolSize ?? (globalThis.navigator?.hardwareConcurrency || 2), 8));
	const idle: Worker[] = [];
	const all: Worker[] = [];
	const queue: Job[] = [];
	let nextId = 0;

	const run = (worker: Worker, job: Job) => {
		const id = nextId++;
		const onMessage = (e: MessageEvent<Reply>) => {
			if (e.data.id !== id) return;
			if (e.data.done !== undefined) {
				job.onBytes(e.data.done);
				return;
			}
			worker.removeEventListener("message", onMessage);
			if (e.data.hash) job.resolve(e.data.hash);
			else job.reject(new Error(`hashing in a Web Worker failed: ${e.data.error}`));
			const next = queue.shift();
			if (next) run(worker, next);
			else idle.push(worker);
		};
		worker.addEventListener("message", onMessage);
		worker.postMessage({ id, blob: job.blob });
	};

	const hasher: Hasher = (content: BlobLike, onBytes) => {
		if (!(content instanceof Blob) || content.size < minSize) return fallback(content, onBytes);
		return new Promise<string>((resolve, reject) => {
			const job: Job = { blob: content, onBytes, resolve, reject };
			let worker = idle.pop();
			if (!worker && all.length < size) {
				worker = new Worker(new URL("./hash-worker.js", import.meta.url), { type: "module" });
				worker.addEventListener("error", (e) => reject(new Error(`the hashing worker failed to start: ${e.message}`)));
				all.push(worker);
			}
			if (worker) run(worker, job);
			else queue.push(job);
		});
	};
	return {
		hasher,
		dispose() {
			for (const w of all) w.terminate();
			for (const j of queue.splice(0)) j.reject(new Error("the hashing pool was closed"));
		},
	};
}
