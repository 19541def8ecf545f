import { check, COUNT } from "./check.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { refsCall } from "./module-refs.js";
import type { CommitAuthor } from "./wire.js";

export type { CommitAuthor };

/** One commit of a history (`@huggingface/hub`'s `CommitData`). */
export interface CommitData {
	oid: string;
	title: string;
	message: string;
	authors: CommitAuthor[];
	date: Date;
}

export interface ListCommitsParams extends RepoParams {
	/** Commits per request (100 when absent). */
	batchSize?: number;
}

/** A revision's history, newest first, fetched a page at a time as it is read. */
export async function* listCommits(params: ListCommitsParams): AsyncGenerator<CommitData> {
	check("listCommits", params, { batchSize: COUNT }, ["repo"]);
	const { wire, fetch, signal } = splitRepo(params, { batchSize: params.batchSize });
	let next: string | undefined;
	do {
		const page = await refsCall("listCommits", { ...wire, next }, fetch, signal);
		for (const c of page.commits) yield { ...c, date: new Date(c.date) };
		next = page.next ?? undefined;
	} while (next);
}
