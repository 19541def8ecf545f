import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { filesCall } from "./module-files.js";

export interface ResolveRevisionParams extends RepoParams {}

/**
 * The commit a branch, tag or `refs/pr/N` points to now (a commit id resolves to itself once
 * the Hub confirmed it): pin it to read a consistent snapshot while the branch moves on.
 */
export async function resolveRevision(params: ResolveRevisionParams): Promise<string> {
	check("resolveRevision", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, {});
	return filesCall("revisionCommit", wire, fetch, signal);
}
