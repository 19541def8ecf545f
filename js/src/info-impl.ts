/**
 * The code of repo info, search and likes, and the loader of the `info` module, brought by the
 * first call of a stub (`info.ts`, `lazy.ts`) with what it uses of the page's modules. Each entry
 * crosses from the core with its additional fields apart; here they are spread into it and the
 * dates become `Date`s.
 */
import type { LazyDeps } from "./lazy.js";
import type { Calls, InfoCall, RepoEntry, RepoLiker } from "./wire.js";
import type { LikeParams, ListRepoLikersParams, RepoInfoParams, RepoSearch } from "./info-types.js";
import type { CommonParams, RepoType } from "./types.js";
import type { Rule } from "./check.js";

/** The functions of the stubs, over the page's `check`, option splitting and call driver. */
export function infoCalls([check, COUNT, isObject, REPO, STRING, STRINGS, splitCommon, splitRepo, runCall, loadModule]: LazyDeps) {
	const info_ = () => loadModule("info", () => import("../wasm/info.js"), () => new URL("../wasm/info_bg.wasm", import.meta.url));
	/** Every call here is a read or an idempotent write (a like): each is retried as a read. */
	const infoCall = async <N extends InfoCall>(name: N, options: Calls[N]["options"], fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Calls[N]["output"]> =>
		runCall(await info_(), name, options, fetchFn, signal);

	const DATES = ["createdAt", "lastModified"];

	function entry(e: RepoEntry): Record<string, unknown> {
		const { fields, updatedAt, ...shown } = e;
		const out: Record<string, unknown> = { ...fields, ...shown, updatedAt: new Date(updatedAt) };
		for (const k of DATES) if (typeof out[k] === "string") out[k] = new Date(out[k] as string);
		return out;
	}

	const INFO: Record<string, Rule> = { revision: STRING, additionalFields: STRINGS };

	/** `modelInfo`, `datasetInfo`, `spaceInfo`: `name` is the repo of that kind. */
	async function kindInfo(fn: string, type: RepoType, params: { name: string } & Omit<RepoInfoParams, "repo">) {
		check(fn, params, { ...INFO, name: STRING }, ["name"]);
		return info({ ...params, repo: { type, name: params.name } });
	}

	async function repoInfo(params: RepoInfoParams) {
		check("repoInfo", params, { ...INFO, repo: REPO }, ["repo"]);
		return info(params);
	}

	async function info(params: RepoInfoParams) {
		const { wire, fetch, signal } = splitRepo(params, { additionalFields: params.additionalFields });
		return entry(await infoCall("repoInfo", wire, fetch, signal));
	}

	const SEARCH: Rule = ["{ query?, owner?, task?, tags? }", (v) => isObject(v) && ["query", "owner", "task"].every((k) => v[k] == null || typeof v[k] === "string") && (v.tags == null || STRINGS[1](v.tags))];

	/** `listModels`, `listDatasets`, `listSpaces`: pages followed until `limit` repos were yielded. */
	async function* listRepos(
		fn: string,
		type: RepoType,
		params: CommonParams & { search?: RepoSearch & { task?: string }; sort?: string; limit?: number; additionalFields?: string[] } = {},
	) {
		check(fn, params, { search: SEARCH, sort: STRING, limit: COUNT, additionalFields: STRINGS });
		const s = params.search ?? {};
		let left = params.limit ?? Infinity;
		if (left === 0) return;
		const { wire, fetch, signal } = splitCommon(params, {
			type,
			query: s.query ?? undefined,
			owner: s.owner ?? undefined,
			task: s.task ?? undefined,
			tags: s.tags ?? undefined,
			sort: params.sort,
			limit: params.limit,
			additionalFields: params.additionalFields,
		});
		let next: string | undefined;
		do {
			const page = await infoCall("listRepos", { ...wire, next }, fetch, signal);
			for (const item of page.items) {
				yield entry(item);
				if (--left <= 0) return;
			}
			next = page.next ?? undefined;
		} while (next);
	}

	async function* listRepoLikers(params: ListRepoLikersParams): AsyncGenerator<RepoLiker> {
		check("listRepoLikers", params, { repo: REPO, batchSize: COUNT }, ["repo"]);
		const { wire, fetch, signal } = splitRepo(params, { batchSize: params.batchSize });
		let next: string | undefined;
		do {
			const page = await infoCall("listRepoLikers", { ...wire, next }, fetch, signal);
			yield* page.likers;
			next = page.next ?? undefined;
		} while (next);
	}

	/** `like` and `unlike`. */
	async function setLike(fn: "like" | "unlike", params: LikeParams): Promise<void> {
		check(fn, params, { repo: REPO }, ["repo"]);
		const { wire, fetch, signal } = splitRepo(params, {});
		await infoCall(fn, wire, fetch, signal);
	}

	return {
		modelInfo: (p: Parameters<typeof kindInfo>[2]) => kindInfo("modelInfo", "model", p),
		datasetInfo: (p: Parameters<typeof kindInfo>[2]) => kindInfo("datasetInfo", "dataset", p),
		spaceInfo: (p: Parameters<typeof kindInfo>[2]) => kindInfo("spaceInfo", "space", p),
		repoInfo,
		listModels: (p?: Parameters<typeof listRepos>[2]) => listRepos("listModels", "model", p),
		listDatasets: (p?: Parameters<typeof listRepos>[2]) => listRepos("listDatasets", "dataset", p),
		listSpaces: (p?: Parameters<typeof listRepos>[2]) => listRepos("listSpaces", "space", p),
		listRepoLikers,
		like: (p: LikeParams) => setLike("like", p),
		unlike: (p: LikeParams) => setLike("unlike", p),
	};
}
