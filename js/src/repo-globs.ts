import { filterPaths } from "./glob.js";
import { listFiles } from "./list-files.js";
import { revisionOf } from "./params.js";
import type { RepoParams } from "./types.js";

/**
 * The repo's files (at the branch a commit goes to) that `patterns` select, fnmatch rules as
 * `huggingface_hub`'s `delete_patterns` (`*` crosses `/`, a trailing `/` is a folder):
 * what `deletePatterns` of `deleteFiles` and `uploadFiles` delete. One recursive listing.
 */
export async function repoFilesMatching(params: RepoParams & { branch?: string }, patterns: string | string[]): Promise<string[]> {
	const keep = filterPaths(patterns, null);
	const out: string[] = [];
	for await (const e of listFiles({ ...params, revision: revisionOf(params), recursive: true })) {
		if (e.type === "file" && keep(e.path)) out.push(e.path);
	}
	return out;
}
