import type { CommitOutput } from "./commit.js";
import { uploadFiles, type UploadFilesParams, type UploadSource } from "./upload-files.js";

export interface UploadFileParams extends Omit<UploadFilesParams, "files"> {
	file: UploadSource;
}

/** Uploads one file in one commit. */
export async function uploadFile(params: UploadFileParams): Promise<CommitOutput> {
	const { file, ...rest } = params;
	return uploadFiles({ ...rest, files: [file] });
}
