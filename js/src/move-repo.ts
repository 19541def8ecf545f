/** The options of `moveRepo` (its code is in `manage-impl.ts`, loaded by its first call). */
import type { CommonParams, RepoDesignation } from "./types.js";

export interface MoveRepoParams extends CommonParams {
	/** The repo to move: `"ns/name"`, `"datasets/ns/name"`, … or `{ type, name }`. */
	fromRepo: RepoDesignation;
	/** Its new id, `"namespace/name"` (same type): a new name, another namespace, or both. */
	toRepo: string;
}
