/** The `api` module: the calls few pages make (a file's metadata, whether a repo exists and who may read or write it, the account). */
import { runCall } from "./drive.js";
import { loadModule } from "./wasm.js";
import type { Calls, ApiCall } from "./wire.js";

// The glue comes with the first call (`wasm.ts`): no other page carries it.
const api = () => loadModule("api", () => import("../wasm/api.js"), () => new URL("../wasm/api_bg.wasm", import.meta.url));

/** Runs a call of the api module with the caller's `fetch`. */
export async function apiCall<N extends ApiCall>(
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	return runCall(await api(), name, options, fetchFn, signal);
}
