// `make test-packaging`: pack js/ once, install the tarball into one temporary project, run every
// packaging test file against it, then remove it.
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { prepare, here } from "./support.mjs";

const t0 = performance.now();
const p = await prepare();
console.log(`packed and installed ${p.tarball} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const files = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort();
const code = await new Promise((ok) => {
	const child = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files], {
		cwd: here,
		stdio: "inherit",
		env: { ...process.env, HUBWASM_PACKAGING_APP: JSON.stringify(p) },
	});
	child.on("exit", (c, s) => ok(c ?? (s ? 1 : 0)));
});
if (!process.env.HUBWASM_KEEP) await rm(p.root, { recursive: true, force: true });
else console.log(`kept ${p.root}`);
console.log(`packaging tests took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);
