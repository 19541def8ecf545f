/**
 * Loading the WebAssembly modules. The package ships one `.wasm` per area (`files`, `commit`,
 * `hash`, `api`, `refs`, `repos`, `manage`, `oauth`, `info`), each with its own wasm-bindgen glue; a call loads its module on first use,
 * so a page fetches only the modules of the calls it makes. Each entry point registers how a
 * module is obtained in its runtime (a fetch, a file read, a module Wrangler compiled, or the
 * caller's `init`); the first call of an area runs it once and later calls reuse the module.
 */

/** The modules the package ships. */
export type ModuleName = "files" | "commit" | "hash" | "api" | "refs" | "repos" | "manage" | "oauth" | "info";

/** What wasm-bindgen's glue for a module exports to initialise it. */
export interface Glue {
	default(init: { module_or_path: Response | BufferSource | WebAssembly.Module | Promise<Response> }): Promise<unknown>;
	initSync(init: { module: BufferSource | WebAssembly.Module }): unknown;
}

/** How an entry point obtains module `name` (at `url`, the file next to the package's code). */
export type Loader = (name: ModuleName, url: () => URL, glue: Glue) => Promise<void> | void;

let loader: Loader | undefined;
const ready = new Map<ModuleName, Promise<void>>();

/** Called by entry points at import time; does no work until a module is first used. */
export function setLoader(load: Loader): void {
	loader = load;
}

/**
 * Module `name`, loaded once. `url` names the file with a literal `new URL(…, import.meta.url)`
 * in the caller's own source, so bundlers emit exactly the modules a page can use. `glue` is the
 * module's glue, or for an area few pages use a function that imports it: its ~4 KB of glue then
 * stays out of every other page's bundle, and its first call fetches the glue, then the `.wasm`.
 */
export async function loadModule<G extends Glue>(name: ModuleName, glue: G | (() => Promise<G>), url: () => URL): Promise<G> {
	const g = typeof glue === "function" ? await glue() : glue;
	let p = ready.get(name);
	if (!p) {
		const load = loader;
		if (!load) {
			throw new WasmLoadError(
				"hubwasm: the WebAssembly modules are not initialised yet. With the 'hubwasm/slim' entry, call " +
					"`init(…)` once before any other function (see the README), or import from 'hubwasm', which loads them by itself.",
			);
		}
		p = Promise.resolve().then(() => load(name, url, g));
		ready.set(name, p);
		// A failed load must not poison every later call: let the next call try again.
		p.catch(() => ready.delete(name));
	}
	await p;
	return g;
}

/** Why the WebAssembly module could not be loaded; `url` is where it was looked for. */
export class WasmLoadError extends Error {
	override name = "WasmLoadError";
	readonly url?: string;
	constructor(message: string, url?: string, cause?: unknown) {
		super(message, cause === undefined ? undefined : { cause });
		this.url = url;
	}
}

const HOW_TO_FIX =
	"Serve the package's 'wasm/' folder (node_modules/hubwasm/wasm/) next to its 'dist/', as installed, " +
	"with 'Content-Type: application/wasm', or import from 'hubwasm/slim' and call `init({ files, commit, hash, api, refs, repos, manage, oauth, info })` " +
	"with where you serve each module (in Vite: `import files from \"hubwasm/wasm/files_bg.wasm?url\"`).";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * Fetches the `.wasm` at `url` and checks what came back (`wasmSource`), so a wrong path or a
 * server's fallback page fails with an error that names the URL instead of a bare `CompileError`.
 */
export async function fetchWasm(url: string | URL): Promise<Response | ArrayBuffer> {
	const href = String(url);
	let res: Response;
	try {
		res = await fetch(href);
	} catch (err) {
		throw new WasmLoadError(
			`hubwasm: could not fetch the WebAssembly module from ${href}: ${err instanceof Error ? err.message : String(err)}. ${HOW_TO_FIX}`,
			href,
			err,
		);
	}
	return wasmSource(res, href);
}

/**
 * What the glue is given for a `Response`: the `Response` itself, for streaming compilation, when
 * it is served as `application/wasm`, otherwise its bytes after checking they are WebAssembly.
 * The glue takes a `Response` as it is (`scripts/trim-glue.mjs`), so every one passes here.
 */
export async function wasmSource(res: Response, href: string): Promise<Response | ArrayBuffer> {
	if (!res.ok) {
		throw new WasmLoadError(
			`hubwasm: the WebAssembly module was not found: GET ${href} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}. ${HOW_TO_FIX}`,
			href,
		);
	}
	const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
	if (type === "application/wasm" && typeof WebAssembly.instantiateStreaming === "function") return res;
	const bytes = await res.arrayBuffer();
	const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
	if (!WASM_MAGIC.every((b, i) => head[i] === b)) {
		const start = new TextDecoder().decode(new Uint8Array(bytes, 0, Math.min(40, bytes.byteLength))).replace(/\s+/g, " ");
		throw new WasmLoadError(
			`hubwasm: ${href} is not a WebAssembly module: it was served as '${type || "no Content-Type"}' and starts with ` +
				`${JSON.stringify(start)} (a server that answers unknown paths with a page does this). ${HOW_TO_FIX}`,
			href,
		);
	}
	if (type !== "application/wasm") {
		console.warn(
			`hubwasm: ${href} is served as '${type || "no Content-Type"}' instead of 'application/wasm', so it cannot be compiled ` +
				"while it downloads (slower start). Configure your server to send 'Content-Type: application/wasm' for .wasm files.",
		);
	}
	return bytes;
}

/** Turns a compile or link failure into an error that says which module failed. */
export function wasmCompileError(err: unknown, what: string): WasmLoadError {
	if (err instanceof WasmLoadError) return err;
	const msg = err instanceof Error ? err.message : String(err);
	return new WasmLoadError(
		`hubwasm: the WebAssembly module from ${what} could not be compiled (${msg}). It must be the '<module>_bg.wasm' ` +
			"shipped in the same version of the package as the JavaScript that loads it.",
		what,
		err,
	);
}

