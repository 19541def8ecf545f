/** The options and results of `deleteBranch` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";

export interface DeleteBranchParams extends Omit<RepoParams, "revision"> {
	/** The branch to delete (the Hub refuses `main`). */
	branch: string;
}
