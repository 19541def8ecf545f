import { cacheBudget, storeOption } from "./cache/defaults.js";
import { CHUNK, IndexedDbCache } from "./cache/indexeddb.js";
import { BOOLEAN, check, COUNT, PATTERNS } from "./check.js";
import type { CacheStore, TreeFile } from "./cache/store.js";
import { bypassHttpCache, cachedDownload, resolveCommit } from "./download-cached.js";
import { isAbort, retryDelay, sleep } from "./drive.js";
import { readBlob } from "./read-stream.js";
import { verifier } from "./verify.js";
import type { FileTarget } from "./wire.js";
import { HubError } from "./error.js";
import { filterPaths } from "./glob.js";
import { listFiles } from "./list-files.js";
import { concurrencyLimits, splitRepo } from "./params.js";
import type { Concurrency, RepoParams } from "./types.js";
import { fileTarget, files as filesModule, filesCall } from "./module-files.js";

export interface SnapshotDownloadParams extends RepoParams {
	/** Only paths matching one of these (fnmatch: `*`, `?`, `[…]`; a trailing `/` is a folder). */
	allowPatterns?: string | string[];
	/** Skip paths matching any of these. */
	ignorePatterns?: string | string[];
	/** Files downloaded at once (default 4): a number, or `{ files }` (the shape `commit` takes;
	 * a snapshot has no parts or hashing). */
	concurrency?: Concurrency;
	/** Where to keep the files (see `downloadFile`); a snapshot needs a cache. */
	cache?: CacheStore | boolean;
	/** Use only the cache. */
	offline?: boolean;
	/** How long a cached branch → commit mapping is trusted without asking (default 0). */
	freshnessMs?: number;
	onProgress?: (p: SnapshotDownloadProgress) => void;
}

/** A snapshot's progress: `loaded`/`total` bytes of the file `path` (as in `DownloadProgress`),
 * and how many of the selected files are done. */
export interface SnapshotDownloadProgress {
	path: string;
	loaded: number;
	total: number;
	filesDone: number;
	filesTotal: number;
}

export interface SnapshotFile {
	path: string;
	size: number;
	etag: string;
	source: "cache" | "network";
}

export interface SnapshotDownloadResult {
	/** The commit the snapshot is of. */
	commitOid: string;
	/** @deprecated Use `commitOid` (same value); removed in the next release. */
	commit: string;
	files: SnapshotFile[];
	/** The network failed and everything came from the cache. */
	offlineFallback: boolean;
}

/**
 * Fetches a whole revision (or the files the patterns select) into the cache. At a commit that
 * was fetched before, it makes no request at all: the file list is cached with the files.
 */
/** Checks a snapshot's options (before any request); returns the store its `cache` names. */
export function checkSnapshot(fn: string, params: SnapshotDownloadParams): CacheStore | undefined {
	check(fn, params, { allowPatterns: PATTERNS, ignorePatterns: PATTERNS, offline: BOOLEAN, freshnessMs: COUNT }, ["repo"]);
	return storeOption(fn, params.cache);
}

export async function snapshotDownload(params: SnapshotDownloadParams): Promise<SnapshotDownloadResult> {
	const store = checkSnapshot("snapshotDownload", params);
	const filesAtOnce = concurrencyLimits(params.concurrency).files ?? 4;
	if (!store) {
		throw new HubError({ code: "InvalidInput", message: "snapshotDownload needs a cache: pass `cache` (e.g. a FileSystemCache in Node)" });
	}
	const { wire, fetch, signal } = splitRepo(params, { path: ".gitattributes" });
	const target = await fileTarget(wire);
	const resolved = await resolveCommit(store, wire, fetch, signal, target, params);
	if (!resolved.commit) {
		throw new HubError({
			code: "NotCached",
			message: `no commit is known for ${target.revision} in the cache (${params.offline ? "offline mode" : "the Hub is unreachable"})`,
			cause: resolved.unavailable,
		});
	}
	const commit = resolved.commit;
	let tree = await store.getTree?.(target.repoKey, commit);
	if (!tree) {
		if (params.offline || resolved.unavailable) {
			throw new HubError({ code: "NotCached", message: `the file list at ${commit} is not cached`, cause: resolved.unavailable });
		}
		tree = [];
		for await (const e of listFiles({ ...params, revision: commit, recursive: true })) {
			if (e.type !== "file") continue;
			tree.push({ path: e.path, size: e.size, oid: e.oid, ...(e.lfs && { lfs: { oid: e.lfs.oid, size: e.lfs.size } }), ...(e.xetHash && { xetHash: e.xetHash }) });
		}
		await store.putTree?.(target.repoKey, commit, tree);
	}
	const keep = filterPaths(params.allowPatterns, params.ignorePatterns);
	const selected: TreeFile[] = tree.filter((f) => keep(f.path));
	const files: SnapshotFile[] = [];
	const done = (path: string, size: number, etag: string, source: SnapshotFile["source"]) => {
		files.push({ path, size, etag, source });
		params.onProgress?.({ path, loaded: size, total: size, filesDone: files.length, filesTotal: selected.length });
	};
	let offlineFallback = resolved.unavailable !== undefined;
	// The first failure stops the others at once (no request is sent after the promise settles).
	const stop = new AbortController();
	const outer = params.abortSignal;
	const onAbort = () => stop.abort(outer!.reason);
	outer?.addEventListener("abort", onAbort, { once: true });
	try {
		// In IndexedDB, what is cached is found in one transaction and small files are stored in
		// shared transactions (snapshot-idb.ts); everything else goes file by file.
		const fast =
			store instanceof IndexedDbCache && (params as { cachePrivate?: unknown }).cachePrivate !== false
				? await grouped(store, params, target.repoKey, commit, stop.signal, params.offline === true || resolved.unavailable !== undefined)
				: undefined;
		const todo = fast ? await fast.cached(selected, done) : selected;
		let next = 0;
		const worker = async () => {
			while (!stop.signal.aborted && next < todo.length) {
				const f = todo[next++]!;
				const etag = (f.lfs?.oid ?? f.oid).toLowerCase();
				const size = f.lfs?.size ?? f.size;
				const progress = (loaded: number) => params.onProgress?.({ path: f.path, loaded, total: size, filesDone: files.length, filesTotal: selected.length });
				if (fast && (await fast.download(f.path, etag, size))) {
					done(f.path, size, etag, "network");
					continue;
				}
				// The listing already names each file's etag and size: no paths-info request per file.
				const r = await cachedDownload(
					{ ...params, revision: commit, path: f.path, abortSignal: stop.signal, onProgress: (p) => progress(p.loaded) },
					store,
					{ etag, size },
					// Only the size is read: a store need not load the file (workerd's Cache API would).
					true,
				);
				if (!r) throw new HubError({ code: "EntryNotFound", message: `${f.path} is listed at ${commit} but could not be downloaded` });
				offlineFallback ||= r.offlineFallback;
				done(f.path, r.size, r.etag ?? etag, r.source);
			}
		};
		const stopping = () =>
			worker().catch((e: unknown) => {
				stop.abort(e);
				throw e;
			});
		await Promise.all(Array.from({ length: Math.max(1, Math.min(filesAtOnce, todo.length)) }, stopping));
		// Aborted between two files, the workers stop without an error: the call still rejects.
		stop.signal.throwIfAborted();
		await fast?.finish();
	} finally {
		outer?.removeEventListener("abort", onAbort);
	}
	files.sort((a, b) => (a.path < b.path ? -1 : 1));
	return { commitOid: commit, commit, files, offlineFallback };
}

/**
 * The IndexedDB fast path of a snapshot (`snapshot-idb.ts`, loaded here only): `cached` reports
 * the files the store already holds (one read transaction) and returns the others; `download`
 * fetches a file of at most one chunk, verifies it and stores it in a group commit, or returns
 * false when the general path must take it (offline, where the general path says `NotCached`;
 * a cut body, which the general path then resumes); `finish` applies the byte budget.
 */
async function grouped(store: IndexedDbCache, params: SnapshotDownloadParams, repo: string, commit: string, signal: AbortSignal, offline: boolean) {
	const m = await import("./snapshot-idb.js");
	const deps = { filesCall, files: filesModule, retryDelay, sleep, isAbort, verifier, readBlob };
	const db = await store.open();
	const group = new m.Group(db);
	const buffers = new m.Buffers();
	const budget = cacheBudget();
	const { wire, fetch } = splitRepo({ ...params, revision: commit }, { raw: false });
	// One function for the whole snapshot: the driver learns once that it hides redirects.
	const noStore = bypassHttpCache(fetch);
	return {
		async cached(selected: TreeFile[], done: (path: string, size: number, etag: string, source: "cache") => void): Promise<TreeFile[]> {
			const wanted = selected.map((f) => ({ path: f.path, etag: (f.lfs?.oid ?? f.oid).toLowerCase(), size: f.lfs?.size ?? f.size }));
			const held = await m.lookup(db, repo, commit, wanted);
			const marks: Promise<void>[] = [];
			const todo = selected.filter((_, i) => {
				const w = wanted[i]!;
				if (!held[i]) return true;
				// Marked as used (and, for bytes another commit has, entered at this one) together.
				marks.push(group.add({ repo, commit, ...w, entryOnly: held[i] === "bytes" }));
				done(w.path, w.size, w.etag, "cache");
				return false;
			});
			await Promise.all(marks);
			return todo;
		},
		async download(path: string, etag: string, size: number): Promise<boolean> {
			if (offline || size > CHUNK || (budget !== undefined && size > budget)) return false;
			try {
				const stored = await m.ifUnlocked(`hubwasm-cache:${etag}`, async () => {
					const blob = await m.fetchVerified(deps, { ...wire, path }, noStore, signal, etag, size, buffers);
					if (!blob) return false;
					await group.add({ repo, commit, path, etag, size, blob });
					return true;
				});
				return stored === true;
			} catch (e) {
				// No room, or a Blob the browser cannot hold: the general path evicts or serves it uncached.
				if (m.isFull(e)) return false;
				throw e;
			}
		},
		async finish(): Promise<void> {
			if (budget !== undefined) await store.evictTo(budget);
		},
	};
}
