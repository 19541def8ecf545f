/** The `refs` module: a repo's branches, tags and history. */
import { runCall } from "./drive.js";
import { loadModule } from "./wasm.js";
import type { Calls, RefsCall } from "./wire.js";

// The glue comes with the first call (`wasm.ts`): no other page carries it.
const refs = () => loadModule("refs", () => import("../wasm/refs.js"), () => new URL("../wasm/refs_bg.wasm", import.meta.url));

/** The calls that change refs: repeated only when the Hub provably did not apply them. */
const WRITES: ReadonlySet<RefsCall> = new Set(["createBranch", "deleteBranch", "createTag", "deleteTag"]);

/** Runs a call of the refs module with the caller's `fetch`. */
export async function refsCall<N extends RefsCall>(
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	return runCall(await refs(), name, options, fetchFn, signal, WRITES.has(name));
}
