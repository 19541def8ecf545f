import type { CommitOutput } from "./commit.js";
import { deleteFiles, type DeleteFilesParams } from "./delete-files.js";

export interface DeleteFileParams extends Omit<DeleteFilesParams, "paths"> {
	path: string;
}

/** Deletes one file in one commit. */
export async function deleteFile(params: DeleteFileParams): Promise<CommitOutput> {
	const { path, ...rest } = params;
	return deleteFiles({ ...rest, paths: [path], commitTitle: params.commitTitle ?? `Delete ${path}` });
}
