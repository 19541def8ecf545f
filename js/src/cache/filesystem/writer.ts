/**
 * Blob writers. `open` waits for any other writer of the etag (in this process, then through the
 * lock file for other processes), and resumes from `blobs/<etag>.incomplete` (`offset` = its size,
 * `prefix()` = its bytes). It always returns a writer, even when the blob was completed meanwhile
 * (the caller checks `readBlob` after opening to skip the download); completing a blob that exists
 * keeps the existing file, which `Blob`s handed out may be reading.
 *
 * A writer touches the disk only while it holds the lock, and leaves no partial behind unless it
 * holds bytes to resume: the partial is created by the first `write` (a writer that lost the race
 * to another and aborts at once made none), and an abort that keeps the partial drops it when it
 * is empty (only the file this writer opened: never another's). A writer that finds the blob
 * complete links the snapshot entries that waited for it, as the writer that completed it would
 * have. Every failure is a `HubError` naming the partial (`errors.ts`).
 */
import { openAsBlob } from "node:fs";
import { open, rename, rm, stat, truncate, type FileHandle } from "node:fs/promises";
import { basename, join } from "node:path";
import { HubError } from "../../error.js";
import type { BlobWriter } from "../store.js";
import type { BlobPlaces } from "./blobs.js";
import { guarded, storageError } from "./errors.js";
import { makeDirs, statOrUndefined, touch } from "./files.js";
import { blobLockPath, STAGING } from "./layout.js";
import { acquireLock, type HeldLock, type LockOptions } from "./lock.js";

export class BlobWriters {
	/** etag → tail of the chain of writers in this process. */
	private readonly chain = new Map<string, Promise<void>>();
	/** etags with a writer open in this process: eviction leaves their partials alone. */
	readonly writing = new Set<string>();

	constructor(
		private readonly root: string,
		private readonly places: BlobPlaces,
		private readonly lock: LockOptions,
		private readonly now: () => number,
	) {}

	/** Starts or resumes the blob `etag` (a checked segment) of `size` bytes. */
	async open(etag: string, size: number): Promise<BlobWriter> {
		// Writers of one etag run one after the other in this process; the lock file covers other processes.
		const previous = this.chain.get(etag) ?? Promise.resolve();
		let done!: () => void;
		const mine = new Promise<void>((r) => (done = r));
		const tail = previous.then(() => mine);
		this.chain.set(etag, tail);
		await previous;
		let lock: HeldLock | undefined;
		const finish = async () => {
			this.writing.delete(etag);
			await lock?.release();
			if (this.chain.get(etag) === tail) this.chain.delete(etag);
			done();
		};
		let place = this.root;
		try {
			this.writing.add(etag);
			const folder = await this.places.writerFolder(etag);
			const dir = folder ? join(this.root, folder, "blobs") : join(this.root, STAGING);
			const partial = join(dir, `${etag}.incomplete`);
			const dst = join(dir, etag);
			place = partial;
			await makeDirs(dir);
			lock = await acquireLock(folder ? blobLockPath(this.root, folder, etag) : join(dir, `${etag}.lock`), this.lock);
			const [there, stored] = await Promise.all([statOrUndefined(dst), statOrUndefined(partial)]);
			let offset = stored?.size ?? 0;
			if (stored && there?.isFile() && there.size === size) {
				// A partial left beside the complete blob (a crashed writer's): nothing to resume.
				await rm(partial, { force: true });
				offset = 0;
			} else if (offset > size) {
				await truncate(partial, 0);
				offset = 0;
			}
			const publish = async () => {
				const now = await statOrUndefined(dst);
				if (now?.isFile() && now.size === size) {
					// Completed meanwhile (same etag, same bytes): keep that file, Blobs may read it.
					await rm(partial, { force: true });
				} else {
					await rename(partial, dst);
				}
				await touch(dst, this.now());
				await this.places.linkPending(etag, size);
			};
			// Lost the race: the blob is complete, its waiting snapshot entries get linked here.
			const settle = async () => {
				if (await this.places.find(etag, size)) await this.places.linkPending(etag, size);
			};
			return new FileWriter(partial, offset, size, publish, settle, finish);
		} catch (e) {
			await finish();
			throw storageError(e, place);
		}
	}
}

/** How many bytes may wait for the disk before `write` waits for it. */
const AHEAD = 8 << 20;

/**
 * Appends to `<etag>.incomplete`; `complete` checks the size and publishes it by a rename.
 * Writes are behind: `write` keeps the chunk and settles at once; the disk takes what has
 * gathered (one `writev`) whenever it is free, so the download reads and hashes the next bytes
 * while the last ones are written (`bench/download-node.mjs`). At most `AHEAD` bytes wait. The
 * bytes are in the partial after `flush`, `complete` or `abort(false)`; a failed disk write is
 * thrown by the next `write`, `flush` or `complete`.
 */
class FileWriter implements BlobWriter {
	private written: number;
	private closed = false;
	/** The partial, opened by the first write (or `complete`). */
	private fh: FileHandle | undefined;
	/** Its inode, so an abort only ever drops the file this writer opened. */
	private ino: number | undefined;
	/** The writer keeps chunks until the disk has them: the caller must not reuse them. */
	readonly copies = false;
	/** Chunks not handed to the disk yet, and their bytes. */
	private batch: Uint8Array[] = [];
	private batchBytes = 0;
	/** Bytes accepted and not on disk yet. */
	private queued = 0;
	/** Writes the batches one after the other while there are any. */
	private pumping: Promise<void> | undefined;
	private failed: unknown;
	constructor(
		private readonly partial: string,
		readonly offset: number,
		private readonly size: number,
		private readonly publish: () => Promise<void>,
		private readonly settle: () => Promise<void>,
		private readonly onClose: () => Promise<void>,
	) {
		this.written = offset;
	}

	private guard<T>(work: () => Promise<T>): Promise<T> {
		return guarded(() => this.partial, this.partial, work);
	}

	private async handle(): Promise<FileHandle> {
		if (!this.fh) {
			this.fh = await open(this.partial, "a");
			this.ino = (await this.fh.stat()).ino;
		}
		return this.fh;
	}

	/** The bytes stored by earlier attempts (read it before writing more). */
	prefix(): Promise<Blob> {
		return this.guard(async () => {
			const whole = (await openAsBlob(this.partial)) as unknown as Blob;
			return whole.slice(0, this.offset);
		});
	}

	write(chunk: Uint8Array): Promise<void> {
		return this.guard(async () => {
			if (this.closed) throw new HubError({ code: "Storage", message: `write after the cache writer of ${this.partial} was closed` });
			if (this.written + chunk.byteLength > this.size) {
				throw new HubError({
					code: "Storage",
					message: `more bytes than the expected ${this.size} for ${this.partial}`,
				});
			}
			if (this.failed) throw this.failed;
			this.batch.push(chunk);
			this.batchBytes += chunk.byteLength;
			this.queued += chunk.byteLength;
			this.written += chunk.byteLength;
			this.pump();
			if (this.queued > AHEAD) await this.flush();
		});
	}

	/** Starts writing the gathered chunks, unless a write is under way (it takes them after). */
	private pump(): void {
		this.pumping ??= (async () => {
			while (this.batchBytes > 0 && !this.failed) {
				const chunks = this.batch;
				const n = this.batchBytes;
				this.batch = [];
				this.batchBytes = 0;
				try {
					await writeAll(await this.handle(), chunks, n);
				} catch (e) {
					this.failed = e;
				}
				this.queued -= n;
			}
			this.pumping = undefined;
		})();
	}

	/** Resolves when every accepted byte is in the partial; throws a failed write. */
	flush(): Promise<void> {
		return this.guard(async () => {
			this.pump();
			await this.pumping;
			if (this.failed) throw this.failed;
		});
	}

	async complete(): Promise<void> {
		if (this.closed) throw new HubError({ code: "Storage", message: `the cache writer of ${this.partial} was already closed` });
		this.closed = true;
		try {
			await this.guard(async () => {
				try {
					await this.flush();
				} catch (e) {
					// The disk refused bytes the hash has seen: nothing of it is kept.
					await this.fh?.close().catch(() => {});
					await rm(this.partial, { force: true }).catch(() => {});
					throw e;
				}
				await (await this.handle()).close();
				const got = (await stat(this.partial)).size;
				if (got !== this.size) {
					throw new HubError({
						code: "Storage",
						message: `${basename(this.partial)} holds ${got} bytes, expected ${this.size} (${this.partial})`,
					});
				}
				try {
					await this.publish();
				} catch (e) {
					// Checked bytes that cannot be published (a folder in the blob's place, a refused
					// rename): nothing half-made stays behind.
					await rm(this.partial, { force: true }).catch(() => {});
					throw e;
				}
			});
		} finally {
			await this.onClose();
		}
	}

	async abort(discard: boolean): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		try {
			await this.guard(async () => {
				// What was accepted goes to disk first (a kept partial is then all of it); a failed
				// write only ends it early.
				if (!discard) this.pump();
				else [this.batch, this.batchBytes] = [[], 0];
				await this.pumping;
				await this.fh?.close().catch(() => {});
				if (discard) {
					await rm(this.partial, { force: true });
				} else {
					// Kept for a resume, unless there is nothing in it.
					const st = await statOrUndefined(this.partial);
					if (st && st.size === 0 && (this.ino === undefined || st.ino === this.ino)) await rm(this.partial, { force: true });
				}
				await this.settle();
			});
		} finally {
			await this.onClose();
		}
	}
}

/** Writes all `n` bytes of `chunks` at the end of the file. */
async function writeAll(fh: FileHandle, chunks: Uint8Array[], n: number): Promise<void> {
	let done = (await fh.writev(chunks)).bytesWritten;
	if (done === n) return;
	// A short write (rare: a full disk says so by failing): the rest one chunk at a time.
	for (const c of chunks) {
		if (done >= c.byteLength) {
			done -= c.byteLength;
			continue;
		}
		for (let at = done; at < c.byteLength; ) at += (await fh.write(c, at, c.byteLength - at)).bytesWritten;
		done = 0;
	}
}
