import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { reposCall } from "./module-repos.js";

export interface DeleteRepoParams extends Omit<RepoParams, "revision"> {}

/** Deletes a repo and everything in it. */
export async function deleteRepo(params: DeleteRepoParams): Promise<void> {
	check("deleteRepo", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, {});
	await reposCall("deleteRepo", wire, fetch, signal);
}
