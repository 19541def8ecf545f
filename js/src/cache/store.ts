/**
 * The storage side of the download cache. One logical model — refs, entries, blobs — over three
 * backends: IndexedDB in browsers, the Cache API in Workers, and the `huggingface_hub` folder
 * layout on disk in Node (so Python and Node share it). The download logic (`../download-cached.ts`)
 * only talks to this interface.
 *
 * - A **ref** maps (repo, revision) to the commit it pointed to, and when we learnt it.
 * - An **entry** maps (repo, commit, path) to the file's etag and size. At a commit it never
 *   changes, so a cached entry needs no request.
 * - A **blob** is content named by its etag (git blob sha1 for regular files, sha256 for LFS),
 *   so the same bytes in two repos or revisions are stored once. A blob becomes readable only
 *   when complete and verified; until then it is a partial that a later download resumes.
 */

/** `models/ns/name`, `datasets/ns/name`, `spaces/ns/name`: the repo's API-style key. */
export type RepoKey = string;

/**
 * The name a ref is stored under. A branch of one repo id points to different commits on different
 * Hubs (a mirror, a local one), so refs learnt from another Hub than huggingface.co carry its
 * origin: `main @http://127.0.0.1:8080`. Git ref names cannot contain a space, so this cannot
 * clash. The folder layout keeps bare names, as `huggingface_hub` (which shares it) does.
 */
export function refName(store: Pick<CacheStore, "kind">, revision: string, hubUrl: string | undefined): string {
	if (store.kind === "filesystem" || hubUrl === undefined) return revision;
	let origin: string;
	try {
		origin = new URL(hubUrl).origin;
	} catch {
		return revision;
	}
	return origin === DEFAULT_HUB ? revision : `${revision} @${origin}`;
}

/** The revisions stored ref names stand for, each once (what listings show: `main` on two
 * Hubs is one `main`). */
export function revisionsOf(names: string[]): string[] {
	const revisions = names.map((name) => {
		const at = name.indexOf(" @");
		return at < 0 ? name : name.slice(0, at);
	});
	return revisions.filter((r, i) => revisions.indexOf(r) === i);
}

const DEFAULT_HUB = "https://huggingface.co";

export interface RefRecord {
	commit: string;
	/** When the commit was learnt (ms since epoch): the freshness window is measured from it. */
	at: number;
}

export interface EntryRecord {
	etag: string;
	size: number;
}

/** One cached file, for listing. */
export interface CacheEntryInfo {
	repo: RepoKey;
	/** The revision names that point to this commit in the cache (branch, tag), if any. */
	revisions: string[];
	/** The commit the file is cached at. */
	commitOid: string;
	/** @deprecated Use `commitOid` (same value); removed in the next release. */
	commit: string;
	path: string;
	etag: string;
	size: number;
	/** Last time the blob was read or written (ms since epoch). */
	lastAccess: number;
}

/** A download in progress: append bytes in order, then `complete` (after verification) or `abort`. */
export interface BlobWriter {
	/** Bytes already stored from an earlier, interrupted attempt: resume from here. */
	readonly offset: number;
	/** `write` is done with its chunk when it settles (what it keeps, it copied), so the caller
	 * may reuse the chunk's buffer. Without it the writer may hold on to the chunk. */
	readonly copies?: boolean;
	write(chunk: Uint8Array): Promise<void>;
	/** Makes the blob readable. Only call after the hash checked. */
	complete(): Promise<void>;
	/** Keeps what was written for a later resume (`discard: false`) or drops it. */
	abort(discard: boolean): Promise<void>;
	/** The `offset` bytes already stored, so a resumed download can hash them first. A store
	 * without it cannot resume: `offset` must then be 0. */
	prefix?(): Promise<Blob>;
}

/** A file of a cached tree listing (the `trees/<commit>.json` of `huggingface_hub`). */
export interface TreeFile {
	path: string;
	size: number;
	/** Git blob sha1. */
	oid: string;
	lfs?: { oid: string; size: number };
	xetHash?: string;
}

export interface CacheStore {
	readonly kind: "indexeddb" | "cache-api" | "filesystem" | "memory";
	getRef(repo: RepoKey, revision: string): Promise<RefRecord | undefined>;
	putRef(repo: RepoKey, revision: string, commit: string): Promise<void>;
	getEntry(repo: RepoKey, commit: string, path: string): Promise<EntryRecord | undefined>;
	putEntry(repo: RepoKey, commit: string, path: string, entry: EntryRecord): Promise<void>;
	/** A complete blob as a `Blob` backed by storage (not one big buffer); marks it accessed.
	 * `streamed`: the caller only reads `size` and calls `stream()` once (or drops it unread), so
	 * a store whose `Blob` would be in memory (the Cache API in workerd) may return an object with
	 * just those two, streaming from storage. */
	readBlob(etag: string, size: number, streamed?: boolean): Promise<Blob | undefined>;
	/** Starts or resumes writing a blob. Implementations serialise writers of one etag. */
	openWriter(etag: string, size: number): Promise<BlobWriter>;
	list(): Promise<CacheEntryInfo[]>;
	/** Total bytes of complete and partial blobs. */
	size(): Promise<number>;
	/** Deletes entries (and blobs no entry uses any more). Without arguments: everything. */
	delete(filter?: { repo?: RepoKey; commit?: string; path?: string }): Promise<void>;
	/** Evicts least recently used blobs until at most `bytes` are stored, never one in `keep`
	 * (blobs handed out and possibly still being read). */
	evictTo(bytes: number, keep?: ReadonlySet<string>): Promise<void>;
	/** The files of a repo at a commit, as listed once (so a snapshot at a commit needs no request). */
	getTree?(repo: RepoKey, commit: string): Promise<TreeFile[] | undefined>;
	putTree?(repo: RepoKey, commit: string, files: TreeFile[]): Promise<void>;
}
