import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { apiCall } from "./module-api.js";

export interface CreateRepoParams extends Omit<RepoParams, "revision"> {
	private?: boolean;
	license?: string;
	/** Required for Spaces: "gradio", "streamlit", "docker" or "static". */
	sdk?: string;
}

/**
 * Creates a model, dataset or Space repo. If it exists already, rejects with a `HubError`
 * whose `code` is `Conflict`.
 */
export async function createRepo(params: CreateRepoParams): Promise<{ repoUrl: string }> {
	check("createRepo", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, { private: params.private ?? false, license: params.license, sdk: params.sdk });
	const out = await apiCall("createRepo", wire, fetch, signal);
	return { repoUrl: out.url };
}
