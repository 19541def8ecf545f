import { commit, type CommitOutput, type CommitParams } from "./commit.js";
import type { ContentSource } from "./content.js";
import { HubError } from "./error.js";

/** A file to upload: a `File` (its name is the path), a `URL` (its last segment), or both given. */
export type UploadSource = File | URL | { path: string; content: ContentSource };

export interface UploadFilesParams extends Omit<CommitParams, "title" | "operations"> {
	files: UploadSource[];
	commitTitle?: string;
	commitDescription?: string;
}

/** The repo path and content of one source. */
export function toOperation(f: UploadSource): { operation: "addOrUpdate"; path: string; content: ContentSource } {
	if (f instanceof URL) {
		let name = "";
		try {
			name = decodeURIComponent(f.pathname.split("/").pop() ?? "");
		} catch {
			throw new HubError({ code: "InvalidInput", message: `cannot name a file after ${f.href}: its last segment is not valid percent-encoding` });
		}
		if (!name) throw new HubError({ code: "InvalidInput", message: `cannot name a file after ${f.href}: give { path, content }` });
		return { operation: "addOrUpdate", path: name, content: f };
	}
	if (typeof File !== "undefined" && f instanceof File) {
		// Files picked from a folder keep their relative path.
		const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
		return { operation: "addOrUpdate", path: rel || f.name, content: f };
	}
	const o = f as { path: string; content: ContentSource };
	return { operation: "addOrUpdate", path: o.path, content: o.content };
}

export function commitParams(params: UploadFilesParams): CommitParams {
	const operations = params.files.map(toOperation);
	const title =
		params.commitTitle ?? (operations.length === 1 ? `Add ${operations[0]!.path}` : `Add ${operations.length} files`);
	return { ...params, title, description: params.commitDescription, operations };
}

/** Uploads several files in one commit. */
export async function uploadFiles(params: UploadFilesParams): Promise<CommitOutput> {
	return commit(commitParams(params));
}
