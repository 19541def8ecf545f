import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";

export interface DeleteTagParams extends Omit<RepoParams, "revision"> {
	/** The tag to delete. */
	tag: string;
}

/** Deletes a tag. */
export async function deleteTag(params: DeleteTagParams): Promise<void> {
	check("deleteTag", params, {}, ["repo", "tag"]);
	const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { tag: params.tag });
	await refsCall("deleteTag", wire, fetch, signal);
}
