import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { wasm } from "./wasm.js";

export interface FileExistsParams extends RepoParams {
	path: string;
}

/**
 * Whether a file exists at the revision. Folders are not files. A missing repo or revision is
 * an error (`RepoNotFound`, `RevisionNotFound`), not `false`.
 */
export async function fileExists(params: FileExistsParams): Promise<boolean> {
	const { wire, fetch, signal } = splitRepo(params, { path: params.path });
	const w = await wasm();
	return w.call("fileExists", wire, fetch, signal);
}
