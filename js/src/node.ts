/** Node entry: reads each `.wasm` module from the package's folder on first use; no network, no bundler. */
import { createHash } from "node:crypto";
import { openAsBlob } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { HubError } from "./error.js";
import { setRuntimeStore } from "./cache/defaults.js";
import { FileSystemCache } from "./cache/filesystem.js";
import { setPlatformHasher } from "./hashers.js";
import { setPlatformHashes } from "./verify.js";
import { setFolderReader } from "./upload-folder.js";
import { setLoader, WasmLoadError, wasmCompileError } from "./wasm.js";

setLoader(async (_name, url, glue) => {
	const where = url();
	const bytes = await readFile(where).catch((err: unknown) => {
		throw new WasmLoadError(
			`hubwasm: cannot read the WebAssembly module at ${where.protocol === "file:" ? decodeURIComponent(where.pathname) : where.href} ` +
				`(${err instanceof Error ? err.message : String(err)}). The Node entry reads the modules in 'wasm/' of the installed ` +
				"package; if you bundled it, copy that folder next to the bundle as it is in the package, or import from 'hubwasm/slim' " +
				"and call `init(…)`.",
			where.href,
			err,
		);
	});
	try {
		glue.initSync({ module: new WebAssembly.Module(bytes) });
	} catch (err) {
		throw wasmCompileError(err, where.href);
	}
});

// `cache: true`: the huggingface_hub folder (HF_HUB_CACHE, HF_HOME or ~/.cache/huggingface/hub).
setRuntimeStore(() => new FileSystemCache());

// Verifying downloads: OpenSSL through node:crypto is several times faster than wasm here.
const digestOf = (h: ReturnType<typeof createHash>) => {
	let hex: string | undefined;
	return {
		update: (chunk: Uint8Array) => void h.update(chunk),
		digest: () => (hex ??= h.digest("hex")),
	};
};
setPlatformHashes({
	sha256: () => digestOf(createHash("sha256")),
	gitBlobSha1: (size) => digestOf(createHash("sha1").update(`blob ${size}\0`)),
});

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

// `uploadFolder({ folder: "path" })`: every regular file below it, a symbolic link followed to a
// file (a broken one skipped, as Python does) but never into a folder (no loops), each as a Blob
// backed by the file: nothing is read until it is hashed or sent. A path that is not a folder is
// `InvalidInput`.
setFolderReader(async (folder) => {
	const out: { path: string; content: Blob }[] = [];
	const walk = async (dir: string, prefix: string): Promise<void> => {
		for (const d of await readdir(dir, { withFileTypes: true })) {
			const abs = join(dir, d.name);
			if (d.isDirectory()) await walk(abs, `${prefix}${d.name}/`);
			else if (d.isFile() || (d.isSymbolicLink() && (await stat(abs).then((s) => s.isFile(), () => false)))) {
				out.push({ path: prefix + d.name, content: await openAsBlob(abs) });
			}
		}
	};
	try {
		await walk(folder, "");
	} catch (err) {
		const code = (err as { code?: string }).code;
		if (code === "ENOENT" || code === "ENOTDIR") {
			throw new HubError({ code: "InvalidInput", message: `uploadFolder: ${JSON.stringify(folder)} is not a folder (${code})` });
		}
		throw new HubError({ code: "Storage", message: `uploadFolder: cannot read ${JSON.stringify(folder)}: ${err instanceof Error ? err.message : String(err)}` });
	}
	return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
});

export * from "./api.js";
// The huggingface_hub cache layout on disk, shared with Python (pass it as `cache`).
export { FileSystemCache, defaultCacheDir } from "./cache/filesystem.js";
export type { FileSystemCacheOptions } from "./cache/filesystem.js";
export { downloadFileToCacheDir } from "./download-file-to-cache-dir.js";
// Replaces the common `snapshotDownload`: in Node it defaults to the huggingface_hub folder.
export { snapshotDownload } from "./snapshot-download-node.js";
export type { NodeSnapshotDownloadParams, NodeSnapshotDownloadResult } from "./snapshot-download-node.js";
export type { DownloadFileToCacheDirParams } from "./download-file-to-cache-dir.js";
