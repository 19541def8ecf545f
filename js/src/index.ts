/**
 * Browser and bundler entry: the `.wasm` sits next to this package's files and is fetched with
 * streaming compilation on the first call.
 */
import initWasm from "../wasm/hubwasm.js";
import { setLoader } from "./wasm.js";

setLoader(async () => {
	await initWasm({ module_or_path: new URL("../wasm/hubwasm_bg.wasm", import.meta.url) });
});

export * from "./api.js";
