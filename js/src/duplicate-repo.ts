/** The options of `duplicateRepo` (its code is in `manage-impl.ts`, loaded by its first call). */
import type { CommonParams, RepoDesignation } from "./types.js";

/** A secret or variable of a duplicated Space. */
export interface SpaceSetting {
	key: string;
	value: string;
	description?: string;
}

export interface DuplicateRepoParams extends CommonParams {
	/** The repo to copy: `"ns/name"`, `"datasets/ns/name"`, `"spaces/ns/name"` or `{ type, name }`. */
	fromRepo: RepoDesignation;
	/**
	 * The copy's id, `"namespace/name"` (same type). A bare name, or none (the source's name), is
	 * in the token owner's namespace, found with one `whoAmI` request.
	 */
	toRepo?: string;
	/** Make the copy private (`true`) or public (`false`); as the source when neither this nor `visibility` is given. */
	private?: boolean;
	/** `"public"`, `"private"`, or for Spaces `"protected"`. */
	visibility?: "public" | "private" | "protected";
	/** A taken `toRepo` is no error: its URL is returned (as `huggingface_hub`'s `exist_ok`). */
	existOk?: boolean;
	/** Spaces: the hardware the copy runs on, e.g. `"cpu-basic"`, `"t4-small"`. */
	spaceHardware?: string;
	/** Spaces: a persistent storage tier, `"small"`, `"medium"` or `"large"`. */
	spaceStorage?: string;
	/** Spaces: seconds of inactivity before the copy sleeps, `-1` for never (upgraded hardware only). */
	spaceSleepTime?: number;
	/** Spaces: secrets of the copy. */
	spaceSecrets?: SpaceSetting[];
	/** Spaces: public variables of the copy. */
	spaceVariables?: SpaceSetting[];
}
