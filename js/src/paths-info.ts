import { splitRepo } from "./params.js";
import type { PathInfo, RepoParams } from "./types.js";
import { wasm } from "./wasm.js";

export interface PathsInfoParams extends RepoParams {
	paths: string[];
	/** Also fetch `lastCommit` and `securityFileStatus`. */
	expand?: boolean;
}

interface RawPathInfo extends Omit<PathInfo, "lastCommit"> {
	lastCommit?: { date: string; id: string; title: string };
}

/** Metadata of the given paths; paths that do not exist are left out. */
export async function pathsInfo(params: PathsInfoParams): Promise<PathInfo[]> {
	const { wire, fetch, signal } = splitRepo(params, {
		paths: params.paths,
		expand: params.expand ?? false,
	});
	const w = await wasm();
	const raw = (await w.pathsInfo(wire, fetch, signal)) as RawPathInfo[];
	return raw.map(({ lastCommit, ...rest }) =>
		lastCommit ? { ...rest, lastCommit: { ...lastCommit, date: new Date(lastCommit.date) } } : rest,
	);
}
