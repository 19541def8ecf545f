/** The `files` module: listing, metadata, downloads, and what the download cache asks. */
import * as glue from "../wasm/files.js";
import { optionsJson } from "./check.js";
import { runCall, unwrap } from "./drive.js";
import { loadModule } from "./wasm.js";
import type { Calls, FileOptions, FilesCall, FileTarget, Target } from "./wire.js";

/** The module, loaded on first use. */
export const files = () => loadModule("files", glue, () => new URL("../wasm/files_bg.wasm", import.meta.url));

/** Runs a call of the files module with the caller's `fetch`. */
export async function filesCall<N extends FilesCall>(
	name: N,
	options: Calls[N]["options"],
	fetchFn: typeof fetch,
	signal: AbortSignal | undefined,
): Promise<Calls[N]["output"]> {
	return runCall(await files(), name, options, fetchFn, signal);
}

/** A file's options checked and named for the cache, with no request. */
export async function fileTarget(o: FileOptions): Promise<FileTarget> {
	return unwrap<{ done: FileTarget }>((await files()).fileTarget(optionsJson("downloadFile", o))).done;
}

/** `models/ns/name`: how the cache keys a repo, checked, with no request. */
export async function repoKeyOf(o: Target): Promise<string> {
	return unwrap<{ done: string }>((await files()).repoKey(optionsJson("repoKey", o))).done;
}
