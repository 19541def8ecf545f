import { BOOLEAN, check, FUNCTION, invalid, isObject, optionsJson, shown, type Rule } from "./check.js";
import { isContent, readSmallFiles, toBlobLike, type ContentSource } from "./content.js";
import { platformHasher, wasmHasher, type DisposableHasher, type Hasher } from "./hashers.js";
import { HubError } from "./error.js";
import { aliased, concurrencyLimits, revisionOf, splitRepo } from "./params.js";
import type { Concurrency, ConcurrencyLimits, RepoParams } from "./types.js";
import { runCommit } from "./commit-driver.js";
import { unwrap } from "./drive.js";
import { commitModule } from "./module-commit.js";
import type { CommitOptions } from "./wire.js";
import { cachedHasher } from "./hash-cache.js";

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
	/** Its number `N` (the commit is at `refs/pr/N`); hubwasm addition, `pr_num` in Python. */
	pullRequestNum?: number;
	commit: { oid: string; url: string };
	hookOutput: string;
}

/**
 * Per-file and per-phase progress. `progress` is 0..1; `loaded`/`total` (bytes of the file
 * hashed or uploaded so far, and its size: the same names as download progress) are hubwasm
 * additions.
 */
export type CommitProgressEvent =
	| { event: "phase"; phase: "preuploading" | "hashing" | "uploadingLargeFiles" | "committing" }
	| {
			event: "fileProgress";
			path: string;
			state: "hashing" | "uploading" | "committed";
			progress: number;
			/** Bytes of the file hashed or uploaded so far (in the current `state`). */
			loaded: number;
			/** The file's size in bytes. */
			total: number;
			/** @deprecated Use `loaded` (same value); removed in the next release. */
			bytes: number;
	  };

export interface CommitParams extends RepoParams {
	title: string;
	description?: string;
	operations: CommitOperation[];
	/**
	 * The branch to commit to; `@huggingface/hub`'s name for `revision` (the branch to commit to,
	 * default `main`). Give either; both given and different is `InvalidInput`.
	 */
	branch?: string;
	/** Fail with `PreconditionFailed` if the branch moved past this commit. */
	parentCommit?: string;
	/** Open a pull request with this commit instead of committing to the branch. */
	isPullRequest?: boolean;
	/** `huggingface_hub`'s name for `isPullRequest`; both given and different is `InvalidInput`. */
	createPr?: boolean;
	/**
	 * Hash large files (`minSize`, default 1 MiB) in a pool of Web Workers so the page never
	 * freezes. The pool has `poolSize` workers, else `concurrency.hashing`, else one per core (at
	 * most 8).
	 */
	useWebWorkers?: boolean | { minSize?: number; poolSize?: number };
	/**
	 * How much runs at once: a number is files at once (hashed and uploaded), or
	 * `{ files, parts, hashing }`: files uploaded at once (default 4), parts of one multipart file
	 * uploaded at once (default 6), files hashed at once (default 4).
	 */
	concurrency?: Concurrency;
	/** @deprecated Use `concurrency` (the same `{ files, parts, hashing }`); removed in the next
	 * release. Both given with different values is `InvalidInput`. */
	maxConcurrency?: ConcurrencyLimits;
	/** Retries of idempotent steps (default 5, from 500 ms doubling to 8 s, with jitter). */
	retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
	/** Called with each progress event. */
	onProgress?: (event: CommitProgressEvent) => void;
	/** A custom SHA-256 implementation. In browsers, results for `File`s are remembered in
	 * IndexedDB by name, size and last-modified time, so a retried upload does not hash again. */
	hasher?: Hasher;
}

/**
 * The limits of `concurrency` and of the deprecated `maxConcurrency`, merged (a stage set in both
 * to different values is `InvalidInput`); with Web Workers, files hashed at once default to the
 * pool's size.
 */
function commitConcurrency(params: CommitParams): ConcurrencyLimits {
	const current = concurrencyLimits(params.concurrency);
	const old = concurrencyLimits(params.maxConcurrency, "maxConcurrency");
	const out: ConcurrencyLimits = {};
	for (const key of ["files", "parts", "hashing"] as const) {
		if (current[key] !== undefined && old[key] !== undefined && current[key] !== old[key]) {
			throw new HubError({
				code: "InvalidInput",
				message: `concurrency ${shown(params.concurrency)} and maxConcurrency ${shown(params.maxConcurrency)} disagree on ${key}: maxConcurrency is the old name of concurrency, give one of them`,
			});
		}
		out[key] = current[key] ?? old[key];
	}
	const workers = typeof params.useWebWorkers === "object" ? params.useWebWorkers : undefined;
	if (params.useWebWorkers && !params.hasher) out.hashing ??= workers?.poolSize;
	return out;
}

function chooseHasher(params: CommitParams, limits: ConcurrencyLimits): DisposableHasher {
	let chosen: DisposableHasher;
	if (params.hasher) {
		chosen = { hasher: params.hasher, dispose() {} };
	} else if (params.useWebWorkers) {
		const opts = typeof params.useWebWorkers === "object" ? params.useWebWorkers : {};
		// The pool's code comes with the first commit that asks for workers: other pages never load it.
		const pool = import("./worker-pool.js").then((m) => m.workerPoolHasher(opts.poolSize ?? limits.hashing, opts.minSize, platformHasher() ?? wasmHasher));
		pool.catch(() => {}); // a failed load is the first hash's error
		chosen = {
			hasher: async (content, onBytes, signal, path) => (await pool).hasher(content, onBytes, signal, path),
			dispose: () => void pool.then((p) => p.dispose(), () => {}),
		};
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
const KINDS = ["addOrUpdate", "delete", "deleteFolder"];
const WORKERS: Rule = ["true, false or { minSize, poolSize }", (v) => typeof v === "boolean" || isObject(v)];

/** Checks a commit's options and each operation, before anything is read or sent. */
export function checkCommit(fn: string, params: CommitParams): CommitParams {
	check(fn, params, { operations: ["an array of operations", Array.isArray], hasher: FUNCTION, useWebWorkers: WORKERS, createPr: BOOLEAN }, ["repo", "title", "operations"]);
	params.operations.forEach((op: unknown, i) => {
		const at = `operations[${i}]`;
		if (!isObject(op)) throw invalid(fn, at, "an object { operation, path, content? }", op);
		if (!KINDS.includes(op.operation as string)) throw invalid(fn, `${at}.operation`, '"addOrUpdate", "delete" or "deleteFolder"', op.operation);
		if (typeof op.path !== "string") throw invalid(fn, `${at}.path`, "a string", op.path);
		if (op.operation === "addOrUpdate" && !isContent(op.content)) {
			throw invalid(fn, `${at}.content`, "a Blob, File, ArrayBuffer, typed array, string or http(s) URL", op.content);
		}
	});
	return params;
}

export async function commit(params: CommitParams): Promise<CommitOutput> {
	return commitAs("commit", params);
}

/** `commit`, with errors naming `fn` (the public function the caller called). */
export async function commitAs(fn: string, params: CommitParams): Promise<CommitOutput> {
	checkCommit(fn, params);
	const fetchFn = params.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
	// Option names are settled before anything else: a disagreement fails before any request.
	const limits = commitConcurrency(params);
	const { wire, fetch, signal } = splitRepo(
		{ ...params, revision: revisionOf(params) },
		{
			title: params.title,
			description: params.description ?? "",
			parentCommit: params.parentCommit,
			isPullRequest: aliased(["isPullRequest", params.isPullRequest], ["createPr", params.createPr]) ?? false,
			operations: params.operations.map((op): CommitOptions["operations"][number] => ({
				kind: op.operation === "addOrUpdate" ? "add" : op.operation,
				path: op.path,
			})),
			retry: params.retry,
			fileConcurrency: limits.files,
			partConcurrency: limits.parts,
			hashConcurrency: limits.hashing,
		},
	);
	// Bad input fails here, before remote (URL) contents are even looked at (the commit itself
	// checks everything again before its first request: without URLs, once is enough).
	if (params.operations.some((op) => op.operation === "addOrUpdate" && op.content instanceof URL)) {
		// Starting the commit checks everything; sizes are not known yet (nor needed to check).
		const m = await commitModule();
		const sizes = new Float64Array(params.operations.length);
		m.commitEnd(unwrap<{ id: number }>(m.commitStart(optionsJson(fn, wire), sizes)).id);
	} else {
		optionsJson(fn, wire);
	}
	const contents = await readSmallFiles(
		await Promise.all(params.operations.map((op) => (op.operation === "addOrUpdate" ? toBlobLike(op.content, fetchFn) : undefined))),
	);
	const hashing = chooseHasher(params, limits);
	try {
		return await runCommit({
			wire,
			contents,
			fetch,
			signal,
			onProgress: params.onProgress,
			hasher: hashing.hasher,
			files: limits.files ?? 4,
			parts: limits.parts ?? 6,
			hashing: limits.hashing ?? 4,
		});
	} finally {
		hashing.dispose();
	}
}

/** The wasm reports a file's bytes as `bytes`; callers read `loaded`, as in download progress. */

