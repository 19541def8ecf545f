import { check, isObject, PATTERNS, STRING, STRINGS } from "./check.js";
import { commitAs, type CommitOutput, type CommitParams } from "./commit.js";
import { HubError } from "./error.js";
import { repoFilesMatching } from "./repo-globs.js";

export interface DeleteFilesParams extends Omit<CommitParams, "title" | "operations"> {
	/** The files to delete (required unless `deletePatterns` is given). */
	paths?: string[];
	/** Delete the files these globs select too (fnmatch, as `huggingface_hub`'s `delete_patterns`;
	 * `"logs/"` is a folder): one listing of the repo, then one commit. */
	deletePatterns?: string | string[];
	commitTitle?: string;
	commitDescription?: string;
}

/** Deletes several files (named, or selected by `deletePatterns`) in one commit. */
export async function deleteFiles(params: DeleteFilesParams): Promise<CommitOutput> {
	return deleteAs("deleteFiles", params);
}

/** `deleteFiles`, with errors naming `fn`. */
export async function deleteAs(fn: string, params: DeleteFilesParams): Promise<CommitOutput> {
	// `paths` may be left out when patterns are given (checked first: `params` may be anything).
	const globs = isObject(params) && params.deletePatterns != null;
	check(fn, params, { paths: STRINGS, deletePatterns: PATTERNS, commitTitle: STRING, commitDescription: STRING }, globs ? ["repo"] : ["repo", "paths"]);
	const paths = [...new Set([...(params.paths ?? []), ...(params.deletePatterns == null ? [] : await repoFilesMatching(params, params.deletePatterns))])];
	if (paths.length === 0) throw new HubError({ code: "EntryNotFound", message: `${fn}: deletePatterns select no file of the repo, and no paths were given: nothing to delete` });
	return commitAs(fn, {
		...params,
		title: params.commitTitle ?? `Delete ${paths.length} files`,
		description: params.commitDescription,
		operations: paths.map((path) => ({ operation: "delete", path })),
	});
}
