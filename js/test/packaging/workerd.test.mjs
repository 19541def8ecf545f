// The installed tarball in a Cloudflare Worker: bundled by Wrangler exactly as `wrangler deploy`
// would upload it (--dry-run --outdir), then that output run in real workerd through miniflare.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { clearRequestLog, requestLog } from "../support/hub.mjs";
import { bin, checkJob, hubWithRepo, project, run, tools } from "./support.mjs";

let hub, fixtures, params, mf, outDir;

describe("Cloudflare Worker (wrangler + workerd)", () => {
	before(async () => {
		const { app } = await project();
		({ hub, fixtures, params } = await hubWithRepo());
		const dir = join(app, "worker");
		outDir = join(dir, "out");
		await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", outDir], {
			cwd: dir,
			env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
		});
		const { Miniflare, Log, LogLevel } = await import(join(tools, "miniflare/dist/src/index.js"));
		const worker = new Miniflare({
			scriptPath: join(outDir, "worker.js"),
			modules: true,
			modulesRoot: outDir,
			// What Wrangler's upload declares: JS modules, and .wasm as compiled modules.
			modulesRules: [
				{ type: "ESModule", include: ["**/*.js"] },
				{ type: "CompiledWasm", include: ["**/*.wasm"] },
			],
			compatibilityDate: "2025-09-01",
			cf: false,
			log: new Log(LogLevel.WARN),
		});
		await worker.ready;
		mf = worker;
	});
	after(async () => {
		await mf?.dispose();
		await hub?.stop();
	});

	test("Wrangler bundles the workerd entry with each .wasm module once", async () => {
		const files = await readdir(outDir);
		const modules = files.filter((f) => f.endsWith(".wasm")).map((f) => f.replace(/^[0-9a-f]+-/, "")).sort();
		assert.deepEqual(modules, ["api_bg.wasm", "commit_bg.wasm", "files_bg.wasm", "hash_bg.wasm", "info_bg.wasm", "manage_bg.wasm", "oauth_bg.wasm", "refs_bg.wasm", "repos_bg.wasm"], files.join(", "));
		const js = await readFile(join(outDir, "worker.js"), "utf8");
		const entries = [...js.matchAll(/^\/\/ \.\.\/node_modules\/hubwasm\/(dist\/[\w.-]+\.c?js)$/gm)].map((m) => m[1]);
		assert.ok(entries.includes("dist/workerd.js"), `the workerd entry was not bundled: ${entries}`);
		assert.ok(!entries.includes("dist/index.js") && !entries.includes("dist/node.js"), `another entry was bundled too: ${entries}`);
	});

	test("list, download and commit from the Worker", async () => {
		const res = await mf.dispatchFetch("http://worker/work", { method: "POST", body: JSON.stringify({ ...params, label: "workerd" }) });
		const result = await res.json();
		assert.equal(res.status, 200, result.error);
		checkJob(assert, result, fixtures, "workerd");
	});

	test("download with the Cache API (CacheApiStore on caches.default): a miss, then a hit with no request", async () => {
		const cached = async (extra) => {
			const res = await mf.dispatchFetch("http://worker/cached", { method: "POST", body: JSON.stringify({ ...params, ...extra }) });
			const r = await res.json();
			assert.equal(res.status, 200, r.error);
			return r;
		};
		const config = Buffer.from(fixtures.files.find((f) => f.path === "config.json").base64, "base64").toString();
		const miss = await cached({});
		assert.equal(miss.source, "network");
		assert.equal(miss.cached, true);
		assert.equal(miss.text, config);
		await clearRequestLog(hub);
		const hit = await cached({ revision: miss.commitOid });
		assert.equal(hit.source, "cache");
		assert.equal(hit.text, config);
		assert.deepEqual(await requestLog(hub), [], "a cached file at a commit needs no request");
	});
});
