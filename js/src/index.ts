/**
 * Browser and bundler entry: the `.wasm` sits next to this package's files and is fetched with
 * streaming compilation on the first call.
 */
import initWasm from "../wasm/hubwasm.js";
import { IndexedDbCache } from "./cache/indexeddb.js";
import { setDefaultCache } from "./cache/defaults.js";
import { setLoader } from "./wasm.js";

setLoader(async () => {
	await initWasm({ module_or_path: new URL("../wasm/hubwasm_bg.wasm", import.meta.url) });
});

// Browsers cache downloads in IndexedDB by default (pass `cache: false` to opt out).
setDefaultCache(() => (typeof indexedDB === "undefined" ? undefined : new IndexedDbCache()));

export * from "./api.js";
