/** Public types, with the names and shapes `@huggingface/hub` uses. */
import type { DownloadInfo, LastCommit, TreeEntry } from "./wire.js";

export type RepoType = "model" | "dataset" | "space" | "kernel";

export interface RepoId {
	name: string;
	type: RepoType;
}

/** `"ns/name"` (a model), `"datasets/ns/name"`, `"spaces/ns/name"`, or `{ type, name }`. */
export type RepoDesignation = RepoId | string;

export interface Credentials {
	accessToken: string;
}

export interface CredentialsParams {
	accessToken?: string;
	/** @deprecated Use `accessToken`; kept for `@huggingface/hub` compatibility. */
	credentials?: Credentials;
}

/** Options every call accepts. */
export interface CommonParams extends CredentialsParams {
	/** Defaults to `https://huggingface.co`. */
	hubUrl?: string;
	/** A custom `fetch` (proxies, Worker service bindings, tests). Defaults to `globalThis.fetch`. */
	fetch?: typeof fetch;
	/** Cancels the call; the promise then rejects with the signal's `AbortError`. */
	abortSignal?: AbortSignal;
	/**
	 * Retries of a request whose connection was lost or that was answered 408, 429 or 5xx (a
	 * download cut mid-body resumes from the bytes received), honouring `Retry-After`: default 5
	 * retries, from 500 ms doubling to 8 s, with jitter. Writes are repeated only when the Hub
	 * provably did not apply them.
	 */
	retry?: RetryOptions;
}

/** Retries after the first attempt (`maxRetries`) and their backoff, in ms. */
export interface RetryOptions {
	maxRetries?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
}

export interface RepoParams extends CommonParams {
	repo: RepoDesignation;
	/** Branch, tag, `refs/pr/N` or commit id. Defaults to `main`. */
	revision?: string;
}

/** One file or folder of a listing, as the Hub describes it (`@huggingface/hub`'s shape). */
export type ListFileEntry = TreeEntry;

/** One path's metadata; with `expand`, `lastCommit.date` is a `Date`. */
export type PathInfo = Omit<TreeEntry, "lastCommit"> & {
	/** Only with `expand: true`. */
	lastCommit?: Omit<LastCommit, "date"> & { date: Date };
};

/** Size, etag (quoted, as in the `ETag` header), xet details and URL of a file; `commitOid`
 * is a hubwasm addition. */
export type FileDownloadInfoOutput = Omit<DownloadInfo, "commitHash"> & {
	/** The commit the revision resolved to, when the Hub said (hubwasm addition). */
	commitOid?: string;
	/** @deprecated Use `commitOid` (same value); removed in the next release. */
	commitHash?: string;
};

/**
 * How much runs at once, in every call that runs work in parallel: a number is how many files
 * at once (hashed, uploaded or downloaded); the object sets each stage on its own.
 */
export type Concurrency = number | ConcurrencyLimits;

/** Each stage's limit (whole numbers of at least 1); a stage left out keeps its default. */
export interface ConcurrencyLimits {
	/** Files uploaded (commits) or downloaded (snapshots) at once. Default 4. */
	files?: number;
	/** Parts of one multipart LFS file uploaded at once. Default 6. */
	parts?: number;
	/** Files hashed at once; with `useWebWorkers`, also the pool's size unless `poolSize` says.
	 * Default 4. */
	hashing?: number;
}

export interface WhoAmIUser {
	type: "user";
	id: string;
	name: string;
	fullname: string;
	email: string;
	emailVerified: boolean;
	avatarUrl: string;
	isPro: boolean;
	canPay: boolean;
	orgs: WhoAmIOrg[];
	[key: string]: unknown;
}

export interface WhoAmIOrg {
	type: "org";
	id: string;
	name: string;
	fullname: string;
	avatarUrl: string;
	[key: string]: unknown;
}

export interface WhoAmIApp {
	type: "app";
	id: string;
	name: string;
	scope?: { entities: string[]; role: "admin" | "write" | "contributor" | "read" };
	[key: string]: unknown;
}

export type WhoAmI = WhoAmIApp | WhoAmIOrg | WhoAmIUser;

export interface AuthInfo {
	type: string;
	accessToken?: {
		displayName: string;
		role: string;
		createdAt?: string;
		[key: string]: unknown;
	};
	expiresAt?: string;
}
