import { check, STRING, STRINGS } from "./check.js";
import { commitAs, type CommitOutput, type CommitParams } from "./commit.js";

export interface DeleteFilesParams extends Omit<CommitParams, "title" | "operations"> {
	paths: string[];
	commitTitle?: string;
	commitDescription?: string;
}

/** Deletes several files in one commit. */
export async function deleteFiles(params: DeleteFilesParams): Promise<CommitOutput> {
	return deleteAs("deleteFiles", params);
}

/** `deleteFiles`, with errors naming `fn`. */
export async function deleteAs(fn: string, params: DeleteFilesParams): Promise<CommitOutput> {
	check(fn, params, { paths: STRINGS, commitTitle: STRING, commitDescription: STRING }, ["repo", "paths"]);
	return commitAs(fn, {
		...params,
		title: params.commitTitle ?? `Delete ${params.paths.length} files`,
		description: params.commitDescription,
		operations: params.paths.map((path) => ({ operation: "delete", path })),
	});
}
