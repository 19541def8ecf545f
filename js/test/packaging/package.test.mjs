// What `npm pack` puts in the tarball, the export map, and the types as TypeScript users see them
// (ESM and CommonJS under node16 resolution, and a bundler project).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { jsRoot, project, run } from "./support.mjs";

let p, pkg;

describe("the tarball", () => {
	before(async () => {
		p = await project();
		pkg = JSON.parse(await readFile(join(p.app, "node_modules/hubwasm/package.json"), "utf8"));
	});

	test("holds the .wasm, ESM, CommonJS, declarations, source maps and a README, and nothing else", () => {
		const files = new Set(p.files);
		for (const f of [
			"package.json", "README.md", "wasm/files_bg.wasm", "wasm/files.js", "wasm/files.d.ts", "wasm/commit_bg.wasm",
			"wasm/hash_bg.wasm", "wasm/api_bg.wasm", "wasm/refs_bg.wasm", "wasm/repos_bg.wasm", "wasm/manage_bg.wasm", "wasm/oauth_bg.wasm", "wasm/info_bg.wasm",
			"dist/index.js", "dist/index.d.ts", "dist/index.js.map", "dist/node.js", "dist/node.cjs", "dist/node.cjs.map",
			"dist/node.d.cts", "dist/workerd.js", "dist/slim.js", "dist/slim.d.ts", "dist/hash-worker.js", "src/index.ts",
		]) assert.ok(files.has(f), `missing ${f}`);
		assert.deepEqual(p.files.filter((f) => f.endsWith(".wasm")).sort(), ["wasm/api_bg.wasm", "wasm/commit_bg.wasm", "wasm/files_bg.wasm", "wasm/hash_bg.wasm", "wasm/info_bg.wasm", "wasm/manage_bg.wasm", "wasm/oauth_bg.wasm", "wasm/refs_bg.wasm", "wasm/repos_bg.wasm"], "one .wasm per module");
		const stray = p.files.filter((f) => !/^(package\.json|README\.md|dist\/|src\/|wasm\/)/.test(f));
		assert.deepEqual(stray, []);
		for (const f of p.files.filter((f) => f.startsWith("dist/") && f.endsWith(".js"))) {
			assert.ok(files.has(`${f}.map`), `no source map for ${f}`);
		}
	});

	test("exports: conditions in the order types, workerd, node, browser, import, default; /slim; the raw .wasm modules", () => {
		assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "workerd", "node", "browser", "import", "default"]);
		assert.deepEqual(pkg.exports["."].node, { require: "./dist/node.cjs", default: "./dist/node.js" });
		assert.equal(pkg.exports["./slim"].default, "./dist/slim.js");
		assert.equal(pkg.exports["./wasm/*.wasm"], "./wasm/*.wasm");
		assert.equal(pkg.main, "./dist/node.cjs");
		// Every path the manifest names is in the tarball.
		const values = (v) => (typeof v === "string" ? [v] : Object.values(v).flatMap(values));
		const paths = values([pkg.exports, pkg.main, pkg.module, pkg.types]).filter((v) => !v.includes("*"));
		for (const path of paths) assert.ok(p.files.includes(path.slice(2)), `package.json names ${path}, not in the tarball`);
		// The entries that register the loader at import time are marked as having side effects,
		// so bundlers keep them.
		for (const e of ["./dist/index.js", "./dist/workerd.js", "./dist/node.js"]) assert.ok(pkg.sideEffects.includes(e), e);
	});

	for (const config of ["tsconfig.node16.json", "tsconfig.bundler.json"]) {
		test(`TypeScript users type-check (${config})`, async () => {
			const tsc = join(jsRoot, "node_modules/typescript/bin/tsc");
			try {
				await run(process.execPath, [tsc, "-p", config], { cwd: join(p.app, "types") });
			} catch (err) {
				assert.fail(`tsc -p ${config}:\n${err.stdout}${err.stderr}`);
			}
		});
	}
});
