/**
 * Cloudflare Workers entry: the `.wasm` is imported statically, so the Workers runtime compiles
 * it at deploy time (it forbids compiling from bytes at run time). Nothing runs at module scope
 * beyond registering the loader.
 */
import wasmModule from "../wasm/hubwasm_bg.wasm";
import { initSync } from "../wasm/hubwasm.js";
import { setLoader, WasmLoadError } from "./wasm.js";

setLoader(() => {
	if (!(wasmModule instanceof WebAssembly.Module)) {
		throw new WasmLoadError(
			"hubwasm: the Workers entry imports 'hubwasm_bg.wasm' and expects a compiled WebAssembly.Module, but got " +
				`${typeof wasmModule === "string" ? `the string ${JSON.stringify(String(wasmModule).slice(0, 80))}` : typeof wasmModule}. ` +
				"Wrangler does this by itself; with another bundler, load '.wasm' imports as compiled modules " +
				"(Workers forbid compiling WebAssembly from bytes at run time).",
		);
	}
	initSync({ module: wasmModule });
});

export * from "./api.js";
