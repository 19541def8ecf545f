/**
 * Driving the core's calls with the caller's `fetch`. The wasm module is synchronous and sans-IO:
 * it checks the options and says what to send; this loop sends it, hands each answer back, and
 * stops when the module has the result (or says the answer itself is the result: a download's
 * body, which never enters wasm memory). Redirects are decided by the core (the token never
 * follows one to another origin) where the runtime shows them (`redirect: "manual"`); browsers
 * hide them, and follow them without `Authorization` across origins by the Fetch standard.
 */
import { optionsJson } from "./check.js";
import { HubError, type HubErrorInit } from "./error.js";
import type { RetryOptions } from "./types.js";
import type { Calls } from "./wire.js";

/** A request as the core describes it. */
export interface WireRequest {
	method: string;
	url: string;
	headers: [string, string][];
	body?: string;
}

/** What a module with named calls exports (see `src/web/calls.rs`). */
export interface CallModule extends RetryModule {
	start(name: string, options: string): string;
	needsBody(id: number, head: string): boolean;
	answer(id: number, head: string, body: Uint8Array): string;
	end(id: number): void;
}

/** A module that carries the core's retry policy (`src/web/retry.rs`). */
export interface RetryModule {
	retryDelay(failure: string, random: number): number;
}

/** How {@link retrying} decides: the module's policy, the caller's option, the request's kind. */
export interface Retry {
	m: RetryModule;
	policy?: RetryOptions;
	/** A commit-like request: repeated only when the server provably did not apply it. */
	commit?: boolean;
	signal?: AbortSignal;
}

type Started = { id: number; send: WireRequest } | { error: HubErrorInit };
type Answer = { send: WireRequest } | { done: unknown } | { body: true } | { error: HubErrorInit };

const EMPTY = new Uint8Array(0);

/** Throws the error a module returned, or returns the rest of its answer. */
export function unwrap<T extends object>(text: string): Exclude<T, { error: HubErrorInit }> {
	const v = JSON.parse(text) as T | { error: HubErrorInit };
	if ("error" in v) throw new HubError(v.error);
	return v as Exclude<T, { error: HubErrorInit }>;
}

/**
 * The `fetch` functions that hide redirects from `redirect: "manual"` (browsers answer an opaque
 * response): learned per function, as a caller's own `fetch` may behave otherwise.
 */
const hidesRedirects = new WeakSet<typeof fetch>();

export function isAbort(e: unknown): boolean {
	const name = (e as { name?: unknown } | null)?.name;
	return name === "AbortError" || name === "TimeoutError";
}

/** A failure of `fetch` itself: an abort stays as it was thrown, anything else is `Network`. */
export function networkError(e: unknown, url: string): unknown {
	if (isAbort(e)) return e;
	const detail = e instanceof Error ? e.message : String(e);
	return new HubError({ code: "Network", message: `network error while fetching ${url}: ${detail}`, url: redact(url), cause: e });
}

/** A signed storage URL is a short-lived credential: errors (and logs) get it without its query. */
export function redact(url: string): string {
	const q = url.indexOf("?");
	if (q < 0) return url;
	const query = url.slice(q + 1).toLowerCase();
	return ["sig", "signature", "token", "x-amz-", "expires", "exp="].some((k) => query.includes(k)) ? `${url.slice(0, q)}?<signed query removed>` : url;
}

/** Waits `ms`, or rejects with the signal's reason once it aborts (callers check first whether it
 * has: {@link retryDelay} says -1 then). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		const stop = () => (clearTimeout(t), reject(signal!.reason));
		// The listener goes with the wait: a long-lived signal does not gather one per retry.
		const t = setTimeout(() => (signal?.removeEventListener("abort", stop), resolve()), ms);
		signal?.addEventListener("abort", stop, { once: true });
	});
}

/**
 * How long to wait before retry number `retry` after `e`, or -1 to give up: a lost connection
 * (`Network`) and an answered error (one with a status) go to the core's policy; anything else —
 * bad input, storage, integrity, an abort — is final at once.
 */
export function retryDelay(r: Retry, retry: number, e: unknown): number {
	if (r.signal?.aborted || !(e instanceof HubError) || (e.code !== "Network" && e.status === undefined)) return -1;
	// A HubError's JSON holds what the policy reads: code, status, serverMessage, retryAfterMs.
	return r.m.retryDelay(JSON.stringify({ retry, commit: r.commit, policy: r.policy, error: e.code === "Network" ? undefined : e }), Math.random());
}

/** Runs `attempt` until it succeeds, fails for good, or the policy gives up (see {@link retryDelay}). */
export async function retrying<T>(r: Retry, attempt: () => Promise<T>): Promise<T> {
	for (let retry = 0; ; retry++) {
		try {
			return await attempt();
		} catch (e) {
			const ms = retryDelay(r, retry, e);
			if (ms < 0) throw e;
			await sleep(ms, r.signal);
		}
	}
}

/** Sends a core request (with `body` instead of its own when given). */
export async function send(req: WireRequest, fetchFn: typeof fetch, signal: AbortSignal | undefined, body?: BodyInit): Promise<Response> {
	const init = (redirect: RequestRedirect): RequestInit => ({
		method: req.method,
		headers: req.headers,
		body: body ?? req.body,
		redirect,
		signal,
	});
	let resp: unknown;
	try {
		if (!hidesRedirects.has(fetchFn)) {
			resp = await fetchFn(req.url, init("manual"));
			if (!(resp instanceof Response) || resp.type !== "opaqueredirect") return checked(resp);
			hidesRedirects.add(fetchFn);
		}
		resp = await fetchFn(req.url, init("follow"));
	} catch (e) {
		// A fetch that answered something else than a Response is the caller's mistake, not the network.
		throw e instanceof HubError ? e : networkError(e, req.url);
	}
	return checked(resp);
}

/** What the caller's `fetch` gave, if it is a `Response`. */
function checked(resp: unknown): Response {
	if (resp instanceof Response) return resp;
	throw new HubError({ code: "InvalidInput", message: "the fetch option must return a Promise of a Response" });
}

/** The head of an answer as the core reads it; after a followed redirect, the final URL. */
export function headOf(resp: Response, requested: string): string {
	return JSON.stringify({ status: resp.status, url: resp.redirected ? resp.url : requested, headers: [...resp.headers] });
}

/** Reads a (small) body: JSON answers and error bodies. */
export async function readBody(resp: Response, url: string): Promise<Uint8Array> {
	try {
		return new Uint8Array(await resp.arrayBuffer());
	} catch (e) {
		throw networkError(e, url);
	}
}

/** Drops a body nobody needs (a whole file sent to a range probe). */
export function discard(resp: Response): void {
	if (resp.body && !resp.body.locked) resp.body.cancel().catch(() => {});
}

/**
 * Runs the named call of module `m` to its result, from its first request again after a lost
 * connection or a transient answer (408, 429, 5xx), as the core's retry policy and the call's
 * `retry` option say; a `commit` (a write) only when the Hub provably did not apply it.
 */
export function runCall<N extends keyof Calls>(
	m: CallModule,
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
	commit?: boolean,
): Promise<Calls[N]["output"]> {
	const policy = (options as { retry?: RetryOptions }).retry;
	// Checked and written once: every attempt starts the call from the same text.
	const json = optionsJson(name, options);
	return retrying({ m, policy, signal, commit }, () => callOnce(m, name, json, fetchFn, signal));
}

async function callOnce<N extends keyof Calls>(
	m: CallModule,
	name: N,
	json: string,
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	const started = unwrap<Started>(m.start(name, json));
	const id = started.id;
	let req = started.send;
	try {
		for (;;) {
			const resp = await send(req, fetchFn, signal);
			const head = headOf(resp, req.url);
			const read = m.needsBody(id, head);
			const body = read ? await readBody(resp, req.url) : EMPTY;
			const text = m.answer(id, head, body);
			if (text === '{"body":true}') return resp as Calls[N]["output"];
			if (!read) discard(resp);
			const redirect = resp.status > 299 && resp.status < 400;
			const to = (url: string) => `cannot follow the ${redirect ? "redirect" : "link"} to ${redact(url)}`;
			const next = JSON.parse(text) as Answer;
			if ("error" in next) {
				const location = redirect && resp.headers.get("location");
				throw new HubError(location ? { ...next.error, message: `${to(location)}: ${next.error.message}` } : next.error);
			}
			if ("done" in next) return next.done as Calls[N]["output"];
			if ("send" in next) {
				// Only http(s) with no credentials in the authority (the core gives absolute URLs; it
				// ends a loop after 10 redirects, an error named by the redirect above).
				const url = next.send.url;
				if (!/^https?:\/\/[^/?#@]+([/?#]|$)/i.test(url)) {
					throw new HubError({ code: "MalformedResponse", message: `${to(url)}: only http(s) URLs without credentials are followed`, url: redact(req.url) });
				}
				req = next.send;
			}
		}
	} finally {
		m.end(id);
	}
}
