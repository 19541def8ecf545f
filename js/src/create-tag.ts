import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";

export interface CreateTagParams extends RepoParams {
	/** The tag's name, e.g. `"v1.0"` (not `refs/tags/v1.0`). */
	tag: string;
	/** A message stored with the tag. */
	tagMessage?: string;
	/** What is tagged: a branch, tag or commit (`main` when absent). */
	revision?: string;
}

/** Tags a revision (`huggingface_hub`'s `create_tag`); an existing tag is a `Conflict`. */
export async function createTag(params: CreateTagParams): Promise<void> {
	check("createTag", params, {}, ["repo", "tag"]);
	const { wire, fetch, signal } = splitRepo(params, { tag: params.tag, tagMessage: params.tagMessage });
	await refsCall("createTag", wire, fetch, signal);
}
