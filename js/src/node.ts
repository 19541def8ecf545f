/** Node entry: reads the `.wasm` next to this module from disk; no network, no bundler. */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { initSync } from "../wasm/hubwasm.js";
import { collectBlob } from "./collect-blob.js";
import { setPlatformHasher } from "./hashers.js";
import { setBodyCollector } from "./platform.js";
import { setLoader } from "./wasm.js";

setLoader(async () => {
	const bytes = await readFile(new URL("../wasm/hubwasm_bg.wasm", import.meta.url));
	initSync({ module: new WebAssembly.Module(bytes) });
});

setBodyCollector(collectBlob);

// OpenSSL's SHA-256 is several times faster than wasm here; memory stays bounded because the
// content is read in 8 MiB slices.
setPlatformHasher(async (content, onBytes, signal) => {
	const h = createHash("sha256");
	const step = 8 * 1024 * 1024;
	for (let start = 0; start < content.size; start += step) {
		signal?.throwIfAborted();
		const end = Math.min(start + step, content.size);
		h.update(new Uint8Array(await content.slice(start, end).arrayBuffer()));
		onBytes(end);
	}
	return h.digest("hex");
});

export * from "./api.js";
// The huggingface_hub cache layout on disk, shared with Python (pass it as `cache`).
export { FileSystemCache, defaultCacheDir } from "./cache/filesystem.js";
