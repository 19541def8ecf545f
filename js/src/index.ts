/**
 * Browser and bundler entry: the `.wasm` sits next to this package's files and is fetched with
 * streaming compilation on the first call. When it cannot be (wrong path, a server that answers
 * with a page, a wrong MIME type), the error names the URL and how to fix it.
 */
import initWasm from "../wasm/hubwasm.js";
import { IndexedDbCache } from "./cache/indexeddb.js";
import { setDefaultCache } from "./cache/defaults.js";
import { fetchWasm, setLoader, wasmCompileError } from "./wasm.js";

setLoader(async () => {
	const url = new URL("../wasm/hubwasm_bg.wasm", import.meta.url);
	const source = await fetchWasm(url);
	try {
		await initWasm({ module_or_path: source });
	} catch (err) {
		throw wasmCompileError(err, url.href);
	}
});

// Browsers cache downloads in IndexedDB by default (pass `cache: false` to opt out).
setDefaultCache(() => (typeof indexedDB === "undefined" ? undefined : new IndexedDbCache()));

export * from "./api.js";
