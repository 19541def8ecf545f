/**
 * (Node only.) `@huggingface/hub`'s `downloadFileToCacheDir`: downloads a file into the
 * `huggingface_hub` cache folder and returns its path there
 * (`<cache>/models--ns--name/snapshots/<commit>/<path>`), verified, resumable, shared with Python.
 */
import { join } from "node:path";
import { FileSystemCache, repoFolderName } from "./cache/filesystem.js";
import { cachedDownload, checkDownload, type DownloadFileWithInfoParams } from "./download-cached.js";
import { check, STRING } from "./check.js";
import { HubError } from "./error.js";
import { fileTarget } from "./module-files.js";

export interface DownloadFileToCacheDirParams extends Omit<DownloadFileWithInfoParams, "cache" | "range" | "raw"> {
	/** The cache root; default: `HF_HUB_CACHE`, `HF_HOME/hub`, or `~/.cache/huggingface/hub`. */
	cacheDir?: string;
}

export async function downloadFileToCacheDir(params: DownloadFileToCacheDirParams): Promise<string> {
	check("downloadFileToCacheDir", params, { cacheDir: STRING });
	const cache = new FileSystemCache(params.cacheDir == null ? {} : { cacheDir: params.cacheDir });
	// Always the whole file, into that folder, whatever a JS caller adds.
	const whole = { ...params, cache, raw: false, range: undefined };
	const r = await cachedDownload(whole, checkDownload("downloadFileToCacheDir", whole));
	if (!r) throw new HubError({ code: "EntryNotFound", message: `${params.path} does not exist at ${params.revision ?? "main"}` });
	if (!r.commitOid) throw new HubError({ code: "Storage", message: `${params.path} was downloaded but not cached` });
	const target = await fileTarget({ repo: params.repo, revision: r.commitOid, path: params.path });
	return join(cache.root, repoFolderName(target.repoKey), "snapshots", r.commitOid, ...target.path.split("/"));
}
