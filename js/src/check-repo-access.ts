import { authCheck } from "./auth-check.js";
import { check } from "./check.js";
import type { RepoParams } from "./types.js";

export interface CheckRepoAccessParams extends Omit<RepoParams, "revision"> {}

/**
 * Resolves when the caller may read the repo's files (`@huggingface/hub`'s name). Unlike the
 * peer, which reads the repo's info (public for a gated repo), a gated repo the caller was not
 * granted is a `HubError` `GatedRepo`, so "can I download this?" gets the true answer.
 */
export async function checkRepoAccess(params: CheckRepoAccessParams): Promise<void> {
	check("checkRepoAccess", params, {}, ["repo"]);
	await authCheck({ ...params, write: false });
}
