import { check, invalid, isObject, STRING } from "./check.js";
import { commitAs, type CommitOutput, type CommitParams } from "./commit.js";
import { isContent, type ContentSource } from "./content.js";
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

/** The commit an upload makes, its options checked first (errors name `fn`). */
export function commitParams(fn: string, params: UploadFilesParams): CommitParams {
	check(fn, params, { files: ["an array of files", Array.isArray], commitTitle: STRING, commitDescription: STRING }, ["repo", "files"]);
	const operations = params.files.map((f, i) => {
		if (!((f instanceof URL && isContent(f)) || (typeof File !== "undefined" && f instanceof File) || (isObject(f) && typeof f.path === "string" && isContent(f.content)))) {
			throw invalid(fn, `files[${i}]`, "a File, an http(s) URL or { path, content }", f);
		}
		return toOperation(f);
	});
	const title =
		params.commitTitle ?? (operations.length === 1 ? `Add ${operations[0]!.path}` : `Add ${operations.length} files`);
	return { ...params, title, description: params.commitDescription, operations };
}

/** Uploads several files in one commit. */
export async function uploadFiles(params: UploadFilesParams): Promise<CommitOutput> {
	return commitAs("uploadFiles", commitParams("uploadFiles", params));
}
