/** The options and results of `deleteTag` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";

export interface DeleteTagParams extends Omit<RepoParams, "revision"> {
	/** The tag to delete. */
	tag: string;
}
