/**
 * Entry for bundler recipes that manage the `.wasm` files themselves (e.g. Vite's `?url`
 * imports): call `init(…)` once, before anything else, with where each module is; a module is
 * still only fetched when a call first needs it. Calls made before `init` fail with an error
 * that says so.
 */
import { fetchWasm, setLoader, WasmLoadError, wasmCompileError, wasmSource, type ModuleName } from "./wasm.js";

export type { ModuleName } from "./wasm.js";

/** Where a module comes from: a URL, a `Response`, its bytes, or a compiled module. */
export type InitInput = string | URL | Response | BufferSource | WebAssembly.Module;

/** Each module's input, or a function from a module's name to its input. */
export type InitParams = Partial<Record<ModuleName, InitInput | Promise<InitInput>>> | ((name: ModuleName) => InitInput | Promise<InitInput>);

/**
 * Says where the modules are (`{ files, commit, hash, api, refs, repos, manage, oauth, info }`, or `(name) => input`). Nothing is
 * fetched here: each module is loaded by the first call that needs it.
 */
export async function init(params: InitParams): Promise<void> {
	const single = typeof params === "string" || params instanceof URL || params instanceof Response || ArrayBuffer.isView(params) ||
		params instanceof ArrayBuffer || params instanceof WebAssembly.Module;
	if (single || params === null || (typeof params !== "object" && typeof params !== "function")) {
		throw new WasmLoadError(
			"hubwasm/slim: init() takes where each module is, `{ files, commit, hash, api, refs, repos, manage, oauth, info }` (or a function of the module's name), " +
				"not one input: the package ships one .wasm per area (see the README, 'Your own .wasm URLs').",
		);
	}
	const inputOf = typeof params === "function" ? params : (name: ModuleName) => params[name];
	setLoader(async (name, _url, glue) => {
		let source = await inputOf(name);
		if (source === undefined) {
			throw new WasmLoadError(`hubwasm/slim: init() was not told where the '${name}' module is.`);
		}
		const what =
			typeof source === "string" || source instanceof URL ? String(source) : source instanceof Response ? source.url || "a Response" : `the '${name}' module given to init()`;
		if (typeof source === "string" || source instanceof URL) source = await fetchWasm(source);
		else if (source instanceof Response) source = await wasmSource(source, what);
		try {
			await glue.default({ module_or_path: source });
		} catch (err) {
			throw wasmCompileError(err, what);
		}
	});
}

export * from "./api.js";
