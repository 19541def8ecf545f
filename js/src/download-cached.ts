import { cacheBudget, storeOption } from "./cache/defaults.js";
import { BOOLEAN, check, COUNT, RANGE, type Rule } from "./check.js";
import { refName, type BlobWriter, type CacheStore } from "./cache/store.js";
import { readBlob, readStream } from "./read-stream.js";
import { HubError } from "./error.js";
import { splitRepo } from "./params.js";
import type { FileOptions } from "./wire.js";
import type { RepoParams, RetryOptions } from "./types.js";
import { verifier } from "./verify.js";
import { fileTarget, files, filesCall } from "./module-files.js";
import { isAbort, redact, retryDelay, sleep } from "./drive.js";
import type { BodySource } from "./download-body.js";

export interface DownloadProgress {
	/** Bytes of the file available so far (including what a resumed download already had). */
	loaded: number;
	total: number;
}

export interface DownloadFileWithInfoParams extends RepoParams {
	path: string;
	/** Download the raw git file (the pointer, for LFS files); never cached. */
	raw?: boolean;
	/** Only bytes `start` to `end`, both included (as `@huggingface/hub`; `end` omitted: to the
	 * end of the file). Served from the cache when the file is there. */
	range?: [number, number?];
	/**
	 * Where to keep files: a store, `true` for the runtime's own (IndexedDB in browsers, the
	 * `huggingface_hub` folder in Node, the Cache API in Workers), or `false` for none. Left out:
	 * IndexedDB in browsers; Node and Workers cache only when asked.
	 */
	cache?: CacheStore | boolean;
	/** Use only the cache: no request at all; a file that is not cached is a `NotCached` error. */
	offline?: boolean;
	/**
	 * `false` keeps files of private repos out of the cache (neither read nor written): worth it
	 * on a shared machine. Costs one small request per repo and session. Default `true`.
	 */
	cachePrivate?: boolean;
	/** How long a cached branch or tag → commit mapping is trusted without asking (default 0). */
	freshnessMs?: number;
	onProgress?: (p: DownloadProgress) => void;
}

/** @deprecated Use `DownloadFileWithInfoParams` (the same type); removed in the next release. */
export type CachedDownloadParams = DownloadFileWithInfoParams;

export interface DownloadFileWithInfoResult {
	blob: Blob;
	/** The commit the file was read at (undefined only for uncached downloads of a branch). */
	commitOid?: string;
	/** @deprecated Use `commitOid` (same value); removed in the next release. */
	commit?: string;
	/** Git blob sha1 for regular files, sha256 for LFS files (no quotes). */
	etag?: string;
	size: number;
	/** Where the bytes came from. */
	source: "cache" | "network";
	/** The network failed and the cache answered instead. */
	offlineFallback: boolean;
	/** Whether the file is in the cache now. */
	cached: boolean;
}

/** @deprecated Use `DownloadFileWithInfoResult` (the same type); removed in the next release. */
export type CachedDownloadResult = DownloadFileWithInfoResult;

/** The result fields naming the commit: `commitOid`, and its deprecated alias `commit`. */
function commitFields(commit: string | undefined): { commitOid?: string; commit?: string } {
	return commit === undefined ? {} : { commitOid: commit, commit };
}

/**
 * The public range is inclusive (`[0, 99]` is 100 bytes, as in `@huggingface/hub`); the wasm
 * core takes `[start, end)`. Non-numbers pass through for the core to reject.
 */
/** @internal */
export function wireRange(range: [number, number?] | undefined): [number] | [number, number] | undefined {
	if (!range) return undefined;
	const [start, end] = range;
	return end === undefined ? [start] : [start, typeof end === "number" ? end + 1 : end];
}

/**
 * Blobs this process handed out, which eviction must leave alone while they may still be read
 * (a file-backed `Blob` whose file was deleted fails when read). Released when the Blob is
 * garbage-collected, or after an hour where `FinalizationRegistry` is missing.
 */
const handedOut = new Map<string, number>();
const released =
	typeof FinalizationRegistry === "undefined"
		? undefined
		: new FinalizationRegistry<string>((etag) => {
				const n = (handedOut.get(etag) ?? 1) - 1;
				if (n <= 0) handedOut.delete(etag);
				else handedOut.set(etag, n);
			});

function pin(etag: string, blob: Blob): Blob {
	handedOut.set(etag, (handedOut.get(etag) ?? 0) + 1);
	if (released) released.register(blob, etag);
	else setTimeout(() => handedOut.delete(etag), 3_600_000);
	return blob;
}

/** What eviction must spare in `store`: only files on disk vanish from under a reader
 * (browsers keep an IndexedDB Blob readable after its record is deleted; Workers read into
 * memory). */
function pinned(store: CacheStore): ReadonlySet<string> | undefined {
	return store.kind === "filesystem" ? new Set(handedOut.keys()) : undefined;
}

/** One wrapper per `fetch`: the driver learns once per function that it hides redirects (a new
 * wrapper per download cost each download one request more). */
const noStore = new WeakMap<typeof globalThis.fetch, typeof globalThis.fetch>();

/**
 * In browsers, bytes that go into our cache skip the browser's HTTP cache: storing a large file
 * twice is waste, and a response that failed verification must not be served again from there
 * (a signed URL can repeat within its second). Node and Workers have no such cache to skip.
 */
export function bypassHttpCache(fetchFn: typeof globalThis.fetch): typeof globalThis.fetch {
	const g = globalThis as { document?: unknown; importScripts?: unknown };
	if (g.document === undefined && typeof g.importScripts !== "function") return fetchFn;
	let f = noStore.get(fetchFn);
	if (!f) noStore.set(fetchFn, (f = (input, init) => fetchFn(input, { ...init, cache: "no-store" })));
	return f;
}

/** Network failures and server outages: worth falling back to the cache for. */
function isUnavailable(e: unknown): boolean {
	return (
		e instanceof HubError &&
		(e.code === "Network" || e.code === "RateLimited" || [500, 502, 503, 504].includes(e.status ?? 0))
	);
}

/** A store error that means "no room": a full quota (worth evicting and trying once more), or
 * data the browser cannot hold at all (`final`: the file is served uncached at once). */
class QuotaFull extends Error {
	constructor(readonly final = false) {
		super("the cache is full");
	}
}

function asQuotaFull(e: unknown): unknown {
	if (!(e instanceof DOMException)) return e;
	if (e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED") return new QuotaFull();
	return e.name === "NotReadableError" ? new QuotaFull(true) : e;
}


/**
 * Downloads a file through the cache and says how: a 40-hex commit revision that is cached needs
 * no request; a branch or tag needs one small request to learn its commit (none within
 * `freshnessMs`). Bytes are verified against the etag before they become visible; an interrupted
 * download resumes with `Range` from what was stored. Returns `null` when the file does not exist.
 */
export async function downloadFileWithInfo(params: DownloadFileWithInfoParams): Promise<DownloadFileWithInfoResult | null> {
	return cachedDownload(params, checkDownload("downloadFileWithInfo", params));
}

const DOWNLOAD_RULES: Record<string, Rule> = { range: RANGE, offline: BOOLEAN, cachePrivate: BOOLEAN, freshnessMs: COUNT, stream: BOOLEAN };

/** Checks a download's options (before any request); returns the store its `cache` names. */
export function checkDownload(fn: string, params: DownloadFileWithInfoParams): CacheStore | undefined {
	check(fn, params, DOWNLOAD_RULES, ["repo", "path"]);
	const store = storeOption(fn, params.cache);
	return params.raw === true ? undefined : store;
}

/**
 * @internal
 * {@link downloadFileWithInfo}, told the file's etag and size when the caller already knows them
 * at the commit (`snapshotDownload`, from the tree listing): then no paths-info request is made.
 */
export async function cachedDownload(
	params: DownloadFileWithInfoParams,
	store: CacheStore | undefined,
	known?: { etag: string; size: number },
	/** The caller only reads the result's `blob.size` and calls `blob.stream()` once (or never). */
	streamed?: boolean,
): Promise<DownloadFileWithInfoResult | null> {
	const { wire, fetch, signal } = splitRepo(params, { path: params.path, raw: params.raw ?? false });
	// Validates everything before any storage or network access.
	const target = await fileTarget({ ...wire, range: wireRange(params.range) });
	if (store && params.cachePrivate === false && !params.offline && (await isPrivate(wire, fetch, signal, target.repoKey))) {
		store = undefined;
	}
	if (!store) {
		if (params.offline) throw notCached(target.path, "no cache is configured");
		return plain(wire, fetch, signal, params.range, false, undefined);
	}

	const { commit, unavailable } = await resolveCommit(store, wire, fetch, signal, target, params);
	if (commit) {
		const entry = await store.getEntry(target.repoKey, commit, target.path);
		const blob = entry && (await store.readBlob(entry.etag, entry.size, streamed && !params.range));
		if (entry && blob) {
			params.onProgress?.({ loaded: entry.size, total: entry.size });
			pin(entry.etag, blob);
			return {
				blob: params.range ? blob.slice(params.range[0], params.range[1] === undefined ? undefined : params.range[1] + 1) : blob,
				...commitFields(commit),
				etag: entry.etag,
				size: entry.size,
				source: "cache",
				offlineFallback: unavailable !== undefined,
				cached: true,
			};
		}
	}
	if (params.offline || unavailable) {
		throw notCached(target.path, params.offline ? "offline mode" : "the Hub is unreachable", unavailable);
	}
	const at = { ...wire, revision: commit };
	if (params.range) return plain(at, fetch, signal, params.range, false, commit);

	// At a known commit, paths-info gives etag and size in one JSON request in every runtime,
	// without touching the storage host.
	if (!known) {
		const infos = await filesCall("pathsInfo", { ...at, paths: [target.path] }, fetch, signal);
		const info = infos.find((e) => e.path === target.path && e.type === "file");
		if (!info) return null;
		known = { etag: info.lfs?.oid ?? info.oid, size: info.lfs?.size ?? info.size };
	}
	const etag = known.etag.toLowerCase();
	const size = known.size;
	const budget = cacheBudget();
	let blob = await store.readBlob(etag, size, streamed);
	if (!blob && budget !== undefined && size > budget) {
		// Larger than the whole budget: serve it, do not cache it.
		return plain(at, fetch, signal, undefined, false, commit);
	}
	// Recorded first so a store that files blobs per repo (the folder layout) knows where.
	await store.putEntry(target.repoKey, commit!, target.path, { etag, size });
	let source: "cache" | "network" = "cache";
	if (!blob) {
		source = "network";
		for (let attempt = 0; !blob; attempt++) {
			try {
				blob = await withLock(`hubwasm-cache:${etag}`, async () => {
					// Another tab may have finished this blob while we waited for the lock.
					const other = await store!.readBlob(etag, size, streamed);
					if (other) {
						source = "cache";
						return other;
					}
					await fetchIntoStore(store!, at, bypassHttpCache(fetch), signal, etag, size, params.onProgress);
					return store!.readBlob(etag, size, streamed);
				});
			} catch (e) {
				if (!(e instanceof QuotaFull)) throw e;
				// Storage is full: make room for this file once (what was stored so far is kept and
				// resumed), then give up on caching it and download it plainly.
				if (attempt > 0 || e.final) return plain(at, fetch, signal, undefined, false, commit);
				await store.evictTo(Math.max(0, (await store.size()) - size), pinned(store));
				continue;
			}
			if (!blob) break;
		}
		if (!blob) throw new HubError({ code: "Storage", message: `the cache lost ${target.path} right after storing it` });
	}
	pin(etag, blob);
	if (budget !== undefined) await store.evictTo(budget, pinned(store));
	params.onProgress?.({ loaded: size, total: size });
	return { blob, ...commitFields(commit), etag, size, source, offlineFallback: false, cached: true };
}

/**
 * @internal
 * The commit a revision means, with as few requests as the cache allows: none for a commit id or
 * a ref learnt within `freshnessMs` (or offline), else one small request. When the Hub is
 * unreachable the last known commit is used and `unavailable` says why.
 */
export async function resolveCommit(
	store: CacheStore,
	wire: FileOptions,
	fetch: typeof globalThis.fetch,
	signal: AbortSignal | undefined,
	target: { repoKey: string; revision: string; isCommit: boolean },
	opts: { offline?: boolean; freshnessMs?: number },
): Promise<{ commit: string | undefined; unavailable: unknown }> {
	if (target.isCommit) return { commit: target.revision.toLowerCase(), unavailable: undefined };
	const name = refName(store, target.revision, typeof wire.hubUrl === "string" ? wire.hubUrl : undefined);
	const ref = await store.getRef(target.repoKey, name);
	if (ref && (opts.offline || Date.now() - ref.at <= (opts.freshnessMs ?? 0))) {
		return { commit: ref.commit, unavailable: undefined };
	}
	if (opts.offline) return { commit: undefined, unavailable: undefined };
	try {
		const commit = await filesCall("revisionCommit", wire, fetch, signal);
		await store.putRef(target.repoKey, name, commit);
		return { commit, unavailable: undefined };
	} catch (e) {
		if (!isUnavailable(e)) throw e;
		return { commit: ref?.commit, unavailable: e };
	}
}

/** Privacy per endpoint and repo, learnt once per session. */
const privacy = new Map<string, boolean>();

async function isPrivate(wire: FileOptions, fetch: typeof globalThis.fetch, signal: AbortSignal | undefined, repoKey: string): Promise<boolean> {
	const key = `${String(wire.hubUrl ?? "")} ${repoKey}`;
	let p = privacy.get(key);
	if (p === undefined) {
		p = await filesCall("repoIsPrivate", wire, fetch, signal);
		privacy.set(key, p);
	}
	return p;
}

function notCached(path: string, why: string, cause?: unknown): HubError {
	return new HubError({ code: "NotCached", message: `${path} is not in the cache (${why})`, cause });
}

/** An uncached download into a `Blob`. */
async function plain(
	wire: FileOptions,
	fetch: typeof globalThis.fetch,
	signal: AbortSignal | undefined,
	range: [number, number?] | undefined,
	cached: boolean,
	commit: string | undefined,
): Promise<DownloadFileWithInfoResult | null> {
	const at = { ...wire, range: wireRange(range) };
	const resp = await filesCall("downloadFile", at, fetch, signal);
	if (!resp) return null;
	const blob = (await body(resp, { wire: at, fetch, signal })) as Blob;
	return { blob, ...commitFields(commit), size: blob.size, source: "network", offlineFallback: false, cached };
}

/**
 * @internal
 * The body of an uncached download as a `Blob` (or a stream), a cut resumed or failed as a
 * `HubError` (`download-body.ts`, loaded on first use and given what it needs).
 */
export async function body(resp: Response, src: BodySource, stream?: boolean): Promise<Blob | ReadableStream<Uint8Array>> {
	const m = await import("./download-body.js");
	return (stream ? m.bodyStream : m.bodyBlob)(resp, src, { filesCall, files, retryDelay, sleep, isAbort, redact, verifier, readBlob });
}

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
	if (!locks) return fn();
	return locks.request(name, { mode: "exclusive" }, fn) as Promise<T>;
}

/** Streams the file into the store, verifying as it goes, resuming after cuts. */
async function fetchIntoStore(
	store: CacheStore,
	wire: FileOptions,
	fetch: typeof globalThis.fetch,
	signal: AbortSignal | undefined,
	etag: string,
	size: number,
	onProgress: ((p: DownloadProgress) => void) | undefined,
): Promise<void> {
	let writer: BlobWriter = await store.openWriter(etag, size);
	// Without Web Locks (Node), another download may have finished it while we waited.
	if (await store.readBlob(etag, size, true)) {
		await writer.abort(false);
		return;
	}
	let v = await verifier(etag, size, signal);
	// Regular files may be served compressed, where byte ranges do not line up with the
	// content: only LFS content (sha256 etags) resumes.
	const resumable = /^[0-9a-f]{64}$/i.test(etag);
	let offset = writer.offset;
	/** Drops what was stored, to start again from byte 0. */
	const reset = async () => {
		await writer.abort(true);
		writer = await store.openWriter(etag, size);
		offset = writer.offset;
	};
	try {
		if (offset > 0 && (!resumable || !writer.prefix)) await reset();
		if (offset > 0 && writer.prefix) {
			const prefix = await writer.prefix();
			if (prefix.size >= offset) {
				// Longer when another download of the same bytes (no Web Locks) stored more since.
				await readBlob(prefix.slice(0, offset), (chunk) => v.update(chunk), signal);
			} else {
				// Stored chunks went missing (evicted or deleted by hand): start again from nothing.
				await reset();
				if (offset > 0) throw new HubError({ code: "Storage", message: "the stored part of a download could not be reset" });
			}
		}
		const received = async (chunk: Uint8Array) => {
			if (offset + chunk.length > size) {
				throw new HubError({ code: "Integrity", message: `received more than the ${size} bytes announced` });
			}
			await v.update(chunk);
			await writeOrEvict(writer, chunk);
			offset += chunk.length;
			onProgress?.({ loaded: offset, total: size });
		};
		const m = await files();
		for (let retry = 0; ; retry++) {
			const resp = await filesCall("downloadFile", { ...wire, range: offset > 0 ? [offset] : undefined }, fetch, signal);
			if (!resp?.body) throw new HubError({ code: "EntryNotFound", message: "the file disappeared during the download" });
			let cutBy: unknown;
			try {
				// A writer that copies what it keeps lets the reads reuse one buffer.
				await readStream(resp.body, received, { reuse: writer.copies === true });
			} catch (e) {
				if (e instanceof HubError || e instanceof QuotaFull || isAbort(e) || signal?.aborted) throw e;
				cutBy = e;
			}
			if (offset >= size) break;
			// The connection broke off (with an error or an early end): wait as the retry policy
			// says, then resume from here (LFS content), or start again (a regular file, at most
			// a few MB, whose bytes may have been sent compressed).
			const lost = new HubError({ code: "Network", message: `the download broke off at byte ${offset} of ${size}`, cause: cutBy });
			const ms = retryDelay({ m, policy: (wire as { retry?: RetryOptions }).retry, signal }, retry, lost);
			if (ms < 0) throw lost;
			await sleep(ms, signal);
			if (!resumable) {
				await reset();
				v.free();
				v = await verifier(etag, size, signal);
			}
		}
		if ((await v.matches()) === false) {
			throw new HubError({ code: "Integrity", message: `the downloaded bytes do not match their etag ${etag}: nothing was cached` });
		}
		try {
			await writer.complete();
		} catch (e) {
			throw asQuotaFull(e);
		}
	} catch (e) {
		// Keep a clean partial for a later resume; drop anything we cannot trust.
		const keep =
			resumable &&
			((e instanceof QuotaFull && !e.final) || isAbort(e) || (e instanceof HubError && e.code === "Network"));
		await writer.abort(!keep).catch(() => {});
		throw e;
	} finally {
		v.free();
	}
}

/** Stores a chunk; a failure is a full store (`QuotaFull`), or a `Storage` error, never taken for
 * a cut connection (the hash has seen the chunk: resuming after it could only fail). */
async function writeOrEvict(writer: BlobWriter, chunk: Uint8Array): Promise<void> {
	try {
		await writer.write(chunk);
	} catch (e) {
		const full = asQuotaFull(e);
		if (full instanceof QuotaFull || full instanceof HubError || isAbort(full)) throw full;
		throw new HubError({ code: "Storage", message: `storing the download failed: ${full instanceof Error ? full.message : String(full)}`, cause: full });
	}
}
