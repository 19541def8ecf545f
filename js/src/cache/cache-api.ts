/**
 * The download cache over the Web Cache API (`caches.open(name)`): for Cloudflare Workers
 * (workerd), and usable in browsers and Service Workers too.
 *
 * Every record is one cached response under a synthetic URL (`https://hubwasm.cache/v1/…`):
 * - `refs/<repo>/<revision>` → `{commit, at}`; `entries/<repo>/<commit>/<path>` → `{etag, size}`;
 *   `trees/<repo>/<commit>` → `{format_version: 1, files: TreeFile[]}` (components URL-encoded);
 * - `blobs/<etag>` → `{size, lastAccess, body}`: the blob's metadata, and what makes it visible;
 * - `bodies/<etag>/<body>` → the content, one response per write (`body` is a random id);
 * - `index` → the keys of all of the above, because the Workers Cache API cannot enumerate keys
 *   (no `cache.keys()`); it serves `list`, `size`, `delete` and `evictTo` only. Lookups never read it.
 *
 * A writer streams straight into `cache.put` of a fresh body key (no whole-file buffer; in workerd
 * through a `FixedLengthStream` so the response has its length). The body is unreachable until
 * `complete()` — called after the caller checked the hash — writes the `blobs/<etag>` record that
 * names it; `abort()` cancels the put and deletes the body. There is no resume: `offset` is always 0
 * (a partial body cannot be appended to), so an interrupted download starts again.
 *
 * LRU: `lastAccess` lives in the blob record and is rewritten on read only when older than
 * `accessResolutionMs` (default one minute), so hot reads cost no write.
 *
 * Limits, all of them properties of the Cache API rather than of this store: on Cloudflare the
 * cache is per data centre, may drop any record at any time (a lost record is a cache miss; a lost
 * index only hides records from `list`/`size`), has no effect on `*.workers.dev` and caps one object's
 * size (see Cloudflare's limits). The index is read-modify-written, so two isolates updating it at
 * the same moment can lose one update (again: only listing and eviction see it). `readBlob` returns
 * `response.blob()`: in workerd that Blob is in memory; browsers usually keep it on disk. Asked for
 * a `streamed` read (`downloadFile({ stream: true })`), it returns `{ size, stream() }` whose stream
 * is the cached response's body, read as the caller reads it: a file passes from the cache to a
 * Worker's `Response` at bounded memory. Not a `Blob` subclass: workerd sends a `Blob` given to
 * `new Response` from its own (empty) bytes, not from an overridden `stream()`.
 */
import { check, COUNT, FUNCTION, isObject, STRING } from "../check.js";
import { HubError } from "../error.js";
import { revisionsOf, type BlobWriter, type CacheEntryInfo, type CacheStore, type EntryRecord, type RefRecord, type RepoKey, type TreeFile } from "./store.js";

export interface CacheApiStoreOptions {
	/** The cache to open with `caches.open` (default `"hubwasm"`). */
	name?: string;
	/** An already open cache (e.g. `caches.default` in Workers); wins over `name`. */
	cache?: Cache;
	/** Origin of the synthetic record URLs (default `https://hubwasm.cache`). */
	origin?: string;
	/** A read rewrites a blob's last-access time only when it is older than this (default 60 s). */
	accessResolutionMs?: number;
	/** Clock (ms since epoch; default `Date.now`). */
	now?: () => number;
}

interface BlobMeta {
	size: number;
	lastAccess: number;
	body: string;
}

interface Index {
	v: 1;
	/** key → [repo, revision, commit] */
	refs: Record<string, [string, string, string]>;
	/** key → [repo, commit, path, etag, size] */
	entries: Record<string, [string, string, string, string, number]>;
	/** key → [repo, commit] */
	trees: Record<string, [string, string]>;
	/** etag → size of the complete blob */
	blobs: Record<string, number>;
}

// Without caching headers workerd (and Cloudflare) would not keep a record at all.
const CACHE_CONTROL = "public, max-age=31536000";
const enc = encodeURIComponent;
const randomId = () => {
	const b = new Uint8Array(8);
	crypto.getRandomValues(b);
	return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
};

/** Writers of one etag, one after the other, across every store of this isolate or page. */
const writerChains = new Map<string, Promise<void>>();

type FixedLengthStreamCtor = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

export class CacheApiStore implements CacheStore {
	readonly kind = "cache-api" as const;
	private readonly name: string;
	private readonly base: string;
	private readonly accessResolutionMs: number;
	private readonly now: () => number;
	private cachePromise: Promise<Cache> | undefined;
	/** Index updates of this store, one after the other. */
	private indexChain: Promise<unknown> = Promise.resolve();

	constructor(options: CacheApiStoreOptions = {}) {
		check("CacheApiStore", options, {
			name: STRING,
			origin: ["an http(s) origin", (v) => typeof v === "string" && /^https?:\/\/[^/]/.test(v)],
			cache: ["an open Cache", (v) => isObject(v) && typeof v.match === "function" && typeof v.put === "function"],
			accessResolutionMs: COUNT,
			now: FUNCTION,
		});
		this.name = options.name ?? "hubwasm";
		this.base = `${(options.origin ?? "https://hubwasm.cache").replace(/\/$/, "")}/v1/`;
		this.accessResolutionMs = options.accessResolutionMs ?? 60_000;
		this.now = options.now ?? Date.now;
		if (options.cache) this.cachePromise = Promise.resolve(options.cache);
	}

	private cache(): Promise<Cache> {
		if (!this.cachePromise) {
			if (typeof caches === "undefined") {
				throw new HubError({ code: "Storage", message: "the Cache API (globalThis.caches) is not available here" });
			}
			this.cachePromise = caches.open(this.name);
		}
		return this.cachePromise;
	}

	private url(...parts: string[]): string {
		return this.base + parts.map(enc).join("/");
	}

	private async getJson<T>(url: string): Promise<T | undefined> {
		const res = await (await this.cache()).match(url);
		if (!res) return undefined;
		try {
			return (await res.json()) as T;
		} catch {
			return undefined;
		}
	}

	private async putJson(url: string, value: unknown): Promise<void> {
		await (await this.cache()).put(
			url,
			new Response(JSON.stringify(value), {
				headers: { "content-type": "application/json", "cache-control": CACHE_CONTROL },
			}),
		);
	}

	private async remove(url: string): Promise<void> {
		await (await this.cache()).delete(url);
	}

	/** Read-modify-write of the index, serialised within this store. */
	private updateIndex<T>(fn: (idx: Index) => T | Promise<T>): Promise<T> {
		const run = this.indexChain.then(async () => {
			const idx = await this.readIndex();
			const out = await fn(idx);
			await this.putJson(this.url("index"), idx);
			return out;
		});
		this.indexChain = run.catch(() => {});
		return run;
	}

	private async readIndex(): Promise<Index> {
		const idx = await this.getJson<Index>(this.url("index"));
		return idx?.v === 1 ? idx : { v: 1, refs: {}, entries: {}, trees: {}, blobs: {} };
	}

	// ---- refs ----

	async getRef(repo: RepoKey, revision: string): Promise<RefRecord | undefined> {
		const r = await this.getJson<RefRecord>(this.url("refs", repo, revision));
		return typeof r?.commit === "string" && typeof r.at === "number" ? r : undefined;
	}

	async putRef(repo: RepoKey, revision: string, commit: string): Promise<void> {
		const url = this.url("refs", repo, revision);
		const previous = await this.getJson<RefRecord>(url);
		await this.putJson(url, { commit, at: this.now() } satisfies RefRecord);
		if (previous?.commit === commit) return; // only the time changed: the index already has it
		await this.updateIndex((idx) => {
			idx.refs[`${repo}\n${revision}`] = [repo, revision, commit];
		});
	}

	// ---- entries ----

	async getEntry(repo: RepoKey, commit: string, path: string): Promise<EntryRecord | undefined> {
		const e = await this.getJson<EntryRecord>(this.url("entries", repo, commit, path));
		return typeof e?.etag === "string" && typeof e.size === "number" ? { etag: e.etag, size: e.size } : undefined;
	}

	async putEntry(repo: RepoKey, commit: string, path: string, entry: EntryRecord): Promise<void> {
		await this.putJson(this.url("entries", repo, commit, path), { etag: entry.etag, size: entry.size });
		await this.updateIndex((idx) => {
			idx.entries[`${repo}\n${commit}\n${path}`] = [repo, commit, path, entry.etag, entry.size];
		});
	}

	// ---- trees ----

	async getTree(repo: RepoKey, commit: string): Promise<TreeFile[] | undefined> {
		const t = await this.getJson<{ format_version?: number; files?: TreeFile[] }>(this.url("trees", repo, commit));
		return t?.format_version === 1 && Array.isArray(t.files) ? t.files : undefined;
	}

	async putTree(repo: RepoKey, commit: string, files: TreeFile[]): Promise<void> {
		await this.putJson(this.url("trees", repo, commit), { format_version: 1, files });
		await this.updateIndex((idx) => {
			idx.trees[`${repo}\n${commit}`] = [repo, commit];
		});
	}

	// ---- blobs ----

	async readBlob(etag: string, size: number, streamed?: boolean): Promise<Blob | undefined> {
		const metaUrl = this.url("blobs", etag);
		const meta = await this.getJson<BlobMeta>(metaUrl);
		if (!meta || meta.size !== size) return undefined;
		const res = await (await this.cache()).match(this.url("bodies", etag, meta.body));
		if (!res) {
			await this.remove(metaUrl); // the platform dropped the body: forget the blob
			return undefined;
		}
		let blob: Blob;
		if (streamed) {
			// The stored length, where the platform says it (workerd does: the body went in through a
			// FixedLengthStream); a browser's record of a streamed put may not carry it.
			const length = res.headers.get("content-length");
			if (length !== null && Number(length) !== size) {
				await res.body?.cancel();
				return undefined;
			}
			const body = res.body ?? new Blob().stream(); // an empty file may have no body
			blob = { size, type: "", stream: () => body } as Partial<Blob> as Blob;
		} else {
			blob = await res.blob();
			if (blob.size !== size) return undefined;
		}
		const now = this.now();
		if (now - meta.lastAccess >= this.accessResolutionMs) {
			await this.putJson(metaUrl, { ...meta, lastAccess: now } satisfies BlobMeta);
		}
		return blob;
	}

	async openWriter(etag: string, size: number): Promise<BlobWriter> {
		const chainKey = `${this.name}\n${this.base}\n${etag}`;
		const previous = writerChains.get(chainKey) ?? Promise.resolve();
		let done!: () => void;
		const tail = previous.then(() => new Promise<void>((r) => (done = r)));
		writerChains.set(chainKey, tail);
		await previous;
		let released = false;
		const release = () => {
			if (released) return;
			released = true;
			if (writerChains.get(chainKey) === tail) writerChains.delete(chainKey);
			done();
		};
		try {
			return await this.streamingWriter(etag, size, release);
		} catch (e) {
			release();
			throw e;
		}
	}

	private async streamingWriter(etag: string, size: number, release: () => void): Promise<BlobWriter> {
		const cache = await this.cache();
		const body = randomId();
		const bodyUrl = this.url("bodies", etag, body);
		const Fixed = (globalThis as { FixedLengthStream?: FixedLengthStreamCtor }).FixedLengthStream;
		const { readable, writable } = Fixed ? new Fixed(size) : new TransformStream<Uint8Array, Uint8Array>();
		const stored = cache.put(
			bodyUrl,
			new Response(readable, {
				headers: { "content-type": "application/octet-stream", "cache-control": CACHE_CONTROL },
			}),
		);
		stored.catch(() => {}); // observed through complete()/abort()
		const writer = writable.getWriter();
		let written = 0;
		let closed = false;
		const storage = (message: string, cause?: unknown) => new HubError({ code: "Storage", message, cause });
		const discard = async (reason: unknown) => {
			await writer.abort(reason).catch(() => {});
			await stored.catch(() => {});
			await this.remove(bodyUrl).catch(() => {});
		};
		return {
			offset: 0,
			write: async (chunk: Uint8Array) => {
				if (closed) throw storage("write after the cache writer was closed");
				if (written + chunk.byteLength > size) throw storage(`more bytes than the expected ${size} for blob ${etag}`);
				written += chunk.byteLength;
				await writer.write(chunk);
			},
			complete: async () => {
				if (closed) throw storage("the cache writer was already closed");
				closed = true;
				try {
					if (written !== size) throw storage(`blob ${etag}: ${written} bytes written, expected ${size}`);
					await writer.close();
					await stored;
					const metaUrl = this.url("blobs", etag);
					const old = await this.getJson<BlobMeta>(metaUrl);
					const kept = old?.size === size ? await cache.match(this.url("bodies", etag, old.body)) : undefined;
					await kept?.body?.cancel();
					if (old && kept) {
						// Completed meanwhile by another writer (same etag, same bytes): keep that one.
						await this.putJson(metaUrl, { ...old, lastAccess: this.now() } satisfies BlobMeta);
						await this.remove(bodyUrl);
					} else {
						await this.putJson(metaUrl, { size, lastAccess: this.now(), body } satisfies BlobMeta);
						if (old) await this.remove(this.url("bodies", etag, old.body));
					}
					await this.updateIndex((idx) => {
						idx.blobs[etag] = size;
					});
				} catch (e) {
					await discard(e);
					throw e;
				} finally {
					release();
				}
			},
			abort: async () => {
				if (closed) return;
				closed = true;
				try {
					await discard(new Error("aborted"));
				} finally {
					release();
				}
			},
		};
	}

	// ---- listing, size, deletion, eviction ----

	async list(): Promise<CacheEntryInfo[]> {
		const idx = await this.readIndex();
		const revisions = new Map<string, string[]>();
		for (const [repo, rev, commit] of Object.values(idx.refs)) {
			const k = `${repo}\n${commit}`;
			revisions.set(k, [...(revisions.get(k) ?? []), rev]);
		}
		const access = new Map<string, number>();
		const out: CacheEntryInfo[] = [];
		for (const [repo, commit, path, etag, size] of Object.values(idx.entries)) {
			if (idx.blobs[etag] === undefined) continue; // metadata only: not a cached file
			if (!access.has(etag)) access.set(etag, (await this.getJson<BlobMeta>(this.url("blobs", etag)))?.lastAccess ?? 0);
			out.push({ repo, revisions: revisionsOf(revisions.get(`${repo}\n${commit}`) ?? []), commitOid: commit, commit, path, etag, size, lastAccess: access.get(etag)! });
		}
		return out;
	}

	async size(): Promise<number> {
		const idx = await this.readIndex();
		return Object.values(idx.blobs).reduce((a, b) => a + b, 0);
	}

	async delete(filter: { repo?: RepoKey; commit?: string; path?: string } = {}): Promise<void> {
		await this.updateIndex(async (idx) => {
			const hit = (repo: string, commit: string) =>
				(filter.repo === undefined || repo === filter.repo) && (filter.commit === undefined || commit === filter.commit);
			for (const [k, [repo, commit, path]] of Object.entries(idx.entries)) {
				if (!hit(repo, commit) || (filter.path !== undefined && path !== filter.path)) continue;
				await this.remove(this.url("entries", repo, commit, path));
				delete idx.entries[k];
			}
			if (filter.path === undefined) {
				// Whole commits: the refs that named them and their listings.
				for (const [k, [repo, rev, commit]] of Object.entries(idx.refs)) {
					if (!hit(repo, commit)) continue;
					await this.remove(this.url("refs", repo, rev));
					delete idx.refs[k];
				}
				for (const [k, [repo, commit]] of Object.entries(idx.trees)) {
					if (!hit(repo, commit)) continue;
					await this.remove(this.url("trees", repo, commit));
					delete idx.trees[k];
				}
			}
			const everything = filter.repo === undefined && filter.commit === undefined && filter.path === undefined;
			const used = new Set(Object.values(idx.entries).map((e) => e[3]));
			for (const etag of Object.keys(idx.blobs)) {
				if (!everything && used.has(etag)) continue;
				await this.dropBlob(etag);
				delete idx.blobs[etag];
			}
		});
	}

	private async dropBlob(etag: string): Promise<void> {
		const metaUrl = this.url("blobs", etag);
		const meta = await this.getJson<BlobMeta>(metaUrl);
		await this.remove(metaUrl);
		if (meta) await this.remove(this.url("bodies", etag, meta.body));
	}

	async evictTo(bytes: number, keep?: ReadonlySet<string>): Promise<void> {
		await this.updateIndex(async (idx) => {
			let total = Object.values(idx.blobs).reduce((a, b) => a + b, 0);
			if (total <= bytes) return;
			const aged: [string, number][] = [];
			for (const etag of Object.keys(idx.blobs)) {
				if (keep?.has(etag)) continue;
				aged.push([etag, (await this.getJson<BlobMeta>(this.url("blobs", etag)))?.lastAccess ?? 0]);
			}
			aged.sort((a, b) => a[1] - b[1]);
			// Entries stay: they are immutable facts about a commit and save a request on the next download.
			for (const [etag] of aged) {
				if (total <= bytes) break;
				await this.dropBlob(etag);
				total -= idx.blobs[etag]!;
				delete idx.blobs[etag];
			}
		});
	}
}
