/** The options and results of `createBranch` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";

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
