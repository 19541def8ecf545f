/** Turning public option objects into what the wasm layer takes. */
import type { CommonParams, RepoParams } from "./types.js";
import type { Endpoint, Target } from "./wire.js";

/** The options of a call split into what crosses as JSON and what stays a JS object. */
export interface Split<W> {
	wire: W;
	fetch: typeof fetch;
	signal: AbortSignal | undefined;
}

/** A repo's wire options, whatever else the call adds. */
export type Wire = Target & Record<string, unknown>;

const defaultFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

function accessToken(p: CommonParams): string | undefined {
	return p.accessToken ?? p.credentials?.accessToken;
}

/** Splits common options; `extra` holds the call's own serialisable options. */
export function splitCommon<E extends object>(p: CommonParams, extra: E): Split<Endpoint & E> {
	return {
		wire: { hubUrl: p.hubUrl, accessToken: accessToken(p), ...extra },
		fetch: p.fetch ?? defaultFetch,
		signal: p.abortSignal,
	};
}

/** Splits repo options. */
export function splitRepo<E extends object>(p: RepoParams, extra: E): Split<Target & E> {
	return splitCommon(p, { repo: p.repo, revision: p.revision, ...extra });
}
