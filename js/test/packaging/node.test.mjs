// The installed tarball in server-side runtimes: Node ESM and CommonJS, Deno, Bun.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bin, checkJob, hubWithRepo, project, runJson } from "./support.mjs";

let app, hub, fixtures, params;

describe("server runtimes", () => {
	before(async () => {
		({ app } = await project());
		({ hub, fixtures, params } = await hubWithRepo());
	});
	after(() => hub?.stop());

	const script = (name) => join(app, "scripts", name);
	const args = (label) => [JSON.stringify({ ...params, label })];

	test("Node ESM: import from \"hubwasm\" gets the Node entry", async () => {
		const r = await runJson(process.execPath, [script("main.mjs"), ...args("node-esm")], { cwd: app });
		assert.match(r.entry, /\/node_modules\/hubwasm\/dist\/node\.js$/);
		checkJob(assert, r, fixtures, "node esm");
	});

	test("Node CommonJS: require(\"hubwasm\") gets the CommonJS build", async () => {
		const r = await runJson(process.execPath, [script("main.cjs"), ...args("node-cjs")], { cwd: app });
		assert.match(r.entry, /\/node_modules\/hubwasm\/dist\/node\.cjs$/);
		checkJob(assert, r, fixtures, "node cjs");
	});

	for (const [name, cmd, file, extra] of [
		["Deno", "deno", "main.mjs", ["run", "--allow-read", "--allow-net", "--allow-env", "--allow-sys"]],
		["Bun (ESM)", "bun", "main.mjs", ["run"]],
		["Bun (CommonJS)", "bun", "main.cjs", ["run"]],
	]) {
		const path = bin(cmd);
		test(`${name}: the same job`, { skip: existsSync(path) ? false : `${cmd} is not installed (make deps-packaging)` }, async () => {
			const label = `${cmd}-${file.split(".").pop()}`;
			const r = await runJson(path, [...extra, script(file), ...args(label)], { cwd: app, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
			assert.match(r.entry, /\/node_modules\/hubwasm\/dist\/node\.c?js$/);
			checkJob(assert, r, fixtures, name);
		});
	}
});
