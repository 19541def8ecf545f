/**
 * Checking what a caller passed before anything is sent. The core checks every option that
 * crosses as JSON (names, types, paths, revisions); what stays in JS — `fetch`, `abortSignal`,
 * callbacks, caches, contents — and what JSON cannot carry (NaN, functions, BigInt) is checked
 * here, so that bad input is always `InvalidInput` naming the parameter, before any request and
 * before any retry loop could run.
 */
import { HubError } from "./error.js";

/** A value as a message shows it: strings quoted and cut, objects by kind. */
export function shown(v: unknown): string {
	if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
	if (typeof v === "function") return "a function";
	if (Array.isArray(v)) return "an array";
	if (v && typeof v === "object") return `an object (${(v as object).constructor?.name ?? "no prototype"})`;
	return String(v);
}

/** `InvalidInput` for parameter `name` of `fn`. */
export function invalid(fn: string, name: string, expected: string, v: unknown): HubError {
	return new HubError({ code: "InvalidInput", message: `${fn}: ${name} must be ${expected}, not ${shown(v)}` });
}

/** A parameter's rule: what it must be (for the message) and the test. */
export type Rule = readonly [expected: string, ok: (v: unknown) => boolean];

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const STRING: Rule = ["a string", (v) => typeof v === "string"];
export const BOOLEAN: Rule = ["true or false", (v) => typeof v === "boolean"];
export const FUNCTION: Rule = ["a function", (v) => typeof v === "function"];
export const COUNT: Rule = ["a whole number of at least 0", (v) => Number.isSafeInteger(v) && (v as number) >= 0];
export const STRINGS: Rule = ["an array of strings", (v) => Array.isArray(v) && v.every((s) => typeof s === "string")];
export const PATTERNS: Rule = ["a glob string or an array of them", (v) => typeof v === "string" || STRINGS[1](v)];
export const RANGE: Rule = [
	"[start] or [start, end] with whole numbers, end ≥ start",
	(v) => Array.isArray(v) && v.length > 0 && v.length < 3 && v.every((n) => COUNT[1](n)) && !(v[1] < v[0]),
];
export const REPO: Rule = [
	'"namespace/name", "datasets/…", "spaces/…" or { type, name }',
	(v) => typeof v === "string" || (isObject(v) && typeof v.name === "string" && typeof v.type === "string"),
];
const SIGNAL: Rule = ["an AbortSignal", (v) => typeof AbortSignal !== "undefined" && v instanceof AbortSignal];
const CREDENTIALS: Rule = ["{ accessToken: string }", (v) => isObject(v) && typeof v.accessToken === "string"];

const COMMON: Record<string, Rule> = {
	hubUrl: ["an http(s) URL", (v) => typeof v === "string" && /^https?:\/\/[^/?#]/i.test(v)],
	accessToken: STRING,
	credentials: CREDENTIALS,
	fetch: FUNCTION,
	abortSignal: SIGNAL,
	onProgress: FUNCTION,
	retry: ["{ maxRetries, baseDelayMs, maxDelayMs } of whole numbers ≥ 0", (v) => isObject(v) && Object.values(v).every((n) => n == null || COUNT[1](n))],
};

/**
 * Checks `params` of `fn`: an object; each name in `required` present (not `undefined` or
 * `null`); every rule of `rules` (and of the options every call takes) met where the value is
 * given. An optional `null` counts as not given, as in `@huggingface/hub`. A signal that is
 * already aborted stops the call here.
 */
export function check<T>(fn: string, params: T, rules: Record<string, Rule> = {}, required: readonly string[] = []): T {
	if (!isObject(params)) throw invalid(fn, "its parameter", "an object of options", params);
	for (const name of required) if (params[name] == null) throw invalid(fn, name, `given (${(rules[name] ?? STRING)[0]})`, params[name]);
	const all = { ...COMMON, ...rules };
	for (const name in all) {
		const v = params[name];
		const [expected, ok] = all[name]!;
		if (v != null && !ok(v)) throw invalid(fn, name, expected, v);
	}
	(params.abortSignal as AbortSignal | undefined)?.throwIfAborted();
	return params;
}

/**
 * JSON text of a call's options, refusing what JSON would silently change: NaN and Infinity
 * (become `null`), functions and Symbols (dropped), BigInt and cycles (throw `TypeError`).
 */
export function optionsJson(fn: string, options: unknown): string {
	try {
		return JSON.stringify(options, (key, v: unknown) => {
			if ((typeof v === "number" && !Number.isFinite(v)) || typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") {
				throw invalid(fn, key || "its parameter", "a value JSON can carry", v);
			}
			return v;
		});
	} catch (e) {
		throw e instanceof HubError ? e : new HubError({ code: "InvalidInput", message: `${fn}: the options cannot be sent (${(e as Error).message})`, cause: e });
	}
}
