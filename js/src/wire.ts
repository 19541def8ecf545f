// Generated from the Rust types by `cargo test --lib wire` (src/wire.rs): do not edit.
// `UPDATE_WIRE=1 cargo test --lib wire` rewrites it after a change on the Rust side.

export type Endpoint = {
	hubUrl?: string;
	accessToken?: string;
};

export type Target = Endpoint & {
	repo: string | { type?: string; name: string };
	revision?: string;
};

export type ListFilesOptions = Target & {
	path?: string;
	recursive?: boolean;
	expand?: boolean;
	next?: string;
};

export type PathsInfoOptions = Target & {
	paths: string[];
	expand?: boolean;
};

export type FileOptions = Target & {
	path: string;
	raw?: boolean;
	range?: [number] | [number, number];
};

export type AuthCheckOptions = Target & {
	write?: boolean;
};

export type ListRepoRefsOptions = Target & {
	includePullRequests?: boolean;
};

export type CreateBranchOptions = Target & {
	branch: string;
	empty?: boolean;
	overwrite?: boolean;
};

export type DeleteBranchOptions = Target & {
	branch: string;
};

export type CreateTagOptions = Target & {
	tag: string;
	tagMessage?: string;
};

export type DeleteTagOptions = Target & {
	tag: string;
};

export type ListCommitsOptions = Target & {
	batchSize?: number;
	next?: string;
};

export type CreateRepoOptions = Target & {
	private?: boolean;
	sdk?: string;
	license?: string;
	visibility?: string;
	files?: Array<{ path: string; content: string }>;
};

export type MoveRepoOptions = Endpoint & {
	fromRepo: string | { type?: string; name: string };
	toRepo: string;
};

export type UpdateRepoSettingsOptions = Target & {
	private?: boolean;
	visibility?: string;
	gated?: "auto" | "manual" | false;
};

export type DuplicateRepoOptions = Endpoint & {
	fromRepo: string | { type?: string; name: string };
	toRepo?: string;
	private?: boolean;
	visibility?: string;
	existOk?: boolean;
	spaceSettings?: Record<string, unknown>;
};

export type OAuthTokenOptions = Endpoint & {
	tokenEndpoint: string;
	code: string;
	redirectUri: string;
	codeVerifier: string;
	clientId?: string;
};

export type OAuthUserInfoOptions = Endpoint & {
	userinfoEndpoint: string;
};

export type RepoInfoOptions = Target & {
	additionalFields?: string[];
};

export type ListReposOptions = Endpoint & {
	type: string;
	query?: string;
	owner?: string;
	task?: string;
	tags?: string[];
	sort?: string;
	limit?: number;
	additionalFields?: string[];
	next?: string;
};

export type ListRepoLikersOptions = Target & {
	batchSize?: number;
	next?: string;
};

export type CommitOptions = Target & {
	title: string;
	description?: string;
	parentCommit?: string;
	isPullRequest?: boolean;
	operations: { kind: "add" | "delete" | "deleteFolder"; path: string }[];
	retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
	fileConcurrency?: number;
	partConcurrency?: number;
	hashConcurrency?: number;
};

/**
 * Who wrote a commit (`@huggingface/hub`'s shape).
 */
export type CommitAuthor = {
	/** The Hub user name (or what git recorded, for a commit pushed by someone unknown). */
	username: string;
	/** Their avatar's URL. */
	avatarUrl?: string;
};

/**
 * One commit of a history; `date` is ISO-8601 here (a `Date` in the JavaScript API).
 */
export type CommitInfo = {
	/** The commit id. */
	oid: string;
	/** Its first line. */
	title: string;
	/** The rest of its message. */
	message: string;
	/** Its authors. */
	authors: Array<CommitAuthor>;
	/** When it was made. */
	date: string;
};

/**
 * One page of a history and where the next one is.
 */
export type CommitPage = {
	/** The commits of this page, newest first. */
	commits: Array<CommitInfo>;
	/** The next page's URL (from `Link: rel="next"`), to pass back as `next`. */
	next: string | null;
};

/**
 * A commit's id and web URL.
 */
export type CommitRef = {
	/** The commit id (40 hex). */
	oid: string;
	/** Its web URL. */
	url: string;
};

/**
 * A landed commit as the JavaScript API returns it (`@huggingface/hub`'s `CommitOutput`).
 */
export type CommitResult = {
	/** The new commit. */
	commit: CommitRef;
	/** The pull request's web URL, when the commit opened one. */
	pullRequestUrl?: string;
	/** The pull request's number (`N` of `refs/pr/N`), when the commit opened one. */
	pullRequestNum?: number;
	/** Server-side hook output. */
	hookOutput: string;
};

/**
 * What `fileDownloadInfo` resolves to: the metadata with the etag quoted, as in the `ETag`
 * header (and as `@huggingface/hub` returns it).
 */
export type DownloadInfo = {
	/** Content size in bytes. */
	size: number;
	/** Quoted: git blob sha1 for regular files, sha256 for LFS files. */
	etag: string;
	/** Xet details, for xet-backed files. */
	xet?: XetInfo;
	/** The URL to fetch. */
	url: string;
	/** The commit the revision resolved to, when the Hub said. */
	commitHash?: string;
};

/**
 * Whether an entry is a file or a folder.
 */
export type EntryType = "file" | "directory" | "unknown";

/**
 * A validated file target.
 */
export type FileTarget = {
	/** `models/ns/name`: the repo as the cache keys it. */
	repoKey: string;
	/** `ns/name`. */
	repoId: string;
	/** `model`, `dataset`, `space` or `kernel`. */
	repoType: string;
	/** The revision asked for (`main` when none was). */
	revision: string;
	/** The file's path. */
	path: string;
	/** Whether the revision is a commit id (its files never change). */
	isCommit: boolean;
};

/**
 * One git ref, as the Hub lists it (and `huggingface_hub`'s `GitRefInfo`, in camelCase).
 */
export type GitRef = {
	/** The short name: `main`, `v1.0`, `parquet`, `1` for `refs/pr/1`. */
	name: string;
	/** The full ref: `refs/heads/main`, `refs/tags/v1.0`, `refs/convert/parquet`, `refs/pr/1`. */
	ref: string;
	/** The commit it points to. */
	targetCommit: string;
};

/**
 * Every ref of a repo, by kind.
 */
export type GitRefs = {
	/** Branches (`refs/heads/…`). */
	branches: Array<GitRef>;
	/** Tags (`refs/tags/…`). */
	tags: Array<GitRef>;
	/** Refs the Hub made (`refs/convert/parquet`, …). */
	converts: Array<GitRef>;
	/** Pull-request refs (`refs/pr/N`): present only when asked for. */
	pullRequests?: Array<GitRef>;
};

/**
 * The last commit touching a path (only with `expand`).
 */
export type LastCommit = {
	/** Commit id. */
	id: string;
	/** Commit title. */
	title: string;
	/** ISO-8601 date. */
	date: string;
};

/**
 * LFS details of a file stored outside git.
 */
export type LfsInfo = {
	/** The SHA-256 of the content (the file's etag). */
	oid: string;
	/** The content size in bytes. */
	size: number;
	/** The size of the git pointer file. */
	pointerSize: number;
};

/**
 * One page of likers and where the next one is.
 */
export type LikerPage = {
	/** The likers of this page. */
	likers: Array<RepoLiker>;
	/** The next page's URL (from `Link: rel="next"`), to pass back as `next`. */
	next: string | null;
};

/**
 * Where the Hub's OAuth endpoints are, from its discovery document.
 */
export type OAuthEndpoints = {
	/** Where the browser goes to sign in and consent. */
	authorizationEndpoint: string;
	/** Where a code is exchanged for a token. */
	tokenEndpoint: string;
	/** Who signed in. */
	userinfoEndpoint: string;
};

/**
 * The token the code was exchanged for.
 */
export type OAuthToken = {
	/** `hf_oauth_…`, a Bearer token for the Hub's API. */
	accessToken: string;
	/** Seconds it is valid for. */
	expiresIn: number;
	/** The scopes granted, space-separated. */
	scope: string;
};

/**
 * A model, dataset or space, with what every list or page of them shows; `fields` holds the
 * additional fields asked for (dates still ISO-8601: the JavaScript API makes them `Date`s).
 */
export type RepoEntry = {
	/** The Hub's internal id (`_id`). */
	id: string;
	/** The repo's name, `namespace/name`. */
	name: string;
	/** Whether only its owners can see it. */
	private: boolean;
	/** Models and datasets: whether users must ask for access. */
	gated?: false | "auto" | "manual";
	/** Models: the pipeline tag. */
	task?: string;
	/** Likes. */
	likes: number;
	/** Models and datasets: downloads over the last 30 days. */
	downloads?: number;
	/** Spaces: `gradio`, `docker`, `static`, … */
	sdk?: string;
	/** When it last changed (`lastModified`), ISO-8601. */
	updatedAt: string;
	/** The additional fields asked for, by name. */
	fields: Record<string, unknown>;
};

/**
 * Someone who liked a repo (`huggingface_hub`'s `User`, in camelCase).
 */
export type RepoLiker = {
	/** Their user name. */
	username: string;
	/** Their full name, when they gave one. */
	fullname?: string;
	/** Their avatar's URL. */
	avatarUrl?: string;
};

/**
 * One page of a search and where the next one is.
 */
export type RepoPage = {
	/** The repos of this page, in the order asked for. */
	items: Array<RepoEntry>;
	/** The next page's URL (from `Link: rel="next"`), to pass back as `next`. */
	next: string | null;
};

/**
 * The new repo's URL and id.
 */
export type RepoUrl = {
	/** The web URL of the repo (named as `createRepo` returns it, so the JS API passes it on). */
	repoUrl: string;
	/** The Hub's id of the repo (not its name), when the answer has it. */
	id?: string;
};

/**
 * One file or folder, as `tree` and `paths-info` return it. Field names match the Hub's JSON
 * (and `@huggingface/hub`'s `ListFileEntry`).
 */
export type TreeEntry = {
	/** File or folder. */
	type: EntryType;
	/** The git object id (blob sha1; for LFS files, the pointer's blob). */
	oid: string;
	/** Size in bytes (the real content size for LFS files; 0 for folders). */
	size: number;
	/** Path from the repo root. */
	path: string;
	/** LFS details, for files stored with LFS or xet. */
	lfs?: LfsInfo;
	/** The xet file id, for xet-backed files. */
	xetHash?: string;
	/** With `expand`: the last commit that touched this path. */
	lastCommit?: LastCommit;
	/** With `expand`: the Hub's security scan result, passed through as is. */
	securityFileStatus?: unknown;
};

/**
 * One page of a listing and where the next one is.
 */
export type TreePage = {
	/** The entries of this page. */
	entries: Array<TreeEntry>;
	/** The next page's URL (from `Link: rel="next"`), to pass back as `next`. */
	next: string | null;
};

/**
 * Xet details of a file.
 */
export type XetInfo = {
	/** The xet file id. */
	hash: string;
	/** Where to refresh the read token, when the Hub said. */
	refreshUrl?: string;
};

/** The calls the `files` module carries. */
export type FilesCall = "listFiles" | "pathsInfo" | "fileExists" | "downloadFile" | "revisionCommit" | "repoIsPrivate";

/** The calls the `api` module carries. */
export type ApiCall = "fileDownloadInfo" | "repoExists" | "whoAmI" | "authCheck";

/** The calls the `refs` module carries. */
export type RefsCall = "listRepoRefs" | "createBranch" | "deleteBranch" | "createTag" | "deleteTag" | "listCommits" | "countCommits";

/** The calls the `repos` module carries. */
export type ReposCall = "createRepo" | "deleteRepo";

/** The calls the `manage` module carries. */
export type ManageCall = "moveRepo" | "updateRepoSettings" | "duplicateRepo";

/** The calls the `oauth` module carries. */
export type OAuthCall = "oauthDiscovery" | "oauthToken" | "oauthUserInfo";

/** The calls the `info` module carries. */
export type InfoCall = "repoInfo" | "listRepos" | "listRepoLikers" | "like" | "unlike";

/** Every named call: its options and what its result holds. */
export interface Calls {
	listFiles: { options: ListFilesOptions; output: TreePage };
	pathsInfo: { options: PathsInfoOptions; output: Array<TreeEntry> };
	fileExists: { options: FileOptions; output: boolean };
	downloadFile: { options: FileOptions; output: Response | null };
	revisionCommit: { options: Target; output: string };
	repoIsPrivate: { options: Target; output: boolean };
	fileDownloadInfo: { options: FileOptions; output: DownloadInfo | null };
	repoExists: { options: Target; output: boolean };
	whoAmI: { options: Endpoint; output: unknown };
	authCheck: { options: AuthCheckOptions; output: null };
	listRepoRefs: { options: ListRepoRefsOptions; output: GitRefs };
	createBranch: { options: CreateBranchOptions; output: null };
	deleteBranch: { options: DeleteBranchOptions; output: null };
	createTag: { options: CreateTagOptions; output: null };
	deleteTag: { options: DeleteTagOptions; output: null };
	listCommits: { options: ListCommitsOptions; output: CommitPage };
	countCommits: { options: Target; output: number };
	createRepo: { options: CreateRepoOptions; output: RepoUrl };
	deleteRepo: { options: Target; output: null };
	moveRepo: { options: MoveRepoOptions; output: null };
	updateRepoSettings: { options: UpdateRepoSettingsOptions; output: null };
	duplicateRepo: { options: DuplicateRepoOptions; output: RepoUrl };
	oauthDiscovery: { options: Endpoint; output: OAuthEndpoints };
	oauthToken: { options: OAuthTokenOptions; output: OAuthToken };
	oauthUserInfo: { options: OAuthUserInfoOptions; output: unknown };
	repoInfo: { options: RepoInfoOptions; output: RepoEntry };
	listRepos: { options: ListReposOptions; output: RepoPage };
	listRepoLikers: { options: ListRepoLikersOptions; output: LikerPage };
	like: { options: Target; output: null };
	unlike: { options: Target; output: null };
}
