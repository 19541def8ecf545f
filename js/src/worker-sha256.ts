/**
 * SHA-256 of a download computed in a Web Worker, so that verifying a large file does not hold up
 * the thread that reads and stores it: the network, the store and the hash then run side by side.
 * Bytes are copied into batches, the batches transferred (and sent back to be filled again); at most
 * `MAX_QUEUED` bytes wait for the worker, so memory stays bounded when the network outruns the
 * hash. A worker that hashed a whole stream is kept a few seconds for the next file.
 */
import { HubError } from "./error.js";
import { spawnHashWorker } from "./worker-pool.js";

const BATCH = 4 << 20;
const MAX_QUEUED = 32 << 20;
const KEEP_IDLE_MS = 10_000;
/** A worker that has not said it is ready by then is given up on. */
const START_TIMEOUT_MS = 10_000;

type Reply = { ready?: boolean; id?: number; hashed?: number; bytes?: ArrayBuffer; hash?: string; error?: string };

const idle = new Map<Worker, ReturnType<typeof setTimeout>>();
/** Set once spawning failed here (no Worker support, a CSP, a bundler that dropped the file). */
let unavailable = typeof Worker === "undefined";

async function acquire(): Promise<Worker | undefined> {
	for (const [worker, timer] of idle) {
		clearTimeout(timer);
		idle.delete(worker);
		return worker;
	}
	if (unavailable) return undefined;
	let worker: Worker;
	try {
		worker = spawnHashWorker();
	} catch {
		unavailable = true;
		return undefined;
	}
	const ok = await new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
		worker.onmessage = (e: MessageEvent<Reply>) => {
			if (e.data.ready === undefined) return;
			clearTimeout(timer);
			resolve(e.data.ready);
		};
		worker.onerror = (e) => {
			e.preventDefault();
			clearTimeout(timer);
			resolve(false);
		};
	});
	if (!ok) {
		unavailable = true;
		worker.terminate();
		return undefined;
	}
	return worker;
}

function keepIdle(worker: Worker): void {
	worker.onmessage = null;
	worker.onerror = null;
	idle.set(
		worker,
		setTimeout(() => {
			idle.delete(worker);
			worker.terminate();
		}, KEEP_IDLE_MS),
	);
}

/**
 * An incremental SHA-256 whose work happens in a Web Worker; `undefined` where none can run.
 * Aborting `signal` fails a pending `update` or `digest` at once with its reason.
 */
export async function workerSha256(signal?: AbortSignal): Promise<WorkerSha256 | undefined> {
	const worker = await acquire();
	return worker && new WorkerSha256(worker, signal);
}

export class WorkerSha256 {
	private batch = new Uint8Array(BATCH);
	/** Batches the worker has hashed and sent back, to be filled again. */
	private spare: ArrayBuffer[] = [];
	private fill = 0;
	private queued = 0;
	private drained: (() => void) | undefined;
	private failure: unknown;
	private finished = false;
	private readonly result: Promise<string>;
	private readonly onAbort: () => void;

	constructor(
		private readonly worker: Worker,
		private readonly signal?: AbortSignal,
	) {
		let fail: (reason: unknown) => void = () => {};
		this.result = new Promise<string>((resolve, reject) => {
			fail = (reason) => {
				if (this.failure !== undefined) return;
				this.failure = reason;
				reject(reason);
				this.drained?.();
			};
			const broke = (message: string) =>
				fail(new HubError({ code: "Storage", message: `verifying the download in a Web Worker failed: ${message}` }));
			worker.onmessage = (e: MessageEvent<Reply>) => {
				const r = e.data;
				if (r.hashed !== undefined) {
					this.queued -= r.hashed;
					if (r.bytes?.byteLength === BATCH) this.spare.push(r.bytes);
					if (this.queued <= MAX_QUEUED / 2) this.drained?.();
				} else if (r.hash !== undefined) {
					if (this.failure !== undefined) return;
					this.finished = true;
					resolve(r.hash);
				} else if (r.error !== undefined) broke(r.error);
			};
			worker.onerror = (e) => {
				e.preventDefault();
				broke(e.message);
			};
		});
		// Observed through `update` and `digest`; never also an unhandled rejection.
		this.result.catch(() => {});
		this.onAbort = () => fail(signal?.reason ?? new DOMException("aborted", "AbortError"));
		if (signal?.aborted) this.onAbort();
		else signal?.addEventListener("abort", this.onAbort, { once: true });
	}

	/** Queues bytes; resolves at once unless too much is waiting for the worker. */
	async update(chunk: Uint8Array): Promise<void> {
		let at = 0;
		while (at < chunk.length) {
			const n = Math.min(chunk.length - at, BATCH - this.fill);
			this.batch.set(chunk.subarray(at, at + n), this.fill);
			this.fill += n;
			at += n;
			if (this.fill === BATCH) await this.send();
		}
	}

	private async send(): Promise<void> {
		if (this.failure !== undefined) throw this.failure;
		const bytes = this.fill === BATCH ? this.batch.buffer : this.batch.buffer.slice(0, this.fill);
		this.worker.postMessage({ id: 0, bytes }, [bytes]);
		this.queued += this.fill;
		const spare = this.spare.pop();
		this.batch = spare ? new Uint8Array(spare) : new Uint8Array(BATCH);
		this.fill = 0;
		while (this.queued > MAX_QUEUED && this.failure === undefined) {
			await new Promise<void>((resolve) => (this.drained = resolve));
			this.drained = undefined;
		}
		if (this.failure !== undefined) throw this.failure;
	}

	/** The lower-case hex digest of everything fed. */
	async digest(): Promise<string> {
		if (this.fill > 0) await this.send();
		this.worker.postMessage({ id: 0, end: true });
		return this.result;
	}

	/** Returns the worker for reuse after a complete digest; otherwise it is stopped, mid-hash. */
	free(): void {
		this.signal?.removeEventListener("abort", this.onAbort);
		if (this.finished) keepIdle(this.worker);
		else this.worker.terminate();
	}
}
