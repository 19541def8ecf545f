/** The options and results of `createTag` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";

export interface CreateTagParams extends RepoParams {
	/** The tag's name, e.g. `"v1.0"` (not `refs/tags/v1.0`). */
	tag: string;
	/** A message stored with the tag. */
	tagMessage?: string;
	/** What is tagged: a branch, tag or commit (`main` when absent). */
	revision?: string;
}
