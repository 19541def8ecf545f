/** The options of `updateRepoSettings` (its code is in `manage-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";

export interface UpdateRepoSettingsParams extends Omit<RepoParams, "revision"> {
	/** Make the repo private (`true`) or public (`false`). */
	private?: boolean;
	/** `"public"`, `"private"`, or for Spaces `"protected"`. */
	visibility?: "public" | "private" | "protected";
	/** Gate the repo's files: requests accepted at once (`"auto"`) or by the owner (`"manual"`); `false` lifts the gate. */
	gated?: "auto" | "manual" | false;
}
