/**
 * The browser cache in IndexedDB. Content is stored as `Blob` chunks of 32 MiB (never one
 * huge ArrayBuffer), each chunk in its own transaction, so an interrupted download (connection
 * cut, tab closed) keeps the chunks already committed and the next call resumes from there. Reading returns a
 * `Blob` made of the stored chunks: nothing is copied into one buffer.
 *
 * Schema (database "hubwasm-cache", version 1):
 * - `refs`    key [repo, revision]        → { commit, at }   (revision "main @<origin>" for
 *                                                             Hubs other than huggingface.co)
 * - `entries` key [repo, commit, path]    → { etag, size }         index `etag`
 * - `trees`   key [repo, commit]          → { files }
 * - `blobs`   key etag                    → { etag, size, written, complete, lastAccess }  index `lastAccess`
 * - `chunks`  key [etag, start]           → Blob   (start: the chunk's first byte)
 */
import { check, STRING } from "../check.js";
import { HubError } from "../error.js";
import { revisionsOf, type BlobWriter, type CacheEntryInfo, type CacheStore, type EntryRecord, type RefRecord, type RepoKey, type TreeFile } from "./store.js";

/**
 * Chunk size: each put costs Chromium a file and a transaction, CPU that a download on a small
 * machine needs (`bench/download-cost-browser.mjs`). A closed tab loses what was not committed:
 * the chunk being filled and those in flight.
 */
export const CHUNK = 32 << 20;

export interface BlobRecord {
	etag: string;
	size: number;
	written: number;
	complete: boolean;
	lastAccess: number;
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

export interface IndexedDbCacheOptions {
	/** Database name (default "hubwasm-cache"). */
	name?: string;
}

export class IndexedDbCache implements CacheStore {
	readonly kind = "indexeddb" as const;
	private db: Promise<IDBDatabase> | undefined;
	private readonly name: string;

	constructor(options: IndexedDbCacheOptions = {}) {
		check("IndexedDbCache", options, { name: STRING });
		this.name = options.name ?? "hubwasm-cache";
	}

	/** @internal The database (opened on first use). */
	open(): Promise<IDBDatabase> {
		this.db ??= new Promise((ok, ko) => {
			const r = indexedDB.open(this.name, 1);
			r.onupgradeneeded = () => {
				const db = r.result;
				db.createObjectStore("refs");
				db.createObjectStore("entries").createIndex("etag", "etag");
				db.createObjectStore("trees");
				db.createObjectStore("blobs", { keyPath: "etag" }).createIndex("lastAccess", "lastAccess");
				db.createObjectStore("chunks");
			};
			r.onsuccess = () => ok(r.result);
			r.onerror = () => ko(r.error);
			r.onblocked = () => ko(new Error(`IndexedDB "${this.name}" is blocked by another tab holding an older version`));
		});
		return this.db;
	}

	private async tx(stores: string[], mode: IDBTransactionMode): Promise<IDBTransaction> {
		// "relaxed": no flush to disk per transaction. Losing the last chunks in a crash only means
		// resuming a little earlier; a blob is marked complete in a later transaction than its data.
		return (await this.open()).transaction(stores, mode, { durability: "relaxed" });
	}

	async getRef(repo: RepoKey, revision: string): Promise<RefRecord | undefined> {
		return req((await this.tx(["refs"], "readonly")).objectStore("refs").get([repo, revision]));
	}

	async putRef(repo: RepoKey, revision: string, commit: string): Promise<void> {
		const tx = await this.tx(["refs"], "readwrite");
		tx.objectStore("refs").put({ commit, at: Date.now() }, [repo, revision]);
		await done(tx);
	}

	async getEntry(repo: RepoKey, commit: string, path: string): Promise<EntryRecord | undefined> {
		return req((await this.tx(["entries"], "readonly")).objectStore("entries").get([repo, commit, path]));
	}

	async putEntry(repo: RepoKey, commit: string, path: string, entry: EntryRecord): Promise<void> {
		const tx = await this.tx(["entries"], "readwrite");
		tx.objectStore("entries").put({ etag: entry.etag, size: entry.size }, [repo, commit, path]);
		await done(tx);
	}

	async getTree(repo: RepoKey, commit: string): Promise<TreeFile[] | undefined> {
		const rec = await req((await this.tx(["trees"], "readonly")).objectStore("trees").get([repo, commit]));
		return (rec as { files: TreeFile[] } | undefined)?.files;
	}

	async putTree(repo: RepoKey, commit: string, files: TreeFile[]): Promise<void> {
		const tx = await this.tx(["trees"], "readwrite");
		tx.objectStore("trees").put({ files }, [repo, commit]);
		await done(tx);
	}

	async readBlob(etag: string, size: number): Promise<Blob | undefined> {
		const tx = await this.tx(["blobs", "chunks"], "readwrite");
		const rec = (await req(tx.objectStore("blobs").get(etag))) as BlobRecord | undefined;
		if (!rec || !rec.complete || rec.size !== size) return undefined;
		const range = IDBKeyRange.bound([etag, 0], [etag, Number.MAX_SAFE_INTEGER]);
		const chunks = (await req(tx.objectStore("chunks").getAll(range))) as Blob[];
		rec.lastAccess = Date.now();
		tx.objectStore("blobs").put(rec);
		await done(tx);
		const blob = new Blob(chunks);
		return blob.size === size ? blob : undefined;
	}

	async openWriter(etag: string, size: number): Promise<BlobWriter> {
		const tx = await this.tx(["blobs"], "readwrite");
		const store = tx.objectStore("blobs");
		let rec = (await req(store.get(etag))) as BlobRecord | undefined;
		// A complete record stays: without Web Locks, another writer may have finished it since the
		// caller looked, and the caller, finding it complete, stops instead of downloading it again.
		if (!rec || rec.size !== size) {
			rec = { etag, size, written: 0, complete: false, lastAccess: Date.now() };
			store.put(rec);
		}
		await done(tx);
		return new IdbWriter(this, rec);
	}

	/**
	 * Stores one chunk and the count of bytes written up to its end, atomically, where the stored
	 * bytes end at the chunk's start. Stored bytes already past it (another writer of the same
	 * etag, so the same bytes) make it a no-op. Stored bytes short of it (a failed put before
	 * it) or no record (the partial was deleted meanwhile) fail it, so a blob never has a hole.
	 */
	async putChunk(rec: BlobRecord, chunk: Blob, written: number): Promise<void> {
		await this.updateRecord(["blobs", "chunks"], rec, (tx, stored) => {
			if (stored.written >= written) return true;
			if (stored.written !== written - chunk.size) return false;
			tx.objectStore("chunks").put(chunk, [rec.etag, written - chunk.size]);
			tx.objectStore("blobs").put({ ...stored, written, complete: false, lastAccess: Date.now() });
			return true;
		});
		rec.written = Math.max(rec.written, written);
	}

	/** Makes a fully written blob readable; fails if its record went away meanwhile. */
	async markComplete(rec: BlobRecord): Promise<void> {
		await this.updateRecord(["blobs"], rec, (tx, stored) => {
			if (stored.written !== rec.size) return false;
			tx.objectStore("blobs").put({ ...stored, complete: true, lastAccess: Date.now() });
			return true;
		});
		rec.complete = true;
	}

	/**
	 * Reads the stored record of `rec`'s blob and lets `update` write in the same transaction.
	 * A record that is gone, of another size, or that `update` refuses (returns false) means the
	 * partial was changed under this writer: nothing is written and the call fails with `Storage`
	 * (not the `AbortError` of the aborted transaction, which would read as a cancel).
	 */
	private async updateRecord(stores: string[], rec: BlobRecord, update: (tx: IDBTransaction, stored: BlobRecord) => boolean): Promise<void> {
		const tx = await this.tx(stores, "readwrite");
		const get = tx.objectStore("blobs").get(rec.etag);
		let lost = false;
		get.onsuccess = () => {
			const stored = get.result as BlobRecord | undefined;
			if (stored?.size === rec.size && update(tx, stored)) return;
			lost = true;
			tx.abort();
		};
		try {
			await done(tx);
		} catch (e) {
			if (!lost) throw e;
			throw new HubError({ code: "Storage", message: "the cached part of this download was deleted while it was being written", cause: e });
		}
	}

	async readChunks(etag: string): Promise<Blob> {
		const range = IDBKeyRange.bound([etag, 0], [etag, Number.MAX_SAFE_INTEGER]);
		const chunks = (await req((await this.tx(["chunks"], "readonly")).objectStore("chunks").getAll(range))) as Blob[];
		return new Blob(chunks);
	}

	async dropBlob(etag: string): Promise<void> {
		const tx = await this.tx(["blobs", "chunks"], "readwrite");
		tx.objectStore("blobs").delete(etag);
		tx.objectStore("chunks").delete(IDBKeyRange.bound([etag, 0], [etag, Number.MAX_SAFE_INTEGER]));
		await done(tx);
	}

	async list(): Promise<CacheEntryInfo[]> {
		const tx = await this.tx(["refs", "entries", "blobs"], "readonly");
		const [refKeys, refs, entryKeys, entries, blobs] = await Promise.all([
			req(tx.objectStore("refs").getAllKeys()),
			req(tx.objectStore("refs").getAll()),
			req(tx.objectStore("entries").getAllKeys()),
			req(tx.objectStore("entries").getAll()),
			req(tx.objectStore("blobs").getAll()),
		]);
		const byEtag = new Map((blobs as BlobRecord[]).map((b) => [b.etag, b]));
		const out: CacheEntryInfo[] = [];
		entryKeys.forEach((k, i) => {
			const [repo, commit, path] = k as [string, string, string];
			const e = entries[i] as EntryRecord;
			const b = byEtag.get(e.etag);
			if (!b?.complete) return;
			const revisions = refKeys
				.filter((rk, j) => (rk as string[])[0] === repo && (refs[j] as RefRecord).commit === commit)
				.map((rk) => (rk as string[])[1]!);
			out.push({ repo, revisions: revisionsOf(revisions), commitOid: commit, commit, path, etag: e.etag, size: e.size, lastAccess: b.lastAccess });
		});
		return out;
	}

	async size(): Promise<number> {
		const blobs = (await req((await this.tx(["blobs"], "readonly")).objectStore("blobs").getAll())) as BlobRecord[];
		return blobs.reduce((n, b) => n + b.written, 0);
	}

	async delete(filter: { repo?: RepoKey; commit?: string; path?: string } = {}): Promise<void> {
		const tx = await this.tx(["refs", "entries", "trees", "blobs", "chunks"], "readwrite");
		const entries = tx.objectStore("entries");
		const keys = (await req(entries.getAllKeys())) as [string, string, string][];
		const values = (await req(entries.getAll())) as EntryRecord[];
		const kept = new Set<string>();
		const dropped = new Set<string>();
		keys.forEach((k, i) => {
			const match =
				(filter.repo === undefined || k[0] === filter.repo) &&
				(filter.commit === undefined || k[1] === filter.commit) &&
				(filter.path === undefined || k[2] === filter.path);
			if (match) {
				entries.delete(k);
				dropped.add(values[i]!.etag);
			} else {
				kept.add(values[i]!.etag);
			}
		});
		if (filter.path === undefined) {
			for (const name of ["refs", "trees"] as const) {
				const s = tx.objectStore(name);
				for (const k of (await req(s.getAllKeys())) as string[][]) {
					if (filter.repo !== undefined && k[0] !== filter.repo) continue;
					if (filter.commit !== undefined && name === "trees" && k[1] !== filter.commit) continue;
					if (filter.commit !== undefined && name === "refs") {
						const r = (await req(s.get(k))) as RefRecord;
						if (r.commit !== filter.commit) continue;
					}
					s.delete(k);
				}
			}
		}
		const all = filter.repo === undefined && filter.commit === undefined && filter.path === undefined;
		const blobs = tx.objectStore("blobs");
		for (const b of (await req(blobs.getAll())) as BlobRecord[]) {
			// Blobs no entry uses any more go; partial downloads go only when clearing everything.
			const orphan = dropped.has(b.etag) && !kept.has(b.etag);
			if (orphan || all) {
				blobs.delete(b.etag);
				tx.objectStore("chunks").delete(IDBKeyRange.bound([b.etag, 0], [b.etag, Number.MAX_SAFE_INTEGER]));
			}
		}
		await done(tx);
	}

	async evictTo(bytes: number, keep?: ReadonlySet<string>): Promise<void> {
		const blobs = (await req((await this.tx(["blobs"], "readonly")).objectStore("blobs").getAll())) as BlobRecord[];
		let total = blobs.reduce((n, b) => n + b.written, 0);
		for (const b of blobs.sort((a, c) => a.lastAccess - c.lastAccess)) {
			if (total <= bytes) break;
			if (keep?.has(b.etag)) continue;
			const tx = await this.tx(["blobs", "chunks", "entries"], "readwrite");
			tx.objectStore("blobs").delete(b.etag);
			tx.objectStore("chunks").delete(IDBKeyRange.bound([b.etag, 0], [b.etag, Number.MAX_SAFE_INTEGER]));
			const idx = tx.objectStore("entries").index("etag");
			for (const k of await req(idx.getAllKeys(b.etag))) tx.objectStore("entries").delete(k);
			await done(tx);
			total -= b.written;
		}
	}
}

/**
 * Past its Blob memory (about a fiftieth of RAM) with no disk to page to, as in a private window,
 * Chromium hands out Blobs that cannot be read, and IndexedDB stores them without a word. Probing
 * one byte per chunk keeps such a chunk out of the cache: the `NotReadableError` tells the
 * download to go on uncached.
 */
async function readable(chunk: Blob): Promise<void> {
	if (chunk.size > 0) await chunk.slice(chunk.size - 1).arrayBuffer();
}

/** Chunks handed to IndexedDB and not committed yet: transactions on the same stores run in the
 * order they were created, so one can be queued while the next chunk fills. A download then
 * holds at most the staging buffer and two chunks, 96 MiB. */
const MAX_IN_FLIGHT = 2;

class IdbWriter implements BlobWriter {
	/** The chunk being filled: one buffer for the whole download, copied into each chunk's Blob,
	 * so what the caller writes can be reused as soon as `write` settles. */
	private staging: Uint8Array | undefined;
	private fill = 0;
	readonly copies = true;
	/** Bytes handed to IndexedDB, committed or not. */
	private queued: number;
	private inFlight: Promise<void>[] = [];
	/** The first failed put: surfaces on the next write, or on complete. */
	private failure: unknown;
	readonly offset: number;

	constructor(
		private readonly db: IndexedDbCache,
		private readonly rec: BlobRecord,
	) {
		this.offset = rec.written;
		this.queued = rec.written;
	}

	async write(chunk: Uint8Array): Promise<void> {
		if (this.failure !== undefined) throw this.failure;
		for (let at = 0; at < chunk.length; ) {
			// A file smaller than a chunk gets a buffer of its size; past its end, a whole chunk.
			const staging = (this.staging ??= new Uint8Array(Math.max(1, Math.min(CHUNK, this.rec.size - this.queued))));
			const n = Math.min(chunk.length - at, staging.length - this.fill);
			staging.set(chunk.subarray(at, at + n), this.fill);
			this.fill += n;
			at += n;
			if (this.fill === staging.length) await this.flush();
		}
	}

	/** Stores the filled part of the staging buffer as one chunk. */
	private async flush(): Promise<void> {
		const chunk = new Blob([this.staging!.subarray(0, this.fill) as Uint8Array<ArrayBuffer>]);
		this.fill = 0;
		await readable(chunk);
		this.queued += chunk.size;
		const put = this.db.putChunk(this.rec, chunk, this.queued);
		put.catch((e: unknown) => (this.failure ??= e));
		this.inFlight.push(put);
		while (this.inFlight.length > MAX_IN_FLIGHT) await this.inFlight.shift()!.catch(() => {});
		if (this.failure !== undefined) throw this.failure;
	}

	private async settle(): Promise<void> {
		await Promise.allSettled(this.inFlight.splice(0));
		if (this.failure !== undefined) throw this.failure;
	}

	async complete(): Promise<void> {
		if (this.fill > 0) await this.flush();
		await this.settle();
		await this.db.markComplete(this.rec);
	}

	async abort(discard: boolean): Promise<void> {
		// What is not a whole chunk yet is dropped; whole chunks stay for a resume.
		this.fill = 0;
		this.staging = undefined;
		await this.settle().catch(() => {});
		if (discard) await this.db.dropBlob(this.rec.etag);
	}

	async prefix(): Promise<Blob> {
		await this.settle();
		return this.db.readChunks(this.rec.etag);
	}
}
