import { check } from "./check.js";
import { HubError } from "./error.js";
import { resolveRevision } from "./resolve-revision.js";
import type { RepoParams } from "./types.js";

export interface RevisionExistsParams extends RepoParams {
	revision: string;
}

/**
 * Whether a revision exists in a repo: `false` for an unknown revision, a `HubError` for a repo
 * that does not exist or cannot be read (as `huggingface_hub`'s `revision_exists`).
 */
export async function revisionExists(params: RevisionExistsParams): Promise<boolean> {
	check("revisionExists", params, { revision: ["a branch, tag or commit id", (v) => typeof v === "string" && v !== ""] }, ["repo", "revision"]);
	try {
		await resolveRevision(params);
		return true;
	} catch (e) {
		if (e instanceof HubError && e.code === "RevisionNotFound") return false;
		throw e;
	}
}
