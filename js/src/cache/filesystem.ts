/**
 * The Node download cache, on disk in exactly the `huggingface_hub` layout, so Python and Node
 * share one cache:
 *
 * ```text
 * <root>/                                   cacheDir, $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub
 *   CACHEDIR.TAG
 *   models--{ns}--{name}/                   "{type}s--" + repo id with "/" → "--"
 *     blobs/<etag>                          content (git blob sha1 or LFS sha256)
 *     blobs/<etag>.incomplete               a partial download (resumed from its size)
 *     refs/<revision>                       the 40-hex commit, no newline (refs/pr/1 → refs/refs/pr/1)
 *     snapshots/<commit>/<path>             relative symlink → ../../blobs/<etag> (a copy where symlinks fail)
 *     trees/<commit>.json                   {"format_version":1,"files":{…}}
 *   .locks/models--{ns}--{name}/<etag>.lock
 * ```
 *
 * This class only checks its arguments and says which folder a call concerns; one module per part
 * of the layout does the disk work (`filesystem/`): `layout` (names and the root), `refs`,
 * `snapshots` (entries), `trees` (listings), `blobs` (which repo a blob belongs to, staging),
 * `lock` (the lock files, and what of them Python's `filelock` honours), `writer`, `scan` (listing
 * and sizes), `evict` (deletion and eviction) and `errors` (what a failing disk throws).
 *
 * Every method and every writer method fails with a `HubError` only (and `AbortError`s): a disk
 * error (a name too long, a file where a folder is needed, permission denied, a full disk, a
 * cacheDir that is no folder) is `Storage` with the path in its message, a path Node refuses (a NUL
 * byte) `InvalidInput`; a failed write leaves no partial entry behind.
 *
 * `readBlob` returns `fs.openAsBlob` (read lazily from disk; reading fails if the file is evicted
 * or deleted afterwards) and sets the file's atime, the LRU clock that Python's `scan_cache_dir`
 * reports too.
 */
import { check, COUNT, FUNCTION, isObject, STRING } from "../check.js";
import { openAsBlob } from "node:fs";
import { join } from "node:path";
import type { BlobWriter, CacheEntryInfo, CacheStore, EntryRecord, RefRecord, RepoKey, TreeFile } from "./store.js";
import { BlobPlaces } from "./filesystem/blobs.js";
import { guarded, storageError } from "./filesystem/errors.js";
import { deleteEntries, evictTo } from "./filesystem/evict.js";
import { isMissing, touch } from "./filesystem/files.js";
import { defaultCacheDir, makeRoot, repoFolderName, segment, segments } from "./filesystem/layout.js";
import { readRef, writeRef } from "./filesystem/refs.js";
import { blobBytes, listEntries } from "./filesystem/scan.js";
import { entryFolder, linkEntry, readEntry } from "./filesystem/snapshots.js";
import { readTree, treeText, writeTree } from "./filesystem/trees.js";
import { BlobWriters } from "./filesystem/writer.js";

export { defaultCacheDir, repoFolderName };

/** One file of a cached tree listing (`trees/<commit>.json`): `oid` = `blob_id`, `lfs` =
 * `lfs_sha256`/`lfs_size`, `xetHash` = `xet_hash`. */
export type { TreeFile };

export interface FileSystemCacheOptions {
	/** The cache root (the folder holding `models--…`). Default: `$HF_HUB_CACHE`, else `$HF_HOME/hub`,
	 * else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (as `huggingface_hub`). */
	cacheDir?: string;
	/** Environment to read the variables above from (default `process.env`). */
	env?: Record<string, string | undefined>;
	/** A lock not refreshed for this long is taken over (default 30 s; holders refresh every third). */
	lockStaleMs?: number;
	/** How often a waiting writer checks the lock again (default 100 ms). */
	lockPollMs?: number;
	/** Clock for access times and ref times (ms since epoch; default `Date.now`). */
	now?: () => number;
}

export class FileSystemCache implements CacheStore {
	readonly kind = "filesystem" as const;
	/** The cache root (the folder holding `models--…`, `.locks`, `CACHEDIR.TAG`). */
	readonly root: string;
	private readonly lockStaleMs: number;
	private readonly now: () => number;
	private readonly places: BlobPlaces;
	private readonly writers: BlobWriters;
	private rootReady: Promise<void> | undefined;

	constructor(options: FileSystemCacheOptions = {}) {
		check("FileSystemCache", options, { cacheDir: STRING, env: ["an object", isObject], lockStaleMs: COUNT, lockPollMs: COUNT, now: FUNCTION });
		this.root = options.cacheDir ?? defaultCacheDir(options.env ?? process.env);
		this.lockStaleMs = options.lockStaleMs ?? 30_000;
		this.now = options.now ?? Date.now;
		this.places = new BlobPlaces(this.root);
		this.writers = new BlobWriters(
			this.root,
			this.places,
			{ staleMs: this.lockStaleMs, pollMs: options.lockPollMs ?? 100 },
			this.now,
		);
	}

	/** The folder of a repo key, remembered as the most recent repo (where a blob of unknown repo goes). */
	private folderOf(repo: RepoKey): string {
		const folder = repoFolderName(repo);
		this.places.recent = folder;
		return folder;
	}

	/** The root and its CACHEDIR.TAG, made once before the first write (reads never create them). */
	private ensureRoot(): Promise<void> {
		this.rootReady ??= makeRoot(this.root).catch((e) => {
			this.rootReady = undefined;
			throw e;
		});
		return this.rootReady;
	}

	/** Runs a method's disk work: what it throws is a `HubError` naming `where()` (`filesystem/errors.ts`). */
	private guard<T>(where: () => string, work: () => Promise<T>): Promise<T> {
		return guarded(where, this.root, work);
	}

	/** A path under a repo's folder, for error messages only (never touched). */
	private at(repo: RepoKey, ...parts: string[]): () => string {
		return () => join(this.root, repoFolderName(repo), ...parts);
	}

	getRef(repo: RepoKey, revision: string): Promise<RefRecord | undefined> {
		return this.guard(this.at(repo, "refs", revision), () => readRef(join(this.root, this.folderOf(repo)), revision));
	}

	putRef(repo: RepoKey, revision: string, commit: string): Promise<void> {
		return this.guard(this.at(repo, "refs", revision), async () => {
			const folder = this.folderOf(repo);
			const rev = segments(revision, "revision");
			segment(commit, "commit");
			await this.ensureRoot();
			await writeRef(join(this.root, folder), rev, commit, this.now());
		});
	}

	getEntry(repo: RepoKey, commit: string, path: string): Promise<EntryRecord | undefined> {
		return this.guard(this.at(repo, "snapshots", commit, path), async () => {
			const folder = this.folderOf(repo);
			const repoDir = join(this.root, folder);
			const file = join(repoDir, "snapshots", segment(commit, "commit"), ...segments(path, "path"));
			const found = await readEntry(repoDir, commit, path, file);
			if (found) this.places.hint(found.etag, folder);
			return found ? { etag: found.etag, size: found.size } : undefined;
		});
	}

	/** Links the entry now if its blob is anywhere in the cache, else once the blob completes. */
	putEntry(repo: RepoKey, commit: string, path: string, entry: EntryRecord): Promise<void> {
		return this.guard(this.at(repo, "snapshots", commit, path), async () => {
			const folder = this.folderOf(repo);
			segment(commit, "commit");
			segments(path, "path");
			segment(entry.etag, "etag");
			await this.ensureRoot();
			this.places.hint(entry.etag, folder);
			// A path put again with another etag forgets the older pending link.
			this.places.dropPending((l) => l.folder === folder && l.commit === commit && l.path === path);
			if (await this.places.claim(folder, entry.etag, entry.size)) {
				await linkEntry(join(this.root, folder), commit, path, entry.etag);
				return;
			}
			await entryFolder(join(this.root, folder), commit, path);
			this.places.addPending(entry.etag, { folder, commit, path, size: entry.size });
		});
	}

	/** The cached file listing of a commit (`trees/<commit>.json`), if any. */
	getTree(repo: RepoKey, commit: string): Promise<TreeFile[] | undefined> {
		return this.guard(this.at(repo, "trees", `${commit}.json`), async () => {
			const folder = this.folderOf(repo);
			const tree = await readTree(join(this.root, folder), commit);
			for (const f of tree ?? []) this.places.hint(f.lfs?.oid ?? f.oid, folder);
			return tree;
		});
	}

	/** Writes `trees/<commit>.json` as `huggingface_hub` does (format_version 1, sorted, atomic). */
	putTree(repo: RepoKey, commit: string, files: TreeFile[]): Promise<void> {
		return this.guard(this.at(repo, "trees", `${commit}.json`), async () => {
			const folder = this.folderOf(repo);
			segment(commit, "commit");
			for (const f of files) this.places.hint(f.lfs?.oid ?? f.oid, folder);
			const text = treeText(files);
			await this.ensureRoot();
			await writeTree(join(this.root, folder), commit, text);
		});
	}

	readBlob(etag: string, size: number): Promise<Blob | undefined> {
		return this.guard(() => this.root, async () => {
			segment(etag, "etag");
			const p = await this.places.find(etag, size);
			if (!p) return undefined;
			await touch(p, this.now());
			try {
				return (await openAsBlob(p)) as unknown as Blob;
			} catch (e) {
				if (isMissing(e)) return undefined; // evicted just now
				throw storageError(e, p);
			}
		});
	}

	openWriter(etag: string, size: number): Promise<BlobWriter> {
		return this.guard(() => this.root, async () => {
			segment(etag, "etag");
			await this.ensureRoot();
			return this.writers.open(etag, size);
		});
	}

	list(): Promise<CacheEntryInfo[]> {
		return this.guard(() => this.root, () => listEntries(this.root));
	}

	size(): Promise<number> {
		return this.guard(() => this.root, () => blobBytes(this.root));
	}

	delete(filter: { repo?: RepoKey; commit?: string; path?: string } = {}): Promise<void> {
		return this.guard(() => this.root, () => deleteEntries(this.root, this.places, filter));
	}

	evictTo(bytes: number, keep?: ReadonlySet<string>): Promise<void> {
		return this.guard(
			() => this.root,
			() => evictTo(this.root, bytes, keep, { writing: this.writers.writing, lockStaleMs: this.lockStaleMs }),
		);
	}
}
