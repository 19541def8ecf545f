import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";

export interface CreateBranchParams extends Omit<RepoParams, "revision"> {
	/** The new branch's name, e.g. `"dev"` (not `refs/heads/dev`). */
	branch: string;
	/** Where it starts: a branch, tag or commit (`main` when absent). */
	revision?: string;
	/** A branch with no history (no files) instead. */
	empty?: boolean;
	/** Move the branch to `revision` if it exists; without it an existing branch is a `Conflict`. */
	overwrite?: boolean;
}

/** Creates a branch. */
export async function createBranch(params: CreateBranchParams): Promise<void> {
	check("createBranch", params, {}, ["repo", "branch"]);
	const { wire, fetch, signal } = splitRepo(params, { branch: params.branch, empty: params.empty ?? false, overwrite: params.overwrite ?? false });
	await refsCall("createBranch", wire, fetch, signal);
}
