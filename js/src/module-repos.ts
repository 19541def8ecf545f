/** The `repos` module: the rarely used calls (repo management, the account). */
import * as glue from "../wasm/repos.js";
import { runCall } from "./drive.js";
import { loadModule } from "./wasm.js";
import type { Calls, ReposCall } from "./wire.js";

const repos = () => loadModule("repos", glue, () => new URL("../wasm/repos_bg.wasm", import.meta.url));

/** Runs a call of the repos module with the caller's `fetch`. */
export async function reposCall<N extends ReposCall>(
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	return runCall(await repos(), name, options, fetchFn, signal);
}
