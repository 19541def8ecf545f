// What the package's files weigh, raw, gzip and brotli (`make size` prints what each page
// fetches, with js/test/size/pages.mjs):
//   - each .wasm module;
//   - the JS as shipped: dist/index.js and every module it imports, plus the hashing worker
//     (dist/hash-worker.js and its imports), each file counted once;
//   - the same JS minified and bundled (esbuild), about what an app's bundler makes of it.
// `--check` fails when a module is above its budget. `--json` prints the numbers as JSON.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/**
 * Budgets per module, in bytes of gzip. Until issue 15 one budget (150 KB gzip) covered the one
 * .wasm plus all the JS, because every page loaded all of it. Now a page loads only its modules:
 * what a page costs is budgeted per page (js/test/size/pages.mjs), and each module here, at what
 * it weighed when split plus a little room. Raise one only with a reason in the commit message.
 */
export const MODULE_BUDGETS = { files: 29 * 1024, commit: 40 * 1024, hash: 7.5 * 1024, api: 28 * 1024, refs: 25 * 1024, repos: 21 * 1024, manage: 22 * 1024, oauth: 18.5 * 1024, info: 27 * 1024 };
const MODULES = Object.keys(MODULE_BUDGETS);

const js = fileURLToPath(new URL("../", import.meta.url));

const sizes = (buf) => ({
	raw: buf.length,
	gzip: gzipSync(buf, { level: 9 }).length,
	brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const zero = { raw: 0, gzip: 0, brotli: 0 };

/** `entry` and every module it imports statically or dynamically (relative specifiers). */
function graph(entry, seen = new Set()) {
	if (seen.has(entry)) return seen;
	seen.add(entry);
	const text = readFileSync(entry, "utf8");
	for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
		graph(join(dirname(entry), m[1]), seen);
	}
	return seen;
}

async function minified(entry) {
	const out = await build({
		entryPoints: [entry],
		bundle: true,
		minify: true,
		format: "esm",
		platform: "browser",
		target: "es2022",
		write: false,
		logLevel: "silent",
		// The .wasm and the worker are separate downloads, counted on their own.
		external: ["*.wasm", "./hash-worker.js"],
	});
	return sizes(Buffer.from(out.outputFiles[0].contents));
}

export async function measure() {
	const modules = Object.fromEntries(MODULES.map((m) => [m, sizes(readFileSync(join(js, `wasm/${m}_bg.wasm`)))]));
	const wasm = Object.values(modules).reduce(add, zero);
	const files = [...new Set([...graph(join(js, "dist/index.js")), ...graph(join(js, "dist/hash-worker.js"))])];
	const perFile = files.map((f) => ({ file: relative(js, f), ...sizes(readFileSync(f)) }));
	const shipped = perFile.reduce(add, zero);
	const bundled = add(await minified(join(js, "dist/index.js")), await minified(join(js, "dist/hash-worker.js")));
	return { modules, wasm, shipped, bundled, perFile };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
	const m = await measure();
	if (process.argv.includes("--json")) {
		console.log(JSON.stringify(m, null, 2));
	} else {
		const row = (name, s) => `| ${name.padEnd(46)} | ${kb(s.raw).padStart(9)} | ${kb(s.gzip).padStart(9)} | ${kb(s.brotli).padStart(9)} |`;
		console.log(`| ${"what a browser downloads".padEnd(46)} | ${"raw".padStart(9)} | ${"gzip".padStart(9)} | ${"brotli".padStart(9)} |`);
		console.log(`|${"-".repeat(48)}|${"-".repeat(11)}|${"-".repeat(11)}|${"-".repeat(11)}|`);
		for (const [name, size] of Object.entries(m.modules)) {
			console.log(row(`wasm/${name}_bg.wasm (budget ${kb(MODULE_BUDGETS[name])} gzip)`, size));
		}
		console.log(row("all modules", m.wasm));
		console.log(row(`JS as shipped (${m.perFile.length} files, incl. hash worker)`, m.shipped));
		console.log(row("JS minified + bundled (esbuild; incl. worker)", m.bundled));
	}
	const over = Object.entries(m.modules).filter(([name, size]) => size.gzip > MODULE_BUDGETS[name]);
	if (process.argv.includes("--check") && over.length) {
		for (const [name, size] of over) {
			console.error(`size budget exceeded: wasm/${name}_bg.wasm is ${kb(size.gzip)} gzip > ${kb(MODULE_BUDGETS[name])}. Find what grew with ` +
				`\`twiggy top -n 20\` on a build that keeps names (see ARCHITECTURE.md, "Modules").`);
		}
		process.exit(1);
	}
}
