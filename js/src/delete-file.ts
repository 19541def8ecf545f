import type { CommitOutput } from "./commit.js";
import { check, STRING } from "./check.js";
import { deleteAs, type DeleteFilesParams } from "./delete-files.js";

export interface DeleteFileParams extends Omit<DeleteFilesParams, "paths"> {
	path: string;
}

/** Deletes one file in one commit. */
export async function deleteFile(params: DeleteFileParams): Promise<CommitOutput> {
	check("deleteFile", params, { path: STRING }, ["path"]);
	const { path, ...rest } = params;
	return deleteAs("deleteFile", { ...rest, paths: [path], commitTitle: params.commitTitle ?? `Delete ${path}` });
}
