import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";
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

/** A repo's branches, tags and converts (and pull-request refs if asked), each with the commit it points to. */
export async function listRepoRefs(params: ListRepoRefsParams): Promise<ListRepoRefsOutput> {
	check("listRepoRefs", params, {}, ["repo"]);
	const prs = params.includePullRequests ?? false;
	const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { includePullRequests: prs });
	const refs = await refsCall("listRepoRefs", wire, fetch, signal);
	return prs ? { ...refs, pullRequests: refs.pullRequests ?? [] } : refs;
}
