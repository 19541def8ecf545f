/**
 * The stubs of the calls few pages make (repo info and search, repo administration, refs and
 * history): each export is a one-line stub in every bundle, and the code (`lazy-impl.ts`) and
 * then the call's module load with the first call, so a page that makes none carries only the
 * stubs. The code is handed what it uses of the page's modules (`deps`): importing them there
 * would make a bundler split them into a chunk of their own that every page then fetches.
 */
import { check, COUNT, isObject, REPO, STRING, STRINGS } from "./check.js";
import { runCall } from "./drive.js";
import { splitCommon, splitRepo } from "./params.js";
import { loadModule } from "./wasm.js";

/** What the code uses of the page's modules, by position: a list costs fewer bytes than keys. */
const deps = [check, COUNT, isObject, REPO, STRING, STRINGS, splitCommon, splitRepo, runCall, loadModule] as const;
export type LazyDeps = typeof deps;

type Impl = ReturnType<typeof import("./lazy-impl.js").make>;

/** The function `k` of the code, loaded by its first call. */
export const later =
	(k: keyof Impl) =>
	async (p: unknown): Promise<any> =>
		((await import("./lazy-impl.js")).make(deps)[k] as (p: unknown) => unknown)(p);

/** The same for a generator: it loads the code when first read. */
export const laterGen = (k: keyof Impl) =>
	async function* (p: unknown) {
		yield* await later(k)(p);
	};

/** A stub's type: a call. */
export type Later<P, R> = (params: P) => Promise<R>;
/** A stub's type: a listing. */
export type LaterList<P, R> = (params: P) => AsyncGenerator<R>;
