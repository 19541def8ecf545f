/** Turning public option objects into what the wasm layer takes. */
import { shown } from "./check.js";
import { HubError } from "./error.js";
import type { CommonParams, Concurrency, ConcurrencyLimits, RepoParams } from "./types.js";
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
		// `retry` is read by the driver (the core reads it only for a commit).
		wire: { hubUrl: p.hubUrl, accessToken: accessToken(p), retry: p.retry, ...extra },
		fetch: p.fetch ?? defaultFetch,
		signal: p.abortSignal,
	};
}

/** Splits repo options. */
export function splitRepo<E extends object>(p: RepoParams, extra: E): Split<Target & E> {
	return splitCommon(p, { repo: p.repo, revision: p.revision, ...extra });
}

/**
 * The value of an option that has a current name and a deprecated one: whichever is given; both
 * given and different is `InvalidInput` (never one silently preferred over the other).
 */
export function aliased<T>(current: [name: string, value: T | undefined], alias: [name: string, value: T | undefined]): T | undefined {
	const [name, value] = current;
	const [aliasName, aliasValue] = alias;
	if (value !== undefined && aliasValue !== undefined && value !== aliasValue) {
		throw new HubError({
			code: "InvalidInput",
			message: `${name} ${shown(value)} and ${aliasName} ${shown(aliasValue)} disagree: ${aliasName} is another name for ${name}, give one of them`,
		});
	}
	return value ?? aliasValue;
}

/** `revision`, or `branch` (`@huggingface/hub`'s name for it in commits). */
export function revisionOf(p: { revision?: string; branch?: string }): string | undefined {
	return aliased(["revision", p.revision], ["branch", p.branch]);
}

/** Each stage's limit of a `concurrency` option (a number is files at once: hashed and sent). */
export function concurrencyLimits(c: Concurrency | undefined, name = "concurrency"): ConcurrencyLimits {
	if (c === undefined) return {};
	const limits: ConcurrencyLimits = typeof c === "number" ? { files: c, hashing: c } : c;
	if (typeof limits !== "object" || limits === null) {
		throw new HubError({ code: "InvalidInput", message: `${name} must be a number or { files, parts, hashing }, not ${shown(c)}` });
	}
	for (const key of ["files", "parts", "hashing"] as const) {
		const n = limits[key];
		if (n !== undefined && !(Number.isInteger(n) && n >= 1)) {
			const what = typeof c === "number" ? name : `${name}.${key}`;
			throw new HubError({ code: "InvalidInput", message: `${what} must be a whole number of at least 1, not ${shown(n)}` });
		}
	}
	return limits;
}
