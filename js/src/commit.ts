import { readSmallFiles, toBlobLike, type ContentSource } from "./content.js";
import { platformHasher, type Hasher } from "./hashers.js";
import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { wasm } from "./wasm.js";
import type { CommitOptions } from "./wire.js";
import { cachedHasher } from "./hash-cache.js";
import { wasmHasher, workerPoolHasher, type DisposableHasher } from "./worker-pool.js";

/** Add or replace a file. */
export interface CommitFile {
	operation: "addOrUpdate";
	path: string;
	content: ContentSource;
}

/** Delete a file. */
export interface CommitDeletedEntry {
	operation: "delete";
	path: string;
}

/** Delete a folder and everything under it (hubwasm addition). */
export interface CommitDeletedFolder {
	operation: "deleteFolder";
	path: string;
}

export type CommitOperation = CommitFile | CommitDeletedEntry | CommitDeletedFolder;

export interface CommitOutput {
	/** Set when the commit opened a pull request. */
	pullRequestUrl?: string;
	commit: { oid: string; url: string };
	hookOutput: string;
}

/** Per-file and per-phase progress. `progress` is 0..1; `bytes`/`total` are hubwasm additions. */
export type CommitProgressEvent =
	| { event: "phase"; phase: "preuploading" | "hashing" | "uploadingLargeFiles" | "committing" }
	| {
			event: "fileProgress";
			path: string;
			state: "hashing" | "uploading" | "committed";
			progress: number;
			bytes: number;
			total: number;
	  };

export interface CommitParams extends RepoParams {
	title: string;
	description?: string;
	operations: CommitOperation[];
	/** The branch to commit to (`@huggingface/hub`'s name for `revision`). */
	branch?: string;
	/** Fail with `PreconditionFailed` if the branch moved past this commit. */
	parentCommit?: string;
	/** Open a pull request with this commit instead of committing to the branch. */
	isPullRequest?: boolean;
	/** Hash large files in a pool of Web Workers so the page never freezes. */
	useWebWorkers?: boolean | { minSize?: number; poolSize?: number };
	/** Files uploaded at once (default 4) and parts per multipart file at once (default 6). */
	maxConcurrency?: { files?: number; parts?: number; hashing?: number };
	/** Retries of idempotent steps (default 5, from 500 ms doubling to 8 s, with jitter). */
	retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
	/** Called with each progress event. */
	onProgress?: (event: CommitProgressEvent) => void;
	/** A custom SHA-256 implementation. In browsers, results for `File`s are remembered in
	 * IndexedDB by name, size and last-modified time, so a retried upload does not hash again. */
	hasher?: Hasher;
}

function chooseHasher(params: CommitParams): DisposableHasher {
	let chosen: DisposableHasher;
	if (params.hasher) {
		chosen = { hasher: params.hasher, dispose() {} };
	} else if (params.useWebWorkers) {
		const opts = typeof params.useWebWorkers === "object" ? params.useWebWorkers : {};
		chosen = workerPoolHasher(opts.poolSize, opts.minSize, platformHasher());
	} else {
		chosen = { hasher: platformHasher() ?? wasmHasher, dispose() {} };
	}
	return { hasher: cachedHasher(chosen.hasher), dispose: chosen.dispose };
}

/**
 * Creates one commit: regular files go inline, large files through LFS storage (hashed with
 * bounded memory, uploaded in parallel parts, skipped when the Hub already has them). Idempotent
 * steps are retried; the commit itself only when the Hub provably did not apply it. Aborting
 * cancels everything in flight and no commit is created.
 */
export async function commit(params: CommitParams): Promise<CommitOutput> {
	const fetchFn = params.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
	const { wire, fetch, signal } = splitRepo(
		{ ...params, revision: params.revision ?? params.branch },
		{
			title: params.title,
			description: params.description ?? "",
			parentCommit: params.parentCommit,
			isPullRequest: params.isPullRequest ?? false,
			operations: params.operations.map((op): CommitOptions["operations"][number] => ({
				kind: op.operation === "addOrUpdate" ? "add" : op.operation,
				path: op.path,
			})),
			retry: params.retry,
			fileConcurrency: params.maxConcurrency?.files,
			partConcurrency: params.maxConcurrency?.parts,
			hashConcurrency: params.maxConcurrency?.hashing,
		},
	);
	// Bad input fails here, before remote (URL) contents are even looked at (the commit itself
	// checks everything again before its first request: without URLs, once is enough).
	if (params.operations.some((op) => op.operation === "addOrUpdate" && op.content instanceof URL)) (await wasm()).checkCommit(wire);
	const contents = await readSmallFiles(
		await Promise.all(params.operations.map((op) => (op.operation === "addOrUpdate" ? toBlobLike(op.content, fetchFn) : undefined))),
	);
	const w = await wasm();
	const hashing = chooseHasher(params);
	try {
		return await w.commit(wire, contents, fetch, signal, params.onProgress, hashing.hasher);
	} finally {
		hashing.dispose();
	}
}
