/**
 * Hashing in a pool of Web Workers, so a page hashing gigabytes never freezes. Each worker runs
 * the same wasm hashing as the main thread; `Blob`s are passed by reference, not copied. Where
 * `Worker` does not exist (Node, Cloudflare Workers), hashing stays on the current thread.
 * Loaded by the first commit that asks for workers (`commit.ts`): other pages fetch none of it.
 */
import type { BlobLike } from "./content.js";
// Types only: a value imported from the page's modules would make a bundler split them into a chunk
// of their own that every upload page then fetches (`make size`); the fallback is handed in.
import type { DisposableHasher, Hasher } from "./hashers.js";

interface Job {
	blob: Blob;
	onBytes: (done: number) => void;
	resolve: (hash: string) => void;
	reject: (err: unknown) => void;
	signal?: AbortSignal;
	settled?: boolean;
}

type Reply = { id: number; done?: number; hash?: string; error?: string };

/** The hashing worker; the one place that names its file, so bundlers emit it once. */
export function spawnHashWorker(): Worker {
	return new Worker(new URL("./hash-worker.js", import.meta.url), { type: "module" });
}

/**
 * A pool of `poolSize` workers (default: cores, at most 8) for files of at least `minSize`
 * bytes (default 1 MiB); smaller files and non-Blob content are hashed by `fallback`.
 */
export function workerPoolHasher(poolSize: number | undefined, minSize = 1 << 20, fallback: Hasher): DisposableHasher {
	if (typeof Worker === "undefined") {
		return { hasher: fallback, dispose() {} };
	}
	const size = Math.max(1, Math.min(poolSize ?? (globalThis.navigator?.hardwareConcurrency || 2), 8));
	const idle: Worker[] = [];
	const all: Worker[] = [];
	const queue: Job[] = [];
	let nextId = 0;

	const spawn = (): Worker => {
		const worker = spawnHashWorker();
		all.push(worker);
		return worker;
	};
	const next = (worker: Worker) => {
		const job = queue.shift();
		if (job) run(worker, job);
		else idle.push(worker);
	};
	const run = (worker: Worker, job: Job) => {
		if (job.signal?.aborted) {
			job.reject(job.signal.reason);
			next(worker);
			return;
		}
		const id = nextId++;
		const settle = () => {
			job.settled = true;
			worker.removeEventListener("message", onMessage);
			worker.removeEventListener("error", onError);
			job.signal?.removeEventListener("abort", onAbort);
		};
		const onMessage = (e: MessageEvent<Reply>) => {
			if (e.data.id !== id || job.settled) return;
			if (e.data.done !== undefined) {
				job.onBytes(e.data.done);
				return;
			}
			settle();
			if (e.data.hash) job.resolve(e.data.hash);
			else job.reject(new Error(`hashing in a Web Worker failed: ${e.data.error}`));
			next(worker);
		};
		const onError = (e: ErrorEvent) => {
			settle();
			job.reject(new Error(`the hashing worker failed: ${e.message}`));
			all.splice(all.indexOf(worker), 1);
			worker.terminate();
		};
		// Cancelling stops the hash at once: the worker is thrown away, a fresh one serves the queue.
		const onAbort = () => {
			settle();
			job.reject(job.signal?.reason ?? new DOMException("aborted", "AbortError"));
			all.splice(all.indexOf(worker), 1);
			worker.terminate();
			const waiting = queue.shift();
			if (waiting) run(spawn(), waiting);
		};
		worker.addEventListener("message", onMessage);
		worker.addEventListener("error", onError);
		job.signal?.addEventListener("abort", onAbort, { once: true });
		worker.postMessage({ id, blob: job.blob });
	};

	const hasher: Hasher = (content: BlobLike, onBytes, signal, path) => {
		if (!(content instanceof Blob) || content.size < minSize) return fallback(content, onBytes, signal, path);
		if (signal?.aborted) return Promise.reject(signal.reason);
		return new Promise<string>((resolve, reject) => {
			const job: Job = { blob: content, onBytes, resolve, reject, signal };
			const worker = idle.pop() ?? (all.length < size ? spawn() : undefined);
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
