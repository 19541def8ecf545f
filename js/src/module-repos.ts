/** The `repos` module: creating, deleting and moving repos, and their settings. */
import { runCall } from "./drive.js";
import { loadModule } from "./wasm.js";
import type { Calls, ReposCall } from "./wire.js";

// The glue comes with the first call (`wasm.ts`): no other page carries it.
const repos = () => loadModule("repos", () => import("../wasm/repos.js"), () => new URL("../wasm/repos_bg.wasm", import.meta.url));

/** Runs a call of the repos module with the caller's `fetch`. Every one is a write: repeated
 * only when the Hub provably did not apply it. */
export async function reposCall<N extends ReposCall>(
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	return runCall(await repos(), name, options, fetchFn, signal, true);
}
