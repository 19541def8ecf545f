/**
 * Repo administration: `moveRepo`, `updateRepoSettings`, `duplicateRepo`: stubs (see `lazy.ts`)
 * whose code is in `manage-impl.ts` and runs in the `manage` module.
 */
import type { DuplicateRepoParams } from "./duplicate-repo.js";
import { later, type Later } from "./lazy.js";
import type { MoveRepoParams } from "./move-repo.js";
import type { UpdateRepoSettingsParams } from "./update-repo-settings.js";

/**
 * Copies a repo on the Hub, its history and files with it, under a new id (`huggingface_hub`'s
 * `duplicate_repo`): nothing passes through the page. A taken `toRepo` is a `Conflict` unless
 * `existOk`.
 */
export const duplicateRepo = later("duplicateRepo") as Later<DuplicateRepoParams, { repoUrl: string }>;
/**
 * Renames a repo or moves it to another namespace (`huggingface_hub`'s `move_repo`). The old id
 * keeps answering with a redirect to the new one; a taken new id is a `Conflict`.
 */
export const moveRepo = later("moveRepo") as Later<MoveRepoParams, void>;
/** Changes a repo's visibility or gating (`huggingface_hub`'s `update_repo_settings`); at least one is required. */
export const updateRepoSettings = later("updateRepoSettings") as Later<UpdateRepoSettingsParams, void>;
