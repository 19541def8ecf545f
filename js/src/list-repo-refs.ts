/** The options and results of `listRepoRefs` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";
import type { GitRef, GitRefs } from "./wire.js";

export type { GitRef };

export interface ListRepoRefsParams extends Omit<RepoParams, "revision"> {
	/** List the pull requests' refs (`refs/pr/N`) too. */
	includePullRequests?: boolean;
}

export interface ListRepoRefsOutput extends GitRefs {
	/** With `includePullRequests` only. */
	pullRequests?: GitRef[];
}
