/** The options and results of `listCommits` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";
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
