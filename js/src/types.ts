/** Public types, with the names and shapes `@huggingface/hub` uses. */

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
}

export interface RepoParams extends CommonParams {
	repo: RepoDesignation;
	/** Branch, tag, `refs/pr/N` or commit id. Defaults to `main`. */
	revision?: string;
}

export interface ListFileEntry {
	type: "file" | "directory" | "unknown";
	size: number;
	path: string;
	oid: string;
	lfs?: {
		oid: string;
		size: number;
		/** Size of the raw pointer file, 100~200 bytes */
		pointerSize: number;
	};
	/** Xet-backed hash, for files stored with xet. */
	xetHash?: string;
	/** Only with `expand: true`. */
	lastCommit?: {
		date: string;
		id: string;
		title: string;
	};
	/** Only with `expand: true`. */
	securityFileStatus?: unknown;
}

export interface PathInfo {
	path: string;
	type: string;
	oid: string;
	size: number;
	lfs?: {
		oid: string;
		size: number;
		pointerSize: number;
	};
	xetHash?: string;
	/** Only with `expand: true`. */
	lastCommit?: {
		date: Date;
		id: string;
		title: string;
	};
	/** Only with `expand: true`. */
	securityFileStatus?: unknown;
}

export interface FileDownloadInfoOutput {
	size: number;
	/** As in the `ETag` header: quoted. Git blob sha1 for regular files, sha256 for LFS files. */
	etag: string;
	xet?: {
		hash: string;
		refreshUrl?: string;
	};
	/** The URL to fetch (with the access token if the file is private). */
	url: string;
	/** The commit the revision resolved to, when the Hub said (hubwasm addition). */
	commitHash?: string;
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
