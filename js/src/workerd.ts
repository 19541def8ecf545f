/**
 * Cloudflare Workers entry: the `.wasm` modules are imported statically, so the Workers runtime
 * compiles them at deploy time (it forbids compiling from bytes at run time). Nothing runs at
 * module scope beyond registering the loader; a module is instantiated on its first call.
 */
import commit from "../wasm/commit_bg.wasm";
import files from "../wasm/files_bg.wasm";
import hash from "../wasm/hash_bg.wasm";
import api from "../wasm/api_bg.wasm";
import refs from "../wasm/refs_bg.wasm";
import repos from "../wasm/repos_bg.wasm";
import manage from "../wasm/manage_bg.wasm";
import oauth from "../wasm/oauth_bg.wasm";
import info from "../wasm/info_bg.wasm";
import { setRuntimeStore } from "./cache/defaults.js";
import { CacheApiStore } from "./cache/cache-api.js";
import { setLoader, WasmLoadError, type ModuleName } from "./wasm.js";

const compiled: Record<ModuleName, unknown> = { api, commit, files, hash, refs, repos, manage, oauth, info };

setLoader((name, _url, glue) => {
	const module = compiled[name];
	if (!(module instanceof WebAssembly.Module)) {
		throw new WasmLoadError(
			`hubwasm: the Workers entry imports '${name}_bg.wasm' and expects a compiled WebAssembly.Module, but got ` +
				`${typeof module === "string" ? `the string ${JSON.stringify(String(module).slice(0, 80))}` : typeof module}. ` +
				"Wrangler does this by itself; with another bundler, load '.wasm' imports as compiled modules " +
				"(Workers forbid compiling WebAssembly from bytes at run time).",
		);
	}
	glue.initSync({ module });
});

// `cache: true`: the Workers runtime's default cache.
setRuntimeStore(() => new CacheApiStore({ cache: (globalThis.caches as unknown as { default: Cache }).default }));

export * from "./api.js";
