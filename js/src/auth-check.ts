import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { apiCall } from "./module-api.js";

export interface AuthCheckParams extends Omit<RepoParams, "revision"> {
	/** Check that the token may write (commit, create branches) instead of read. */
	write?: boolean;
}

/**
 * Resolves when the caller may read (download) the repo, or with `write: true` write to it;
 * otherwise rejects with a `HubError`: `RepoNotFound` (missing, or private to others),
 * `GatedRepo` (request access on the repo's page first), `AuthRequired` (no or a bad token),
 * `Forbidden` (a read-only token asked to write). Ask before the work: an upload page can refuse
 * a read-only token before hashing gigabytes (`huggingface_hub`'s `auth_check`).
 */
export async function authCheck(params: AuthCheckParams): Promise<void> {
	check("authCheck", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { write: params.write ?? false });
	await apiCall("authCheck", wire, fetch, signal);
}
