/**
 * Browser and bundler entry: each `.wasm` module sits next to this package's files and is fetched
 * with streaming compilation on the first call that needs it. When it cannot be (wrong path, a server that answers
 * with a page, a wrong MIME type), the error names the URL and how to fix it.
 */
import { fetchWasm, setLoader, wasmCompileError } from "./wasm.js";

setLoader(async (_name, url, glue) => {
	const where = url();
	const source = await fetchWasm(where);
	try {
		await glue.default({ module_or_path: source });
	} catch (err) {
		throw wasmCompileError(err, where.href);
	}
});


export * from "./api.js";
