import { commit, type CommitOutput, type CommitParams } from "./commit.js";

export interface DeleteFilesParams extends Omit<CommitParams, "title" | "operations"> {
	paths: string[];
	commitTitle?: string;
	commitDescription?: string;
}

/** Deletes several files in one commit. */
export async function deleteFiles(params: DeleteFilesParams): Promise<CommitOutput> {
	return commit({
		...params,
		title: params.commitTitle ?? `Delete ${params.paths.length} files`,
		description: params.commitDescription,
		operations: params.paths.map((path) => ({ operation: "delete", path })),
	});
}
