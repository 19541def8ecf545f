import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { apiCall } from "./module-api.js";

export interface RepoExistsParams extends RepoParams {}

/** Whether a repo exists (a gated repo exists even if you may not read it); with `revision`,
 * whether it exists and has that branch, tag or commit. */
export async function repoExists(params: RepoExistsParams): Promise<boolean> {
	check("repoExists", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, {});
	return apiCall("repoExists", wire, fetch, signal);
}
