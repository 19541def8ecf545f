// The installed tarball in real Chromium: a Vite app (`vite build` and `vite dev`), a plain page
// importing the ES module with no bundler, each with a dedicated Web Worker of its own and an
// upload hashed in hubwasm's hashing worker; then the errors people meet when the .wasm is
// served wrongly, and `hubwasm/slim` before `init`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createServer } from "node:net";
import { launchChromium } from "../support/browser.mjs";
import { checkJob, hubWithRepo, listTree, project, run, serveStatic, startProcess, tools } from "./support.mjs";

const vite = join(tools, "vite", "bin", "vite.js");
let app, hub, fixtures, params, browser, statics;

/** Opens `url` with the job's parameters and waits for `window.__result`. */
async function openJob(url, label, { timeout = 60_000 } = {}) {
	const page = await browser.newPage();
	const log = [];
	page.on("console", (m) => log.push(`console.${m.type()}: ${m.text()}`));
	page.on("pageerror", (e) => log.push(`pageerror: ${e.stack ?? e.message}`));
	try {
		const q = `?hub=${encodeURIComponent(params.hubUrl)}&repo=${encodeURIComponent(params.repo)}&label=${label}#${params.accessToken}`;
		await page.goto(url + q);
		const handle = await page.waitForFunction(() => window.__result, null, { timeout, polling: 100 });
		return { result: await handle.jsonValue(), log };
	} catch (err) {
		err.message += `\n--- browser log ---\n${log.join("\n")}`;
		throw err;
	} finally {
		await page.close();
	}
}

function checkPage(result, log, where) {
	assert.ok(result.ok, `${where}: ${result.error}\n${log.join("\n")}`);
	checkJob(assert, result.page, fixtures, `${where} (page)`);
	checkJob(assert, result.worker, fixtures, `${where} (Web Worker)`);
	assert.match(result.lfsCommit, /^[0-9a-f]{40}$/, `${where}: LFS upload hashed in hubwasm's worker`);
}

function freePort() {
	return new Promise((ok) => {
		const s = createServer().listen(0, "127.0.0.1", () => {
			const { port } = s.address();
			s.close(() => ok(port));
		});
	});
}

describe("browsers (Chromium)", () => {
	before(async () => {
		({ app } = await project());
		({ hub, fixtures, params } = await hubWithRepo());
		browser = await launchChromium();
		statics = await serveStatic(app);
	});
	after(async () => {
		await browser?.close();
		statics?.closeAllConnections();
		statics?.close();
		await hub?.stop();
	});

	test("Vite app, `vite build`: each module the app can use emitted once, as shipped; page, Web Worker and hashing worker work", async () => {
		const dir = join(app, "vite-app");
		await run(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: dir });
		const out = await listTree(join(dir, "dist"));
		const wasm = out.filter((f) => f.endsWith(".wasm"));
		const modules = wasm.map((f) => f.split("/").pop().replace(/_bg-[^.]+\.wasm$/, ""));
		assert.deepEqual([...new Set(modules)].sort(), [...modules].sort(), `a module emitted twice: ${wasm.join(", ")}`);
		assert.ok(modules.includes("files") && modules.includes("commit") && modules.includes("hash"), `emitted: ${wasm.join(", ")}`);
		for (const [i, m] of modules.entries()) {
			assert.equal((await readFile(join(dir, "dist", wasm[i]))).length, (await readFile(join(app, `node_modules/hubwasm/wasm/${m}_bg.wasm`))).length, m);
		}
		assert.ok(out.some((f) => /hash-worker.*\.js$/.test(f)), `hubwasm's hashing worker was not emitted: ${out.join(", ")}`);
		// Served at the root of its own origin, as a deployed app is.
		const site = await serveStatic(join(dir, "dist"));
		try {
			const { result, log } = await openJob(`${site.url}/index.html`, "vite-build");
			checkPage(result, log, "vite build");
		} finally {
			site.closeAllConnections();
			site.close();
		}
	});

	test("Vite app, `vite dev`: page, Web Worker and hashing worker work", async () => {
		const port = await freePort();
		const server = await startProcess(process.execPath, [vite, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
			cwd: join(app, "vite-app"),
			ready: /Local:\s+(http:\/\/\S+)/,
			env: { ...process.env, NO_COLOR: "1" },
		});
		try {
			const { result, log } = await openJob(server.match[1], "vite-dev");
			checkPage(result, log, "vite dev");
		} finally {
			await server.stop();
		}
	});

	test("plain page: the ES module imported from node_modules with an import map, no bundler", async () => {
		const { result, log } = await openJob(`${statics.url}/plain-page/index.html`, "plain");
		checkPage(result, log, "plain page");
	});

	describe("errors when the .wasm is served wrongly", () => {
		const wasmPath = "/node_modules/hubwasm/wasm/files_bg.wasm";
		const open = async (override) => {
			statics.override = (p) => (p === wasmPath ? override : undefined);
			try {
				return (await openJob(`${statics.url}/plain-page/load-error.html`, "errors")).result;
			} finally {
				statics.override = undefined;
			}
		};
		const fixHints = (message) => {
			assert.match(message, /application\/wasm/, "says how to serve it");
			assert.match(message, /hubwasm\/slim/, "mentions the /slim entry");
			assert.match(message, /init\(/, "mentions init(url)");
		};

		test("404: names the URL it tried and how to fix it", async () => {
			const r = await open({ status: 404, type: "text/plain", body: "not found" });
			assert.equal(r.ok, false);
			assert.equal(r.name, "WasmLoadError");
			assert.equal(r.url, statics.url + wasmPath);
			assert.ok(r.message.includes(statics.url + wasmPath), r.message);
			assert.match(r.message, /404/);
			fixHints(r.message);
		});

		test("a page served instead of the .wasm (SPA fallback): says it is not WebAssembly and what came back", async () => {
			const r = await open({ status: 200, type: "text/html", body: "<!doctype html><title>My app</title>" });
			assert.equal(r.ok, false);
			assert.equal(r.name, "WasmLoadError");
			assert.ok(r.message.includes(statics.url + wasmPath), r.message);
			assert.match(r.message, /not a WebAssembly module/);
			assert.match(r.message, /text\/html/);
			assert.match(r.message, /<!doctype html>/);
			fixHints(r.message);
		});

		test("the real .wasm with a wrong MIME type: still loads, and warns with the URL and the fix", async () => {
			const body = await readFile(join(app, "node_modules/hubwasm/wasm/files_bg.wasm"));
			const r = await open({ status: 200, type: "application/octet-stream", body });
			assert.equal(r.ok, true, r.message);
			assert.ok(r.files.length > 0);
			assert.equal(r.warnings.length, 1, r.warnings.join("\n"));
			assert.ok(r.warnings[0].includes(statics.url + wasmPath), r.warnings[0]);
			assert.match(r.warnings[0], /application\/octet-stream.*application\/wasm/);
		});

		test("hubwasm/slim: a call before init() says so; init() with a wrong URL names it", async () => {
			const { result: r } = await openJob(`${statics.url}/plain-page/slim.html`, "slim");
			assert.equal(typeof r, "object", String(r));
			assert.match(r.beforeInit, /^WasmLoadError: .*not initialised.*init\(/);
			assert.match(r.wrongUrl, /^WasmLoadError: .*not found.*\/no\/such\/files_bg\.wasm.*404/);
			assert.ok(r.files.includes("config.json"), "works after init()");
		});
	});
});
