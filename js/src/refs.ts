/**
 * A repo's branches, tags and history: stubs (see `lazy.ts`) whose code is in `refs-impl.ts` and
 * runs in the `refs` module.
 */
import type { CountCommitsParams } from "./count-commits.js";
import type { CreateBranchParams } from "./create-branch.js";
import type { CreateTagParams } from "./create-tag.js";
import type { DeleteBranchParams } from "./delete-branch.js";
import type { DeleteTagParams } from "./delete-tag.js";
import { later, laterGen, type Later, type LaterList } from "./lazy.js";
import type { CommitData, ListCommitsParams } from "./list-commits.js";
import type { ListRepoRefsOutput, ListRepoRefsParams } from "./list-repo-refs.js";

/** A repo's branches, tags and converts (and pull-request refs if asked), each with the commit it points to. */
export const listRepoRefs = later("listRepoRefs") as Later<ListRepoRefsParams, ListRepoRefsOutput>;
/** Creates a branch. */
export const createBranch = later("createBranch") as Later<CreateBranchParams, void>;
/** Deletes a branch; its commits stay reachable from other refs that point to them. */
export const deleteBranch = later("deleteBranch") as Later<DeleteBranchParams, void>;
/** Tags a revision (`huggingface_hub`'s `create_tag`); an existing tag is a `Conflict`. */
export const createTag = later("createTag") as Later<CreateTagParams, void>;
/** Deletes a tag. */
export const deleteTag = later("deleteTag") as Later<DeleteTagParams, void>;
/** A revision's history, newest first, fetched a page at a time as it is read. */
export const listCommits = laterGen("listCommits") as LaterList<ListCommitsParams, CommitData>;
/** How many commits a revision's history has (one small request). */
export const countCommits = later("countCommits") as Later<CountCommitsParams, number>;
