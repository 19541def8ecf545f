// The README's API reference against what the installed package really exports: runtime values
// of every entry Node can load, and the TypeScript declarations of every entry. And the npm page
// (js/README.md) against the README it is made from.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { jsRoot, project, run } from "./support.mjs";

const readme = await readFile(join(jsRoot, "../README.md"), "utf8");
const section = readme.split(/^## /m).find((s) => s.startsWith("API reference"));
const [valuesTable, typesTable] = section.split(/\n\n/).filter((b) => b.trimStart().startsWith("|"));
const ENTRIES = ["browser", "node", "workerd", "slim"];
const ONLY = { "`hubwasm/slim` only": "slim", "Node only": "node", "Workers only": "workerd" };

/** The documented rows: { name, kind, entries } for each name in a table's first column. */
function rows(table, descriptionCell) {
	return table.trim().split("\n").slice(2).flatMap((line) => {
		const cells = line.split("|").slice(1, -1).map((c) => c.trim());
		const only = Object.keys(ONLY).find((k) => cells[descriptionCell].startsWith(k));
		const entries = only ? [ONLY[only]] : ENTRIES;
		return [...cells[0].matchAll(/`([^`]+)`/g)].map((m) => ({ name: m[1], kind: cells[1], entries }));
	});
}
const values = rows(valuesTable, 2);
const types = rows(typesTable, 1);
const expected = (list, entry) => list.filter((d) => d.entries.includes(entry)).map((d) => d.name).sort();
const FIX = "Add a row to the API reference in README.md for each missing name (or remove the stale one), then run `node js/scripts/readme.mjs`.";

/** Fails with the names to add to / remove from the README, not a long diff. */
function sameNames(actual, documented, where) {
	const missing = actual.filter((n) => !documented.includes(n));
	const stale = documented.filter((n) => !actual.includes(n));
	if (missing.length || stale.length) {
		assert.fail(`${where}: exported but not in the README: [${missing.join(", ")}]; in the README but not exported: [${stale.join(", ")}]. ${FIX}`);
	}
}

let pkgDir;
/** Exported names of a declaration file: { values, types } (types: type-only exports). */
function declared(file) {
	const ts = createRequire(join(jsRoot, "package.json"))("typescript");
	const program = ts.createProgram([file], { strict: true, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
	const checker = program.getTypeChecker();
	const out = { values: [], types: [] };
	for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)))) {
		const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
		out[target.flags & ts.SymbolFlags.Value ? "values" : "types"].push(s.name);
	}
	return { values: out.values.sort(), types: out.types.sort() };
}

/** The exported functions of a declaration file, each with its signatures: the declared type of
 * each parameter (as written) and whether the signature is `@deprecated`; and the entry's types. */
function signatures(file) {
	const ts = createRequire(join(jsRoot, "package.json"))("typescript");
	const program = ts.createProgram([file], { strict: true, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
	const checker = program.getTypeChecker();
	const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)));
	const resolve = (s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
	const types = exports.filter((s) => !(resolve(s).flags & ts.SymbolFlags.Value)).map((s) => s.name);
	return exports
		.filter((s) => resolve(s).flags & ts.SymbolFlags.Function)
		.map((s) => ({
			name: s.name,
			types,
			signatures: resolve(s)
				.declarations.filter((d) => ts.isFunctionDeclaration(d))
				.map((d) => ({
					params: d.parameters.map((p) => p.type?.getText() ?? "any"),
					deprecated: ts.getJSDocTags(d).some((t) => t.tagName.text === "deprecated"),
				})),
		}));
}

describe("docs", () => {
	before(async () => {
		pkgDir = join((await project()).app, "node_modules/hubwasm");
	});

	test("the API reference lists every runtime export of every entry, with its kind", async () => {
		const loaded = {
			browser: await import(pathToFileURL(join(pkgDir, "dist/index.js"))),
			node: await import(pathToFileURL(join(pkgDir, "dist/node.js"))),
			slim: await import(pathToFileURL(join(pkgDir, "dist/slim.js"))),
		};
		const cjs = createRequire(join(pkgDir, "package.json"))(join(pkgDir, "dist/node.cjs"));
		for (const [entry, mod] of Object.entries(loaded)) {
			sameNames(Object.keys(mod).sort(), expected(values, entry), `${entry} entry`);
		}
		sameNames(Object.keys(cjs).sort(), expected(values, "node"), 'require("hubwasm")');
		for (const d of values) {
			const v = loaded[d.entries.includes("browser") ? "browser" : d.entries[0]]?.[d.name];
			if (v === undefined) continue; // a Workers-only name: checked in the declarations below
			const kind = typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v)) ? "class" : typeof v;
			assert.equal(d.kind, kind, `${d.name} is a ${kind}, the README says ${d.kind}`);
		}
	});

	test("the API reference lists every exported type of every entry", () => {
		const files = { browser: "dist/index.d.ts", node: "dist/node.d.ts", workerd: "dist/workerd.d.ts", slim: "dist/slim.d.ts" };
		for (const [entry, file] of Object.entries(files)) {
			const d = declared(join(pkgDir, file));
			sameNames(d.values, expected(values, entry), `values declared in ${file}`);
			sameNames(d.types, expected(types, entry), `types declared in ${file}`);
		}
		const cjs = declared(join(pkgDir, "dist/node.d.cts"));
		assert.deepEqual(cjs, declared(join(pkgDir, "dist/node.d.ts")), "CommonJS declarations = ESM declarations");
	});

	test("every exported function takes one options object, and its type `<Name>Params` is exported by the same entry", () => {
		// Not options: `defaultCacheDir` takes an environment to read. Node's `snapshotDownload`
		// takes the Node flavour of the params.
		const EXCEPT = { defaultCacheDir: "Record<string, string | undefined>" };
		const files = { browser: "dist/index.d.ts", node: "dist/node.d.ts", workerd: "dist/workerd.d.ts", slim: "dist/slim.d.ts" };
		for (const [entry, file] of Object.entries(files)) {
			for (const f of signatures(join(pkgDir, file))) {
				const params = EXCEPT[f.name] ?? (entry === "node" && f.name === "snapshotDownload" ? "NodeSnapshotDownloadParams" : `${f.name[0].toUpperCase()}${f.name.slice(1)}Params`);
				// Overloads that are deprecated (kept for one release) do not count.
				const current = f.signatures.filter((s) => !s.deprecated);
				assert.ok(current.length > 0, `${entry}: ${f.name} has a signature that is not deprecated`);
				for (const s of current) {
					assert.ok(s.params.length <= 1, `${entry}: ${f.name}(${s.params.join(", ")}) takes more than one argument`);
					if (s.params.length === 0) continue;
					// The declared type, maybe narrowed (`DownloadFileParams & { stream: true }`).
					assert.ok(s.params[0] === params || s.params[0].startsWith(`${params} &`), `${entry}: ${f.name} takes ${s.params[0]}, expected ${params}`);
				}
				if (!EXCEPT[f.name]) assert.ok(f.types.includes(params), `${entry}: ${params} (what ${f.name} takes) is not exported`);
			}
		}
	});

	test("js/README.md (the npm page) is made from README.md", async () => {
		try {
			await run(process.execPath, [join(jsRoot, "scripts/readme.mjs"), "--check"]);
		} catch (err) {
			assert.fail(err.stderr || err.message);
		}
	});
});
