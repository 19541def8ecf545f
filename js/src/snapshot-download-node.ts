/**
 * (Node.) `snapshotDownload` with `@huggingface/hub`'s Node defaults: without a `cache`, files go
 * into the `huggingface_hub` cache folder (`cacheDir`, else `HF_HUB_CACHE` / `HF_HOME/hub` /
 * `~/.cache/huggingface/hub`), and the result names the snapshot `folder` there.
 */
import { join } from "node:path";
import { check, STRING } from "./check.js";
import { FileSystemCache, repoFolderName } from "./cache/filesystem.js";
import {
	snapshotDownload as snapshotInto,
	type SnapshotDownloadParams,
	type SnapshotDownloadResult,
} from "./snapshot-download.js";
import { repoKeyOf } from "./module-files.js";

export interface NodeSnapshotDownloadParams extends SnapshotDownloadParams {
	/** The cache root when no `cache` is given. */
	cacheDir?: string;
}

export interface NodeSnapshotDownloadResult extends SnapshotDownloadResult {
	/** `<cache>/models--ns--name/snapshots/<commit>`, when the cache is the folder layout. */
	folder?: string;
}

export async function snapshotDownload(params: NodeSnapshotDownloadParams): Promise<NodeSnapshotDownloadResult> {
	check("snapshotDownload", params, { cacheDir: STRING });
	const own = params.cache == null || params.cache === true;
	const cache = own ? new FileSystemCache(params.cacheDir == null ? {} : { cacheDir: params.cacheDir }) : params.cache;
	const r = await snapshotInto({ ...params, cache });
	if (!(cache instanceof FileSystemCache)) return r;
	const repoKey = await repoKeyOf({ repo: params.repo });
	return { ...r, folder: join(cache.root, repoFolderName(repoKey), "snapshots", r.commitOid) };
}
