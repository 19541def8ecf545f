/**
 * The one error class every hubwasm call throws (except `AbortError`s, which pass through
 * untouched so `signal.reason` and `err.name === "AbortError"` checks keep working).
 */
export type HubErrorCode =
	| "RepoNotFound"
	| "RevisionNotFound"
	| "EntryNotFound"
	| "GatedRepo"
	| "DisabledRepo"
	| "BucketNotFound"
	| "JobNotFound"
	| "AuthRequired"
	| "Forbidden"
	| "Conflict"
	| "PreconditionFailed"
	| "RateLimited"
	| "RangeNotSatisfiable"
	| "BadRequest"
	| "InvalidInput"
	| "MalformedResponse"
	| "Http"
	| "Network"
	| "Storage"
	| "Integrity"
	| "NotCached";

export interface HubErrorInit {
	message: string;
	code: HubErrorCode;
	status?: number;
	url?: string;
	requestId?: string;
	errorCode?: string;
	serverMessage?: string;
	retryAfterMs?: number;
	cause?: unknown;
}

export class HubError extends Error {
	override name = "HubError";
	/** What went wrong, in the Hub's terms. */
	readonly code: HubErrorCode;
	/** The HTTP status, when a response caused the error. */
	readonly status?: number;
	/** The URL that failed. */
	readonly url?: string;
	/** The Hub's request id: quote it when reporting a problem. */
	readonly requestId?: string;
	/** The raw `X-Error-Code` header. */
	readonly errorCode?: string;
	/** The server's own message. */
	readonly serverMessage?: string;
	/** How long the server asked to wait before retrying. */
	readonly retryAfterMs?: number;

	constructor(init: HubErrorInit) {
		super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
		this.code = init.code;
		this.status = init.status;
		this.url = init.url;
		this.requestId = init.requestId;
		this.errorCode = init.errorCode;
		this.serverMessage = init.serverMessage;
		this.retryAfterMs = init.retryAfterMs;
	}
}
