import type { CommitOutput } from "./commit.js";
import { check } from "./check.js";
import { commitAs } from "./commit.js";
import { commitParams, type UploadFilesParams, type UploadSource } from "./upload-files.js";

export interface UploadFileParams extends Omit<UploadFilesParams, "files"> {
	file: UploadSource;
}

/** Uploads one file in one commit. */
export async function uploadFile(params: UploadFileParams): Promise<CommitOutput> {
	check("uploadFile", params, {}, ["file"]);
	const { file, ...rest } = params;
	return commitAs("uploadFile", commitParams("uploadFile", { ...rest, files: [file] }));
}
