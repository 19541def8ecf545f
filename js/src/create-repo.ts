import { check } from "./check.js";
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
}

/**
 * Creates a model, dataset or Space repo. If it exists already, rejects with a `HubError`
 * whose `code` is `Conflict`.
 */
export async function createRepo(params: CreateRepoParams): Promise<{ repoUrl: string; id?: string }> {
	check("createRepo", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, { private: params.private ?? false, license: params.license, sdk: params.sdk, visibility: params.visibility });
	const out = await reposCall("createRepo", wire, fetch, signal);
	// `id`: the Hub's id of the repo (not its name), as `@huggingface/hub` returns it.
	return out.id == null ? { repoUrl: out.url } : { repoUrl: out.url, id: out.id };
}
