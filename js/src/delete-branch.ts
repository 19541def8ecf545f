import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";

export interface DeleteBranchParams extends Omit<RepoParams, "revision"> {
	/** The branch to delete (the Hub refuses `main`). */
	branch: string;
}

/** Deletes a branch; its commits stay reachable from other refs that point to them. */
export async function deleteBranch(params: DeleteBranchParams): Promise<void> {
	check("deleteBranch", params, {}, ["repo", "branch"]);
	const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { branch: params.branch });
	await refsCall("deleteBranch", wire, fetch, signal);
}
