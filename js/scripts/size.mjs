// What a browser user downloads from this package, raw, gzip and brotli:
//   - the .wasm;
//   - the JS as shipped: dist/index.js and every module it imports, plus the hashing worker
//     (dist/hash-worker.js and its imports), each file counted once, as a plain page loads them;
//   - the same JS minified and bundled (esbuild), about what an app's bundler makes of it.
// `--check` fails when the total (wasm + JS as shipped, gzip) is above BUDGET_GZIP.
// `--json` prints the numbers as JSON.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/**
 * The budget, in bytes of gzip: the wasm plus the JS as shipped. Baseline when it was set:
 * 148.9 KB wasm + 20.4 KB JS = 169.3 KB (list, download, commit/upload, hashing); with the
 * IndexedDB download cache: 153.0 KB + 30.9 KB = 183.9 KB (budget 200 KB). Lowered after the
 * size work of issue 6 (opt-level "z", one async export, JSON read through one Value): 98.2 KB
 * wasm + 37.2 KB JS = 135.3 KB, budget 150 KB. Raise it only with a reason in the commit message.
 */
export const BUDGET_GZIP = 150 * 1024;

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
	const wasm = MODULES.map((m) => sizes(readFileSync(join(js, `wasm/${m}_bg.wasm`)))).reduce(add, zero);
	const files = [...new Set([...graph(join(js, "dist/index.js")), ...graph(join(js, "dist/hash-worker.js"))])];
	const perFile = files.map((f) => ({ file: relative(js, f), ...sizes(readFileSync(f)) }));
	const shipped = perFile.reduce(add, zero);
	const bundled = add(await minified(join(js, "dist/index.js")), await minified(join(js, "dist/hash-worker.js")));
	return { wasm, shipped, bundled, perFile, total: add(wasm, shipped), budgetGzip: BUDGET_GZIP };
}

const MODULES = ["files", "commit", "hash", "api"];

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
	const m = await measure();
	if (process.argv.includes("--json")) {
		console.log(JSON.stringify(m, null, 2));
	} else {
		const row = (name, s) => `| ${name.padEnd(46)} | ${kb(s.raw).padStart(9)} | ${kb(s.gzip).padStart(9)} | ${kb(s.brotli).padStart(9)} |`;
		console.log(`| ${"what a browser downloads".padEnd(46)} | ${"raw".padStart(9)} | ${"gzip".padStart(9)} | ${"brotli".padStart(9)} |`);
		console.log(`|${"-".repeat(48)}|${"-".repeat(11)}|${"-".repeat(11)}|${"-".repeat(11)}|`);
		console.log(row("wasm/hubwasm_bg.wasm", m.wasm));
		console.log(row(`JS as shipped (${m.perFile.length} files, incl. hash worker)`, m.shipped));
		console.log(row("JS minified + bundled (esbuild; incl. worker)", m.bundled));
		console.log(row("total: wasm + JS as shipped", m.total));
		console.log(`budget: ${kb(m.budgetGzip)} gzip for wasm + JS as shipped; used ${kb(m.total.gzip)} (${((100 * m.total.gzip) / m.budgetGzip).toFixed(0)}%)`);
	}
	if (process.argv.includes("--check") && m.total.gzip > m.budgetGzip) {
		console.error(`size budget exceeded: ${kb(m.total.gzip)} gzip > ${kb(m.budgetGzip)}. Find what grew with ` +
			"`twiggy top -n 20 js/wasm/hubwasm_bg.wasm` and `node js/scripts/size.mjs --json`.");
		process.exit(1);
	}
}
