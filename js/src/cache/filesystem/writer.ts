/**
 * Blob writers. `open` waits for any other writer of the etag (in this process, then through the
 * lock file for other processes), and resumes from `blobs/<etag>.incomplete` (`offset` = its size,
 * `prefix()` = its bytes). It always returns a writer, even when the blob was completed meanwhile
 * (the caller checks `readBlob` after opening to skip the download); completing a blob that exists
 * keeps the existing file, which `Blob`s handed out may be reading.
 */
import { openAsBlob } from "node:fs";
import { mkdir, open, rename, rm, stat, truncate, type FileHandle } from "node:fs/promises";
import { basename, join } from "node:path";
import { HubError } from "../../error.js";
import type { BlobWriter } from "../store.js";
import type { BlobPlaces } from "./blobs.js";
import { statOrUndefined, touch } from "./files.js";
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
		try {
			this.writing.add(etag);
			const folder = await this.places.writerFolder(etag);
			const dir = folder ? join(this.root, folder, "blobs") : join(this.root, STAGING);
			await mkdir(dir, { recursive: true });
			lock = await acquireLock(folder ? blobLockPath(this.root, folder, etag) : join(dir, `${etag}.lock`), this.lock);
			const partial = join(dir, `${etag}.incomplete`);
			let offset = (await statOrUndefined(partial))?.size ?? 0;
			if (offset > size) {
				await truncate(partial, 0);
				offset = 0;
			}
			const fh = await open(partial, "a");
			return new FileWriter(fh, offset, size, partial, async () => {
				const dst = join(dir, etag);
				const there = await statOrUndefined(dst);
				if (there?.isFile() && there.size === size) {
					// Completed meanwhile (same etag, same bytes): keep that file, Blobs may read it.
					await rm(partial, { force: true });
				} else {
					await rename(partial, dst);
				}
				await touch(dst, this.now());
				await this.places.linkPending(etag, size);
			}, finish);
		} catch (e) {
			await finish();
			throw e;
		}
	}
}

/** Appends to `<etag>.incomplete`; `complete` checks the size and publishes it by a rename. */
class FileWriter implements BlobWriter {
	private written: number;
	private closed = false;
	/** Each write reaches the file before it settles. */
	readonly copies = true;
	constructor(
		private readonly fh: FileHandle,
		readonly offset: number,
		private readonly size: number,
		private readonly partial: string,
		private readonly publish: () => Promise<void>,
		private readonly onClose: () => Promise<void>,
	) {
		this.written = offset;
	}

	/** The bytes stored by earlier attempts (read it before writing more). */
	async prefix(): Promise<Blob> {
		const whole = (await openAsBlob(this.partial)) as unknown as Blob;
		return whole.slice(0, this.offset);
	}

	async write(chunk: Uint8Array): Promise<void> {
		if (this.closed) throw new HubError({ code: "Storage", message: "write after the cache writer was closed" });
		if (this.written + chunk.byteLength > this.size) {
			throw new HubError({
				code: "Storage",
				message: `more bytes than the expected ${this.size} for ${basename(this.partial)}`,
			});
		}
		let done = 0;
		while (done < chunk.byteLength) {
			const { bytesWritten } = await this.fh.write(chunk, done, chunk.byteLength - done);
			done += bytesWritten;
		}
		this.written += chunk.byteLength;
	}

	async complete(): Promise<void> {
		if (this.closed) throw new HubError({ code: "Storage", message: "the cache writer was already closed" });
		this.closed = true;
		try {
			await this.fh.close();
			const got = (await stat(this.partial)).size;
			if (got !== this.size) {
				throw new HubError({
					code: "Storage",
					message: `${basename(this.partial)} holds ${got} bytes, expected ${this.size}`,
				});
			}
			await this.publish();
		} finally {
			await this.onClose();
		}
	}

	async abort(discard: boolean): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		try {
			await this.fh.close().catch(() => {});
			if (discard) await rm(this.partial, { force: true });
		} finally {
			await this.onClose();
		}
	}
}
