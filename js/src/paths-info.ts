import { check, STRINGS } from "./check.js";
import { splitRepo } from "./params.js";
import type { PathInfo, RepoParams } from "./types.js";
import { filesCall } from "./module-files.js";

export interface PathsInfoParams extends RepoParams {
	paths: string[];
	/** Also fetch `lastCommit` and `securityFileStatus`. */
	expand?: boolean;
}

/** Metadata of the given paths; paths that do not exist are left out. */
export async function pathsInfo(params: PathsInfoParams): Promise<PathInfo[]> {
	check("pathsInfo", params, { paths: STRINGS }, ["repo", "paths"]);
	const { wire, fetch, signal } = splitRepo(params, {
		paths: params.paths,
		expand: params.expand ?? false,
	});
	const entries = await filesCall("pathsInfo", wire, fetch, signal);
	return entries.map(({ lastCommit, ...rest }) =>
		lastCommit ? { ...rest, lastCommit: { ...lastCommit, date: new Date(lastCommit.date) } } : rest,
	);
}
