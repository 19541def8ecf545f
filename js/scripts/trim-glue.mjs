// node js/scripts/trim-glue.mjs js/wasm/<module>.js…: cuts from wasm-bindgen's `--target web` glue
// the paths hubwasm never takes, in place (`make build-wasm` runs it after wasm-bindgen).
//
// The glue is generic: it accepts a path and fetches it, falls back when a server sends the wrong
// Content-Type, warns about parameters of older releases, polyfills `TextEncoder.encodeInto` and
// grows a string's buffer in place. hubwasm's loaders (`src/wasm.ts` `fetchWasm`, `slim.ts`,
// `node.ts`, `workerd.ts`, `hash-worker.ts`) always pass `{ module_or_path }` / `{ module }` with a
// `Response` already checked to be `application/wasm`, bytes, or a compiled module, and every
// runtime hubwasm supports has `encodeInto`. What is cut is about 600 B gzip per module's glue
// (docs/boundary.md), which every page pays for the modules it loads.
//
// Each cut must match exactly once (those about strings, in glue that passes strings): a
// wasm-bindgen that writes its glue differently fails the build here instead of shipping
// half-trimmed glue (wasm-bindgen is pinned in Cargo.toml).
import { readFileSync, writeFileSync } from "node:fs";

const CUTS = [
	{
		why: "the encodeInto polyfill",
		when: /cachedTextEncoder/,
		from: /\nif \(!\('encodeInto' in cachedTextEncoder\)\) \{\n[\s\S]*?\n\}\n/,
		to: "\n",
	},
	{
		why: "strings: encoded, then copied in (they are small JSON; no growing in place)",
		when: /cachedTextEncoder/,
		from: /function passStringToWasm0\(arg, malloc, realloc\) \{\n[\s\S]*?\n    WASM_VECTOR_LEN = offset;\n    return ptr;\n\}\n/,
		to: `function passStringToWasm0(arg, malloc) {
    const buf = cachedTextEncoder.encode(arg);
    const ptr = malloc(buf.length, 1) >>> 0;
    getUint8ArrayMemory0().set(buf, ptr);
    WASM_VECTOR_LEN = buf.length;
    return ptr;
}
`,
	},
	{
		why: "loading: a Response is application/wasm (checked by the loader), else bytes or a module",
		from: /async function __wbg_load\(module, imports\) \{\n[\s\S]*?\n    function expectedResponseType\(type\) \{\n[\s\S]*?\n    \}\n\}\n/,
		to: `async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        return await WebAssembly.instantiateStreaming(module, imports);
    }
    const instance = await WebAssembly.instantiate(module, imports);
    return instance instanceof WebAssembly.Instance ? { instance, module } : instance;
}
`,
	},
	{
		why: "initSync: always { module }",
		from: /\n    if \(module !== undefined\) \{\n        if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\n[\s\S]*?\n    \}\n/,
		to: "\n    ({ module } = module);\n",
	},
	{
		why: "init: always { module_or_path }",
		from: /\n    if \(module_or_path !== undefined\) \{\n        if \(Object\.getPrototypeOf\(module_or_path\) === Object\.prototype\) \{\n[\s\S]*?\n    \}\n/,
		to: "\n    ({ module_or_path } = module_or_path);\n",
	},
	{
		why: "init: never a path to fetch",
		from: /\n    if \(typeof module_or_path === 'string' \|\| [\s\S]*?\n    \}\n/,
		to: "\n",
	},
];

for (const file of process.argv.slice(2)) {
	let text = readFileSync(file, "utf8");
	for (const { why, when, from, to } of CUTS) {
		if (when && !when.test(text)) continue;
		const found = text.match(new RegExp(from.source, "g"))?.length ?? 0;
		if (found !== 1) throw new Error(`${file}: the glue's ${why} was found ${found} times, not once: has wasm-bindgen changed?`);
		text = text.replace(from, to);
	}
	writeFileSync(file, text);
}
