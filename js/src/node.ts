/** Node entry: reads the `.wasm` next to this module from disk; no network, no bundler. */
import { readFile } from "node:fs/promises";
import { initSync } from "../wasm/hubwasm.js";
import { setLoader } from "./wasm.js";

setLoader(async () => {
	const bytes = await readFile(new URL("../wasm/hubwasm_bg.wasm", import.meta.url));
	initSync({ module: new WebAssembly.Module(bytes) });
});

export * from "./api.js";
