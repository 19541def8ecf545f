/**
 * `snapshotDownload` into IndexedDB with few transactions. Going through `cachedDownload` file by
 * file costs each file about nine transactions (look up, record, open a writer, store, complete,
 * read back), and readwrite transactions on the same stores run one after another, so every
 * file waited behind the others' writes: 100 files of 5 MiB took 5–6 times a raw `fetch` loop
 * (`bench/snapshot.mjs`). Here:
 *
 * - one read-only transaction finds, for every selected file, whether it is cached at this
 *   commit, or its bytes are (under another commit or repo), or neither;
 * - a file of at most one chunk (`CHUNK`, 32 MiB) is fetched into a `Blob` by the browser and
 *   verified (WebCrypto, as small downloads are), then its chunk, its complete blob record and its
 *   entry are written in one transaction together with those of the other files finished
 *   meanwhile (a group commit). Nothing is visible before it is verified, and no file is ever
 *   half there: the chunk and the record that makes it readable commit together. Such a file
 *   never left a partial for a later call to resume from before either (its single chunk was
 *   stored at its end);
 * - larger files, a file another tab is downloading (Web Locks), a file whose body was cut (from
 *   then on resumed with `Range`), and whatever the fast path cannot take (a full store, a Blob
 *   the browser cannot hold, offline mode) go through `cachedDownload` as before: chunked,
 *   resumable, evicting when full.
 */
import type { BlobRecord, IndexedDbCache } from "./cache/indexeddb.js";
import type { EntryRecord, RepoKey } from "./cache/store.js";
import type * as Drive from "./drive.js";
import { HubError } from "./error.js";
import type * as Files from "./module-files.js";
import type * as Read from "./read-stream.js";
import type { RetryOptions } from "./types.js";
import type * as Verify from "./verify.js";
import type { FileOptions } from "./wire.js";

/**
 * What this module uses of the modules the page has loaded already, handed in by the caller: a
 * lazily loaded module that imported them would make a bundler move them into chunks of their
 * own, which every page using them would then fetch (`make size`; as `download-body.ts`).
 */
export interface Deps {
	filesCall: typeof Files.filesCall;
	files: typeof Files.files;
	retryDelay: typeof Drive.retryDelay;
	sleep: typeof Drive.sleep;
	isAbort: typeof Drive.isAbort;
	verifier: typeof Verify.verifier;
	readBlob: typeof Read.readBlob;
}

function req<T>(r: IDBRequest<T>): Promise<T> {
	return new Promise((ok, ko) => {
		r.onsuccess = () => ok(r.result);
		r.onerror = () => ko(r.error);
	});
}

function done(tx: IDBTransaction): Promise<void> {
	return new Promise((ok, ko) => {
		tx.oncomplete = () => ok();
		tx.onerror = () => ko(tx.error);
		tx.onabort = () => ko(tx.error ?? new DOMException("transaction aborted", "AbortError"));
	});
}

/** A selected file as the listing names it. */
export interface Wanted {
	path: string;
	etag: string;
	size: number;
}

/** What the store holds of a file: its entry at this commit and its bytes (`"ready"`), only its
 * bytes (`"bytes"`: another commit or repo has the same content), or nothing usable. */
export type Held = "ready" | "bytes" | undefined;

const keys = (etag: string) => IDBKeyRange.bound([etag, 0], [etag, Number.MAX_SAFE_INTEGER]);

/** One read-only transaction: what the store holds of each file (see {@link Held}). A complete
 * record whose chunks are gone or short counts as nothing (it is downloaded again). */
export async function lookup(db: IDBDatabase, repo: RepoKey, commit: string, wanted: Wanted[]): Promise<Held[]> {
	const tx = db.transaction(["entries", "blobs", "chunks"], "readonly");
	const out = wanted.map(async (f): Promise<Held> => {
		const [entry, rec, chunks] = await Promise.all([
			req(tx.objectStore("entries").get([repo, commit, f.path])) as Promise<EntryRecord | undefined>,
			req(tx.objectStore("blobs").get(f.etag)) as Promise<BlobRecord | undefined>,
			req(tx.objectStore("chunks").getAll(keys(f.etag))) as Promise<Blob[]>,
		]);
		if (!rec?.complete || rec.size !== f.size || chunks.reduce((n, c) => n + c.size, 0) !== f.size) return undefined;
		return entry?.etag === f.etag && entry.size === f.size ? "ready" : "bytes";
	});
	await done(tx);
	return Promise.all(out);
}

/** A write of the group commit: a verified file's bytes (`blob`) with its entry, or for bytes
 * already there a mark that they were used (`lastAccess`), with the entry if `entryOnly`. */
export interface Write {
	repo: RepoKey;
	commit: string;
	path: string;
	etag: string;
	size: number;
	blob?: Blob;
	entryOnly?: boolean;
}

/**
 * Group commit: writes handed in while a transaction is running wait, and then go together in the
 * next one. A write resolves once its transaction committed; a failed transaction (nothing of it
 * is stored) fails every write in it with the transaction's error.
 */
export class Group {
	private queue: { w: Write; ok: () => void; ko: (e: unknown) => void }[] = [];
	private running = false;

	constructor(private readonly db: IDBDatabase) {}

	add(w: Write): Promise<void> {
		return new Promise((ok, ko) => {
			this.queue.push({ w, ok, ko });
			this.next();
		});
	}

	private next(): void {
		if (this.running || this.queue.length === 0) return;
		this.running = true;
		const batch = this.queue.splice(0);
		this.commit(batch.map((b) => b.w)).then(
			() => batch.forEach((b) => b.ok()),
			(e: unknown) => {
				// A full store stays as it is (the caller takes the general path); anything else is
				// `Storage`, never the transaction's raw error.
				const err = isFull(e) ? e : new HubError({ code: "Storage", message: `storing the snapshot's files failed: ${e instanceof Error ? e.message : String(e)}`, cause: e });
				batch.forEach((b) => b.ko(err));
			},
		).finally(() => {
			this.running = false;
			this.next();
		});
	}

	private async commit(writes: Write[]): Promise<void> {
		// "relaxed", as every transaction of the store: a crash may lose the last commit, never
		// leave half of one.
		const tx = this.db.transaction(["entries", "blobs", "chunks"], "readwrite", { durability: "relaxed" });
		const blobs = tx.objectStore("blobs");
		const now = Date.now();
		for (const w of writes) {
			if (w.blob) {
				// The file's one chunk and the record that makes it readable, together; a stale
				// partial of the same bytes is replaced.
				const chunks = tx.objectStore("chunks");
				chunks.delete(keys(w.etag));
				chunks.put(w.blob, [w.etag, 0]);
				blobs.put({ etag: w.etag, size: w.size, written: w.size, complete: true, lastAccess: now } satisfies BlobRecord);
			} else {
				const get = blobs.get(w.etag);
				get.onsuccess = () => {
					const rec = get.result as BlobRecord | undefined;
					if (rec) blobs.put({ ...rec, lastAccess: now });
				};
			}
			if (w.blob || w.entryOnly) tx.objectStore("entries").put({ etag: w.etag, size: w.size } satisfies EntryRecord, [w.repo, w.commit, w.path]);
		}
		await done(tx);
	}
}

/** Whether a store error means "no room" (or a Blob the browser could not hold): the file then
 * goes the general way, which evicts or serves it uncached. */
export function isFull(e: unknown): boolean {
	return e instanceof DOMException && ["QuotaExceededError", "NS_ERROR_DOM_QUOTA_REACHED", "NotReadableError"].includes(e.name);
}

/** Runs `fn` holding the Web Lock `name` if no one else holds it; `undefined` if someone does (the
 * general path then waits for it). Without Web Locks, runs `fn`. */
export async function ifUnlocked<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
	const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
	if (!locks) return fn();
	return locks.request(name, { mode: "exclusive", ifAvailable: true }, (lock) => (lock ? fn() : undefined)) as Promise<T | undefined>;
}

/** Buffers reused from file to file (a fresh one costs the page faults of its every page). */
export class Buffers {
	private spare: ArrayBuffer[] = [];

	take(n: number): Uint8Array<ArrayBuffer> {
		const i = this.spare.findIndex((b) => b.byteLength >= n);
		return new Uint8Array(i < 0 ? new ArrayBuffer(n) : this.spare.splice(i, 1)[0]!, 0, n);
	}

	give(b: Uint8Array): void {
		if (this.spare.length < 4) this.spare.push(b.buffer as ArrayBuffer);
	}
}

const hex = (d: ArrayBuffer) => Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Downloads a file of at most one chunk and verifies it against `etag` (SHA-256 for LFS, git blob
 * SHA-1 for regular files; only the size for other etags): its `Blob`, an `Integrity` error, or
 * `undefined` when the body was cut or came short. The body becomes a `Blob` in the browser
 * (`Response.blob()`: the bytes go from the network to the browser's Blob storage without passing
 * through this thread, as in a raw `fetch` loop), and is read back once into a reused buffer to
 * be hashed. Reading the body into this thread instead costs more: 100 files of 5 MiB, 4 at
 * once, read and hashed took 3.2–3.6 s that way against 2.7–2.8 s through a Blob (and 1.4–1.7 s
 * for a raw `fetch` loop into Blobs, unverified), as the renderer pulls a response body at about
 * 200 MB/s. A cut loses what this answer brought: after the retry policy's wait the caller
 * hands the file to the general path, which resumes every later cut with `Range`.
 */
export async function fetchVerified(
	d: Deps,
	wire: FileOptions & { retry?: RetryOptions },
	fetch: typeof globalThis.fetch,
	signal: AbortSignal | undefined,
	etag: string,
	size: number,
	buffers: Buffers,
): Promise<Blob | undefined> {
	const resp = await d.filesCall("downloadFile", wire, fetch, signal);
	if (!resp) throw new HubError({ code: "EntryNotFound", message: "the file disappeared during the download" });
	let blob: Blob | undefined;
	let cutBy: unknown;
	try {
		blob = await resp.blob();
	} catch (e) {
		if (d.isAbort(e) || signal?.aborted) throw e;
		cutBy = e;
	}
	if (blob && blob.size > size) throw new HubError({ code: "Integrity", message: `received more than the ${size} bytes announced` });
	if (blob?.size === size) {
		await verify(d, blob, etag, size, buffers, signal);
		return blob;
	}
	const lost = new HubError({ code: "Network", message: `the download broke off at byte ${blob?.size ?? 0} of ${size}`, cause: cutBy });
	const ms = d.retryDelay({ m: await d.files(), policy: wire.retry, signal }, 0, lost);
	if (ms < 0) throw lost;
	await d.sleep(ms, signal);
	return undefined;
}

/** Checks `blob` against `etag`: read into a reused buffer, hashed in one piece by WebCrypto (the
 * hash module where there is none, as in an insecure context). A Blob the browser cannot read
 * fails here with `NotReadableError`. */
async function verify(d: Deps, blob: Blob, etag: string, size: number, buffers: Buffers, signal: AbortSignal | undefined): Promise<void> {
	const sha256 = /^[0-9a-f]{64}$/.test(etag);
	const sha1 = /^[0-9a-f]{40}$/.test(etag);
	let ok: boolean | undefined;
	if ((sha256 || sha1) && globalThis.crypto?.subtle) {
		// Git hashes a blob with its header: room for it before the bytes.
		const head = sha1 ? new TextEncoder().encode(`blob ${size}\0`) : new Uint8Array(0);
		const buf = buffers.take(head.length + size);
		try {
			buf.set(head);
			let n = head.length;
			await d.readBlob(blob, (chunk) => {
				buf.set(chunk, n);
				n += chunk.length;
			}, signal);
			ok = hex(await crypto.subtle.digest(sha256 ? "SHA-256" : "SHA-1", buf)) === etag;
		} finally {
			buffers.give(buf);
		}
	} else {
		const v = await d.verifier(etag, size, signal);
		try {
			await d.readBlob(blob, (chunk) => v.update(chunk), signal);
			ok = await v.matches();
		} finally {
			v.free();
		}
	}
	if (ok === false) throw new HubError({ code: "Integrity", message: `the downloaded bytes do not match their etag ${etag}: nothing was cached` });
}

export type { IndexedDbCache };
