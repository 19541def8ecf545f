/**
 * Cloudflare Workers entry: the `.wasm` is imported statically, so the Workers runtime compiles
 * it at deploy time (it forbids compiling from bytes at run time). Nothing runs at module scope
 * beyond registering the loader.
 */
import wasmModule from "../wasm/hubwasm_bg.wasm";
import { initSync } from "../wasm/hubwasm.js";
import { setLoader } from "./wasm.js";

setLoader(() => {
	initSync({ module: wasmModule });
});

export * from "./api.js";
