import { check, invalid } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { reposCall } from "./module-repos.js";

export interface CreateRepoParams extends Omit<RepoParams, "revision"> {
	private?: boolean;
	/** `"public"`, `"private"`, or for Spaces `"protected"` (page public, files private); instead of `private`. */
	visibility?: "public" | "private" | "protected";
	license?: string;
	/** Required for Spaces: "gradio", "streamlit", "docker" or "static". */
	sdk?: string;
	/**
	 * Small files (10 MiB at most each) of the repo's first commit, sent with the create request
	 * as `@huggingface/hub` does; upload larger ones after (`uploadFiles` sends them by LFS).
	 */
	files?: { path: string; content: Blob | ArrayBuffer | ArrayBufferView | string }[];
}

/**
 * Creates a model, dataset or Space repo. If it exists already, rejects with a `HubError`
 * whose `code` is `Conflict`.
 */
export async function createRepo(params: CreateRepoParams): Promise<{ repoUrl: string; id?: string }> {
	check("createRepo", params, {}, ["repo"]);
	// Read and encoded by code that comes with the first call that has files.
	const files = params.files && (await import("./create-repo-files.js").then((m) => m.encode(params.files!, invalid)));
	const { wire, fetch, signal } = splitRepo(params, { private: params.private, license: params.license, sdk: params.sdk, visibility: params.visibility, files });
	// `{ repoUrl, id? }`: `id` is the Hub's id of the repo (not its name), as `@huggingface/hub` returns it.
	return reposCall("createRepo", wire, fetch, signal);
}
