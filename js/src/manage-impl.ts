/**
 * The code of repo administration (`manage.ts`): moving a repo, its settings, duplicating it,
 * over the page's modules handed in (`lazy.ts`), in the `manage` module.
 */
import type { Rule } from "./check.js";
import type { DuplicateRepoParams } from "./duplicate-repo.js";
import type { LazyDeps } from "./lazy.js";
import type { MoveRepoParams } from "./move-repo.js";
import type { UpdateRepoSettingsParams } from "./update-repo-settings.js";
import type { Calls, ManageCall } from "./wire.js";

export function manageCalls([check, , isObject, REPO, STRING, , splitCommon, splitRepo, runCall, loadModule]: LazyDeps) {
	const manage = () => loadModule("manage", () => import("../wasm/manage.js"), () => new URL("../wasm/manage_bg.wasm", import.meta.url));
	/** Every call here is a write, repeated only when the Hub provably did not apply it. */
	const manageCall = async <N extends ManageCall>(name: N, options: Calls[N]["options"], fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Calls[N]["output"]> =>
		runCall(await manage(), name, options, fetchFn, signal, true);

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

	return { duplicateRepo, moveRepo, updateRepoSettings };
}
