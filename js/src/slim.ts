/**
 * Entry for bundler recipes that manage the `.wasm` themselves (e.g. Vite's `?url` import):
 * call `await init(urlOrModule)` once before anything else; calls made before it fail with an
 * error that says so.
 */
import initWasm from "../wasm/hubwasm.js";
import { fetchWasm, markReady, wasmCompileError } from "./wasm.js";

export type InitInput = string | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module from a URL, a `Response`, bytes or a compiled module. */
export async function init(input: InitInput | Promise<InitInput>): Promise<void> {
	let source = await input;
	const what = typeof source === "string" || source instanceof URL ? String(source) : source instanceof Response ? source.url || "a Response" : "the bytes or module given to init()";
	if (typeof source === "string" || source instanceof URL) source = await fetchWasm(source);
	try {
		await initWasm({ module_or_path: source });
	} catch (err) {
		throw wasmCompileError(err, what);
	}
	markReady();
}

export * from "./api.js";
