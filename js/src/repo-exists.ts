import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { wasm } from "./wasm.js";

/** Whether a repo exists (a gated repo exists even if you may not read it). */
export async function repoExists(params: Omit<RepoParams, "revision">): Promise<boolean> {
	const { wire, fetch, signal } = splitRepo(params, {});
	const w = await wasm();
	return w.call("repoExists", wire, fetch, signal);
}
