/**
 * Loading the WebAssembly module. Each entry point (browser, Node, workerd, slim) registers how
 * to obtain the module; the first API call runs that once and every later call reuses it.
 */
import * as bindings from "../wasm/hubwasm.js";
import { HubError } from "./error.js";
import type { Calls, CommitOptions, CommitResult, FileOptions, FileTarget, Target } from "./wire.js";

type Raw = typeof bindings;

const json = (o: object): string => JSON.stringify(o);

/**
 * The wasm exports as the rest of the package uses them. Options and results cross the
 * boundary as JSON text (one JSON codec in the wasm instead of a second, serde-wasm-bindgen's
 * JsValue walker: measured ~40 KB, ~16.7 KB gzip, smaller; docs/boundary.md), typed on this side
 * by `wire.ts`, which is generated from the Rust types; `fetch`, signals, Blobs and Responses
 * stay JS objects.
 */
function facade(b: Raw) {
	return {
		Sha256: b.Sha256,
		GitBlobSha1: b.GitBlobSha1,
		/** Runs a named Hub call (every one but `commit`; `wire.Calls` lists them). */
		async call<N extends keyof Calls>(
			name: N,
			options: Calls[N]["options"],
			f: typeof fetch,
			s: AbortSignal | undefined,
		): Promise<Calls[N]["output"]> {
			const v: unknown = await b.call(name, json(options), f, s);
			return typeof v === "string" ? JSON.parse(v) : v;
		},
		fileTarget: (o: FileOptions): FileTarget => JSON.parse(b.fileTarget(json(o))),
		repoKey: (o: Target): string => b.repoKey(json(o)),
		checkCommit: (o: CommitOptions): void => b.checkCommit(json(o)),
		commit: async (
			o: CommitOptions,
			contents: unknown[],
			f: typeof fetch,
			s: AbortSignal | undefined,
			onProgress: unknown,
			hasher: unknown,
		): Promise<CommitResult> => JSON.parse((await b.commit(json(o), contents as any, f, s, onProgress, hasher)) as string),
	};
}

export type Bindings = ReturnType<typeof facade>;

type Loader = () => Promise<void> | void;

let loader: Loader | undefined;
let ready: Promise<Bindings> | undefined;

/** Called by entry points at import time; does no work until the first call. */
export function setLoader(load: Loader): void {
	loader = load;
}

/** Marks the module as ready after an explicit `init` (the `/slim` entry). */
export function markReady(): void {
	bindings.setErrorClass(HubError);
	ready = Promise.resolve(facade(bindings));
}

/** The initialised bindings. */
export function wasm(): Promise<Bindings> {
	if (!ready) {
		const load = loader;
		if (!load) {
			return Promise.reject(
				new WasmLoadError(
					"hubwasm: the WebAssembly module is not initialised yet. With the 'hubwasm/slim' entry, call " +
						"`await init(wasmUrl)` once before any other function (in Vite: " +
						"`import wasmUrl from \"hubwasm/hubwasm_bg.wasm?url\"`), or import from 'hubwasm', which loads it by itself.",
				),
			);
		}
		ready = (async () => {
			await load();
			bindings.setErrorClass(HubError);
			return facade(bindings);
		})();
		// A failed load must not poison every later call: let the next call try again.
		ready.catch(() => {
			ready = undefined;
		});
	}
	return ready;
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
	"Serve the package's file 'hubwasm/hubwasm_bg.wasm' (it is in node_modules/hubwasm/wasm/) at that URL " +
	"with 'Content-Type: application/wasm', or import from 'hubwasm/slim' and call `await init(url)` with the URL " +
	"where you serve it (in Vite: `import wasmUrl from \"hubwasm/hubwasm_bg.wasm?url\"`).";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * Fetches the `.wasm` at `url` and checks what came back, so a wrong path or a server's
 * fallback page fails with an error that names the URL instead of a bare `CompileError`.
 * Returns the `Response` for streaming compilation when it is served as `application/wasm`,
 * otherwise the bytes (after checking they are WebAssembly).
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
	if (!res.ok) {
		throw new WasmLoadError(
			`hubwasm: the WebAssembly module was not found: GET ${href} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}. ${HOW_TO_FIX}`,
			href,
		);
	}
	const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
	if (type === "application/wasm") return res;
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
	console.warn(
		`hubwasm: ${href} is served as '${type || "no Content-Type"}' instead of 'application/wasm', so it cannot be compiled ` +
			"while it downloads (slower start). Configure your server to send 'Content-Type: application/wasm' for .wasm files.",
	);
	return bytes;
}

/** Turns a compile or link failure into an error that says which module failed. */
export function wasmCompileError(err: unknown, what: string): WasmLoadError {
	if (err instanceof WasmLoadError) return err;
	const msg = err instanceof Error ? err.message : String(err);
	return new WasmLoadError(
		`hubwasm: the WebAssembly module from ${what} could not be compiled (${msg}). It must be the 'hubwasm_bg.wasm' ` +
			"shipped in the same version of the package as the JavaScript that loads it.",
		what,
		err,
	);
}

