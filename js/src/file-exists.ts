import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { filesCall } from "./module-files.js";

export interface FileExistsParams extends RepoParams {
	path: string;
}

/**
 * Whether a file exists at the revision. Folders are not files. A missing repo or revision is
 * an error (`RepoNotFound`, `RevisionNotFound`), not `false`.
 */
export async function fileExists(params: FileExistsParams): Promise<boolean> {
	check("fileExists", params, {}, ["repo", "path"]);
	const { wire, fetch, signal } = splitRepo(params, { path: params.path });
	return filesCall("fileExists", wire, fetch, signal);
}
