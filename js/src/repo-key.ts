import type { RepoKey } from "./cache/store.js";
import type { RepoDesignation } from "./types.js";
import { wasm } from "./wasm.js";

export interface RepoKeyParams {
	repo: RepoDesignation;
}

/**
 * The key a repo is cached under (`listCachedFiles`'s `repo`): `models/ns/name`,
 * `datasets/ns/name`, `spaces/ns/name` or `kernels/ns/name`. A bad repo id is `InvalidInput`.
 */
export async function repoKey(params: RepoKeyParams): Promise<RepoKey> {
	const w = await wasm();
	return w.repoKey({ repo: params.repo });
}
