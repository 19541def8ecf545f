import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { wasm } from "./wasm.js";

export interface RepoExistsParams extends Omit<RepoParams, "revision"> {}

/** Whether a repo exists (a gated repo exists even if you may not read it). */
export async function repoExists(params: RepoExistsParams): Promise<boolean> {
	const { wire, fetch, signal } = splitRepo(params, {});
	const w = await wasm();
	return w.call("repoExists", wire, fetch, signal);
}
