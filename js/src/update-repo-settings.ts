import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { reposCall } from "./module-repos.js";

export interface UpdateRepoSettingsParams extends Omit<RepoParams, "revision"> {
	/** Make the repo private (`true`) or public (`false`). */
	private?: boolean;
	/** `"public"`, `"private"`, or for Spaces `"protected"`. */
	visibility?: "public" | "private" | "protected";
	/** Gate the repo's files: requests accepted at once (`"auto"`) or by the owner (`"manual"`); `false` lifts the gate. */
	gated?: "auto" | "manual" | false;
}

/** Changes a repo's visibility or gating (`huggingface_hub`'s `update_repo_settings`); at least one is required. */
export async function updateRepoSettings(params: UpdateRepoSettingsParams): Promise<void> {
	check("updateRepoSettings", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { private: params.private, visibility: params.visibility, gated: params.gated });
	await reposCall("updateRepoSettings", wire, fetch, signal);
}
