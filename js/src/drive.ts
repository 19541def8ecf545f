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
import type { Calls } from "./wire.js";

/** A request as the core describes it. */
export interface WireRequest {
	method: string;
	url: string;
	headers: [string, string][];
	body?: string;
}

/** What a module with named calls exports (see `src/web/calls.rs`). */
export interface CallModule {
	start(name: string, options: string): string;
	needsBody(id: number, head: string): boolean;
	answer(id: number, head: string, body: Uint8Array): string;
	end(id: number): void;
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

function isAbort(e: unknown): boolean {
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
function redact(url: string): string {
	const q = url.indexOf("?");
	if (q < 0) return url;
	const query = url.slice(q + 1).toLowerCase();
	return ["sig", "signature", "token", "x-amz-", "expires", "exp="].some((k) => query.includes(k)) ? `${url.slice(0, q)}?<signed query removed>` : url;
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
		throw networkError(e, req.url);
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

/** Runs the named call of module `m` to its result. */
export async function runCall<N extends keyof Calls>(
	m: CallModule,
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	const started = unwrap<Started>(m.start(name, optionsJson(name, options)));
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
			const next = unwrap<Answer>(text);
			if ("done" in next) return next.done as Calls[N]["output"];
			if ("send" in next) req = next.send;
		}
	} finally {
		m.end(id);
	}
}
