/**
 * Where blobs are, and which repo folder a new one belongs to. Blobs live per repo (as in Python),
 * but the store interface names a blob by etag only, so this remembers which repos named each etag.
 * The folder a new blob is written to is, in this order: the repo of a `putEntry` still waiting for
 * that etag (its snapshot link is made when the blob completes), the repo whose tree listing or
 * entry named the etag, the repo of a partial download of it, and else the repo this store was
 * last asked about (which is what a download does just before writing). A store that was never
 * asked about any repo writes to `.locks/.hubwasm-staging/`, invisible to Python's cache scanner.
 * A blob is then hard-linked into each repo that needs it (copied where hard links fail): the same
 * bytes in two repos take the space once, and a `Blob` already handed out keeps working because no
 * file is ever moved.
 */
import { copyFile, link, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { storageError } from "./errors.js";
import { hex8, isMissing, makeDirs, statOrUndefined } from "./files.js";
import { repoFolders, STAGING } from "./layout.js";
import { linkEntry } from "./snapshots.js";

/** A snapshot link to make once its blob is complete. */
export interface PendingLink {
	folder: string;
	commit: string;
	path: string;
	size: number;
}

export class BlobPlaces {
	/** The repo folder this store was last asked about: where a blob of unknown repo goes. */
	recent: string | undefined;
	/** etag → repo folders known to hold or want it (most recent last). */
	private readonly hints = new Map<string, string[]>();
	/** etag → snapshot links to create once the blob is complete. */
	private readonly pending = new Map<string, PendingLink[]>();

	constructor(private readonly root: string) {}

	/** Remembers that `folder` holds or wants `etag`. */
	hint(etag: string, folder: string): void {
		const list = (this.hints.get(etag) ?? []).filter((f) => f !== folder);
		list.push(folder);
		this.hints.set(etag, list);
	}

	/** Forgets the repo folders deleted from the cache. */
	forgetFolders(folders: string[]): void {
		for (const [etag, list] of this.hints) {
			const rest = list.filter((f) => !folders.includes(f));
			if (rest.length) this.hints.set(etag, rest);
			else this.hints.delete(etag);
		}
	}

	/** Queues a snapshot link until the blob `etag` completes. */
	addPending(etag: string, link: PendingLink): void {
		const links = this.pending.get(etag) ?? [];
		links.push(link);
		this.pending.set(etag, links);
	}

	/** Drops the queued links `matches` picks (a path put again, or deleted). */
	dropPending(matches: (l: PendingLink) => boolean): void {
		for (const [etag, links] of this.pending) {
			const rest = links.filter((l) => !matches(l));
			if (rest.length === links.length) continue;
			if (rest.length) this.pending.set(etag, rest);
			else this.pending.delete(etag);
		}
	}

	/** The etags a queued link of `folder` still waits for: not garbage, though nothing links them yet. */
	wantedIn(folder: string): Set<string> {
		return new Set([...this.pending.entries()].filter(([, l]) => l.some((p) => p.folder === folder)).map(([e]) => e));
	}

	/** A complete blob of this etag and size: in a hinted repo, any repo, or staging. */
	async find(etag: string, size: number): Promise<string | undefined> {
		const hinted = [...(this.hints.get(etag) ?? [])].reverse();
		const others = (await repoFolders(this.root)).filter((f) => !hinted.includes(f));
		const candidates = [...hinted, ...others].map((f) => join(this.root, f, "blobs", etag));
		candidates.push(join(this.root, STAGING, etag));
		for (const c of candidates) {
			const st = await statOrUndefined(c);
			if (st?.isFile() && st.size === size) return c;
		}
		return undefined;
	}

	/**
	 * Makes `blobs/<etag>` in `folder` exist (complete) if the bytes are anywhere in the cache: a hard
	 * link (or copy) from another repo or from staging. False when nowhere.
	 */
	async claim(folder: string, etag: string, size: number): Promise<boolean> {
		const dst = join(this.root, folder, "blobs", etag);
		const here = await statOrUndefined(dst);
		if (here?.isFile() && here.size === size) return true;
		const src = await this.find(etag, size);
		if (!src) return false;
		// Never a move: a Blob handed out for `src` must keep reading.
		const tmp = `${dst}.${hex8()}.tmp`;
		await makeDirs(dirname(dst)).catch((e) => {
			throw storageError(e, dst);
		});
		try {
			try {
				await link(src, tmp);
			} catch {
				await copyFile(src, tmp);
			}
			await rename(tmp, dst);
			// When `dst` appeared meanwhile as a link to the same file, rename does nothing (POSIX)
			// and `tmp` stays: drop it.
			await unlink(tmp).catch(() => {});
		} catch (e) {
			await unlink(tmp).catch(() => {});
			if (isMissing(e)) return false;
			throw storageError(e, dst);
		}
		return true;
	}

	/** Where a new blob is written: the repo a pending entry or a lookup named, else undefined (staging). */
	async writerFolder(etag: string): Promise<string | undefined> {
		const pend = this.pending.get(etag)?.[0]?.folder;
		if (pend) return pend;
		const hinted = this.hints.get(etag);
		if (hinted?.length) return hinted[hinted.length - 1];
		// Resume a partial another process left, wherever it is.
		for (const f of await repoFolders(this.root)) {
			if (await statOrUndefined(join(this.root, f, "blobs", `${etag}.incomplete`))) return f;
		}
		return this.recent;
	}

	/** Creates the snapshot links that waited for this blob; one that fails does not stop the
	 * others (the first failure is thrown once all were tried). */
	async linkPending(etag: string, size: number): Promise<void> {
		const links = this.pending.get(etag);
		if (!links) return;
		this.pending.delete(etag);
		let failure: { e: unknown } | undefined;
		for (const l of links) {
			try {
				if (await this.claim(l.folder, etag, size)) await linkEntry(join(this.root, l.folder), l.commit, l.path, etag);
			} catch (e) {
				failure ??= { e };
			}
		}
		if (failure) throw failure.e;
	}
}
