import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";

export interface CountCommitsParams extends RepoParams {}

/** How many commits a revision's history has (one small request). */
export async function countCommits(params: CountCommitsParams): Promise<number> {
	check("countCommits", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, {});
	return refsCall("countCommits", wire, fetch, signal);
}
