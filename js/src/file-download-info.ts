import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { FileDownloadInfoOutput, RepoParams } from "./types.js";
import { apiCall } from "./module-api.js";

export interface FileDownloadInfoParams extends RepoParams {
	path: string;
	/** Describe the raw git file (the pointer, for LFS files). */
	raw?: boolean;
}

/**
 * Size, etag and xet details of a file, or `null` when it does not exist. Works in browsers,
 * where the Hub's redirect headers are invisible, by probing one byte and falling back to
 * `paths-info`.
 */
export async function fileDownloadInfo(params: FileDownloadInfoParams): Promise<FileDownloadInfoOutput | null> {
	check("fileDownloadInfo", params, {}, ["repo", "path"]);
	const { wire, fetch, signal } = splitRepo(params, { path: params.path, raw: params.raw ?? false });
	const info = await apiCall("fileDownloadInfo", wire, fetch, signal);
	return info && info.commitHash !== undefined ? { ...info, commitOid: info.commitHash } : info;
}
