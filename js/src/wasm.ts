/**
 * Loading the WebAssembly module. Each entry point (browser, Node, workerd, slim) registers how
 * to obtain the module; the first API call runs that once and every later call reuses it.
 */
import * as bindings from "../wasm/hubwasm.js";
import { HubError } from "./error.js";

export type Bindings = typeof bindings;

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
	ready = Promise.resolve(bindings);
}

/** The initialised bindings. */
export function wasm(): Promise<Bindings> {
	if (!ready) {
		const load = loader;
		if (!load) {
			return Promise.reject(
				new Error(
					"hubwasm: the WebAssembly module is not initialised. With the 'hubwasm/slim' entry, call `await init(wasmUrlOrModule)` before any other function.",
				),
			);
		}
		ready = (async () => {
			await load();
			bindings.setErrorClass(HubError);
			return bindings;
		})();
		// A failed load must not poison every later call: let the next call try again.
		ready.catch(() => {
			ready = undefined;
		});
	}
	return ready;
}

export { bindings };
