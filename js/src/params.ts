/** Turning public option objects into what the wasm layer takes. */
import type { CommonParams, RepoParams } from "./types.js";

/** The plain, serialisable part of the options: functions and signals travel separately. */
export interface Wire {
	[key: string]: unknown;
}

export interface Split {
	wire: Wire;
	fetch: typeof fetch;
	signal: AbortSignal | undefined;
}

const defaultFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

function accessToken(p: CommonParams): string | undefined {
	return p.accessToken ?? p.credentials?.accessToken;
}

/** Splits common options; `extra` holds the call's own serialisable options. */
export function splitCommon(p: CommonParams, extra: Wire): Split {
	return {
		wire: { hubUrl: p.hubUrl, accessToken: accessToken(p), ...extra },
		fetch: p.fetch ?? defaultFetch,
		signal: p.abortSignal,
	};
}

/** Splits repo options. */
export function splitRepo(p: RepoParams, extra: Wire): Split {
	return splitCommon(p, { repo: p.repo, revision: p.revision, ...extra });
}
