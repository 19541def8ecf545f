/**
 * The code of repo info, search and likes, and the loader of the `info` module, brought by the
 * first such call (`info.ts`): a page that never asks carries only the stubs. What it uses of
 * the page's other modules is handed in by `make`: importing them here would make a bundler
 * split them into a chunk of their own that every page then fetches (`make size`). Each entry
 * crosses from the core with its additional fields apart; here they are spread into it and the
 * dates become `Date`s.
 */
import type { InfoDeps } from "./info.js";
import type { Calls, InfoCall, ManageCall, RepoEntry, RepoLiker } from "./wire.js";
import type { LikeParams, ListRepoLikersParams, RepoInfoParams, RepoSearch } from "./info-types.js";
import type { CommonParams, RepoType } from "./types.js";
import type { Rule } from "./check.js";
import type { DuplicateRepoParams } from "./duplicate-repo.js";
import type { MoveRepoParams } from "./move-repo.js";
import type { UpdateRepoSettingsParams } from "./update-repo-settings.js";

/** The functions of the stubs, over the page's `check`, option splitting and call driver. */
export function make([check, COUNT, isObject, REPO, STRING, STRINGS, splitCommon, splitRepo, runCall, loadModule]: InfoDeps) {
	const info_ = () => loadModule("info", () => import("../wasm/info.js"), () => new URL("../wasm/info_bg.wasm", import.meta.url));
	/** Every call here is a read or an idempotent write (a like): each is retried as a read. */
	const infoCall = async <N extends InfoCall>(name: N, options: Calls[N]["options"], fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Calls[N]["output"]> =>
		runCall(await info_(), name, options, fetchFn, signal);

	const manage = () => loadModule("manage", () => import("../wasm/manage.js"), () => new URL("../wasm/manage_bg.wasm", import.meta.url));
	/** Repo administration: every call is a write, repeated only when the Hub provably did not apply it. */
	const manageCall = async <N extends ManageCall>(name: N, options: Calls[N]["options"], fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Calls[N]["output"]> =>
		runCall(await manage(), name, options, fetchFn, signal, true);

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

	const SLEEP: Rule = ["seconds, or -1 for never", (v) => Number.isInteger(v) && (v as number) >= -1];
	const SETTINGS: Rule = [
		"an array of { key, value, description? }",
		(v) => Array.isArray(v) && v.every((e) => isObject(e) && typeof e.key === "string" && typeof e.value === "string" && (e.description == null || typeof e.description === "string")),
	];

	async function duplicateRepo(p: DuplicateRepoParams) {
		check(
			"duplicateRepo",
			p,
			{ fromRepo: REPO, toRepo: STRING, spaceHardware: STRING, spaceStorage: STRING, spaceSleepTime: SLEEP, spaceSecrets: SETTINGS, spaceVariables: SETTINGS },
			["fromRepo"],
		);
		// A Space's settings, named as the Hub names them (the core sends them as they are).
		const space = { hardware: p.spaceHardware, storageTier: p.spaceStorage, sleepTimeSeconds: p.spaceSleepTime, secrets: p.spaceSecrets, variables: p.spaceVariables };
		const { wire, fetch, signal } = splitCommon(p, {
			fromRepo: p.fromRepo,
			// A bare name, or none, is completed by the core with the token owner's name (whoami-v2).
			toRepo: p.toRepo,
			private: p.private,
			visibility: p.visibility,
			existOk: p.existOk,
			spaceSettings: Object.values(space).some((v) => v != null) ? space : undefined,
		});
		return manageCall("duplicateRepo", wire, fetch, signal);
	}

	async function moveRepo(p: MoveRepoParams) {
		check("moveRepo", p, { fromRepo: REPO, toRepo: STRING }, ["fromRepo", "toRepo"]);
		const { wire, fetch, signal } = splitCommon(p, { fromRepo: p.fromRepo, toRepo: p.toRepo });
		await manageCall("moveRepo", wire, fetch, signal);
	}

	async function updateRepoSettings(p: UpdateRepoSettingsParams) {
		check("updateRepoSettings", p, {}, ["repo"]);
		const { wire, fetch, signal } = splitRepo({ ...p, revision: undefined }, { private: p.private, visibility: p.visibility, gated: p.gated });
		await manageCall("updateRepoSettings", wire, fetch, signal);
	}

	return {
		duplicateRepo,
		moveRepo,
		updateRepoSettings,
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
