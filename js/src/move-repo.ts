import { check, REPO, STRING } from "./check.js";
import { splitCommon } from "./params.js";
import type { CommonParams, RepoDesignation } from "./types.js";
import { reposCall } from "./module-repos.js";

export interface MoveRepoParams extends CommonParams {
	/** The repo to move: `"ns/name"`, `"datasets/ns/name"`, … or `{ type, name }`. */
	fromRepo: RepoDesignation;
	/** Its new id, `"namespace/name"` (same type): a new name, another namespace, or both. */
	toRepo: string;
}

/**
 * Renames a repo or moves it to another namespace (`huggingface_hub`'s `move_repo`). The old id
 * keeps answering with a redirect to the new one; a taken new id is a `Conflict`.
 */
export async function moveRepo(params: MoveRepoParams): Promise<void> {
	check("moveRepo", params, { fromRepo: REPO, toRepo: STRING }, ["fromRepo", "toRepo"]);
	const { wire, fetch, signal } = splitCommon(params, { fromRepo: params.fromRepo, toRepo: params.toRepo });
	await reposCall("moveRepo", wire, fetch, signal);
}
