/**
 * Entry for bundler recipes that manage the `.wasm` themselves (e.g. Vite's `?url` import):
 * call `await init(urlOrModule)` once before anything else.
 */
import initWasm from "../wasm/hubwasm.js";
import { markReady } from "./wasm.js";

export type InitInput = string | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module from a URL, a `Response`, bytes or a compiled module. */
export async function init(input: InitInput | Promise<InitInput>): Promise<void> {
	await initWasm({ module_or_path: await input });
	markReady();
}

export * from "./api.js";
