// The CommonJS build for Node (`require("hubwasm")`), run after `tsc` by `npm run build`:
//   dist/node.cjs    the Node entry bundled by esbuild into one CommonJS file (Node 20 cannot
//                    require() ES modules); it reads ../wasm/hubwasm_bg.wasm next to itself.
//   dist/*.d.cts     the declarations reachable from dist/node.d.ts (and wasm/hubwasm.d.cts if
//                    they reach it), copied as CommonJS declarations, so TypeScript projects that
//                    compile to CommonJS type-check.
import { build } from "esbuild";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const js = fileURLToPath(new URL("../", import.meta.url));
const dist = join(js, "dist");

await build({
	entryPoints: [join(js, "src/node.ts")],
	outfile: join(dist, "node.cjs"),
	bundle: true,
	format: "cjs",
	platform: "node",
	target: "node20",
	sourcemap: true,
	sourcesContent: false,
	logLevel: "warning",
	// `import.meta.url` has no CommonJS meaning; this file's own URL is the same thing here.
	define: { "import.meta.url": "__hubwasm_module_url" },
	banner: { js: 'const __hubwasm_module_url = require("node:url").pathToFileURL(__filename).href;' },
});

// Relative imports in the ESM declarations end in ".js"; the CommonJS copies point at ".cjs".
const seen = new Set();
async function copyDeclaration(file) {
	if (seen.has(file)) return;
	seen.add(file);
	const text = await readFile(file, "utf8");
	const deps = [];
	const out = text
		.replace(/\/\/# sourceMappingURL=.*$/m, "")
		.replace(/(from\s+|import\()"(\.{1,2}\/[^"]+)\.js"/g, (_, lead, spec) => {
			deps.push(join(dirname(file), `${spec}.d.ts`));
			return `${lead}"${spec}.cjs"`;
		});
	for (const dep of deps) {
		const where = relative(js, dep);
		if (!where.startsWith("dist/") && !where.startsWith("wasm/")) throw new Error(`${file} imports ${dep}, outside the package`);
		await copyDeclaration(dep);
	}
	await writeFile(file.replace(/\.d\.ts$/, ".d.cts"), out);
}
await copyDeclaration(join(dist, "node.d.ts"));
