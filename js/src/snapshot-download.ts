import { storeOption } from "./cache/defaults.js";
import { BOOLEAN, check, COUNT, PATTERNS } from "./check.js";
import type { CacheStore, TreeFile } from "./cache/store.js";
import { cachedDownload, resolveCommit } from "./download-cached.js";
import type { FileTarget } from "./wire.js";
import { HubError } from "./error.js";
import { filterPaths } from "./glob.js";
import { listFiles } from "./list-files.js";
import { concurrencyLimits, splitRepo } from "./params.js";
import type { Concurrency, RepoParams } from "./types.js";
import { fileTarget } from "./module-files.js";

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
	let next = 0;
	let offlineFallback = resolved.unavailable !== undefined;
	// The first failure stops the others at once (no request is sent after the promise settles).
	const stop = new AbortController();
	const outer = params.abortSignal;
	const onAbort = () => stop.abort(outer!.reason);
	outer?.addEventListener("abort", onAbort, { once: true });
	const worker = async () => {
		while (!stop.signal.aborted && next < selected.length) {
			const f = selected[next++]!;
			// The listing already names each file's etag and size: no paths-info request per file.
			const r = await cachedDownload(
				{
					...params,
					revision: commit,
					path: f.path,
					abortSignal: stop.signal,
					onProgress: (p) => params.onProgress?.({ path: f.path, ...p, filesDone: files.length, filesTotal: selected.length }),
				},
				store,
				{ etag: f.lfs?.oid ?? f.oid, size: f.lfs?.size ?? f.size },
				// Only the size is read: a store need not load the file (workerd's Cache API would).
				true,
			);
			if (!r) throw new HubError({ code: "EntryNotFound", message: `${f.path} is listed at ${commit} but could not be downloaded` });
			offlineFallback ||= r.offlineFallback;
			files.push({ path: f.path, size: r.size, etag: r.etag ?? f.lfs?.oid ?? f.oid, source: r.source });
			params.onProgress?.({ path: f.path, loaded: r.size, total: r.size, filesDone: files.length, filesTotal: selected.length });
		}
	};
	const stopping = () =>
		worker().catch((e: unknown) => {
			stop.abort(e);
			throw e;
		});
	try {
		await Promise.all(Array.from({ length: Math.max(1, Math.min(filesAtOnce, selected.length)) }, stopping));
	} finally {
		outer?.removeEventListener("abort", onAbort);
	}
	files.sort((a, b) => (a.path < b.path ? -1 : 1));
	return { commitOid: commit, commit, files, offlineFallback };
}
