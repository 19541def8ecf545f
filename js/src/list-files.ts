import { check } from "./check.js";
import { splitRepo } from "./params.js";
import type { ListFileEntry, RepoParams } from "./types.js";
import { filesCall } from "./module-files.js";

export interface ListFilesParams extends RepoParams {
	/** List sub-folders too. */
	recursive?: boolean;
	/** A folder to list instead of the repo root, e.g. `"data"`. */
	path?: string;
	/** Fetch `lastCommit` and `securityFileStatus` for each entry (smaller pages, slower). */
	expand?: boolean;
}

/**
 * Lists files and folders, following the Hub's pagination until the last page. Pass
 * `recursive: true` to list the whole tree.
 */
export async function* listFiles(params: ListFilesParams): AsyncGenerator<ListFileEntry> {
	check("listFiles", params, {}, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, {
		path: params.path,
		recursive: params.recursive ?? false,
		expand: params.expand ?? false,
	});
	let next: string | undefined;
	do {
		const page = await filesCall("listFiles", { ...wire, next }, fetch, signal);
		yield* page.entries;
		next = page.next ?? undefined;
	} while (next);
}
