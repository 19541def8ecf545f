import { check, REPO } from "./check.js";
import type { RepoKey } from "./cache/store.js";
import type { RepoDesignation } from "./types.js";
import { repoKeyOf } from "./module-files.js";

export interface RepoKeyParams {
	repo: RepoDesignation;
}

/**
 * The key a repo is cached under (`listCachedFiles`'s `repo`): `models/ns/name`,
 * `datasets/ns/name`, `spaces/ns/name` or `kernels/ns/name`. A bad repo id is `InvalidInput`.
 */
export async function repoKey(params: RepoKeyParams): Promise<RepoKey> {
	check("repoKey", params, { repo: REPO }, ["repo"]);
	return repoKeyOf({ repo: params.repo });
}
