// examples/worker (a Hub proxy serving repo files through the Cache API), as its users run it:
// copied into a project that installed the tarball, bundled by Wrangler, run in workerd; and
// through examples/worker/run-local.mjs, which `make demo` uses.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clearRequestLog, requestLog } from "../support/hub.mjs";
import { bin, hubWithRepo, project, run, tools } from "./support.mjs";

const example = fileURLToPath(new URL("../../../examples/worker/", import.meta.url));
let hub, fixtures, mf;

async function checkProxy(dispatch) {
	const repo = fixtures.publicRepo;
	const index = await dispatch(`/${repo}/`);
	assert.equal(index.status, 200);
	const html = await index.text();
	for (const f of fixtures.files) assert.ok(html.includes(`>${f.path.replace(/&/g, "&#38;")}<`), `index lists ${f.path}`);

	const bin = fixtures.files.find((f) => f.path === "weights/random.bin");
	await clearRequestLog(hub);
	const first = await dispatch(`/${repo}/weights/random.bin`);
	assert.equal(first.status, 200);
	assert.equal(first.headers.get("x-cache"), "MISS");
	assert.deepEqual(Buffer.from(await first.arrayBuffer()), Buffer.from(bin.base64, "base64"));
	assert.ok((await requestLog(hub)).length > 0, "a miss asks the Hub");

	// cache.put runs in waitUntil: give it a moment, then the same URL comes from the cache.
	let second;
	for (let i = 0; i < 50; i++) {
		await clearRequestLog(hub);
		second = await dispatch(`/${repo}/weights/random.bin`);
		if (second.headers.get("x-cache") === "HIT") break;
		await second.arrayBuffer();
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.equal(second.headers.get("x-cache"), "HIT");
	assert.deepEqual(Buffer.from(await second.arrayBuffer()), Buffer.from(bin.base64, "base64"));
	assert.deepEqual(await requestLog(hub), [], "a hit makes no request to the Hub");

	assert.equal((await dispatch(`/${repo}/no/such.txt`)).status, 404);
	assert.equal((await dispatch(`/${fixtures.privateRepo}/secret.txt`)).status, 404, "a private repo without a token");
	assert.equal((await dispatch(`/nobody/nothing/`)).status, 404);
}

describe("examples/worker: Hub proxy with the Cache API", () => {
	before(async () => {
		({ hub, fixtures } = await hubWithRepo());
	});
	after(async () => {
		await mf?.dispose();
		await hub?.stop();
	});

	test("as deployed: bundled by Wrangler against the installed tarball, run in workerd", async () => {
		const { app } = await project();
		const dir = join(app, "example-worker");
		await mkdir(dir, { recursive: true });
		for (const f of ["worker.mjs", "wrangler.toml"]) await cp(join(example, f), join(dir, f));
		await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "out"], {
			cwd: dir,
			env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
		});
		const { Miniflare, Log, LogLevel } = await import(join(tools, "miniflare/dist/src/index.js"));
		mf = new Miniflare({
			scriptPath: join(dir, "out/worker.js"),
			modules: true,
			modulesRoot: join(dir, "out"),
			modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
			compatibilityDate: "2025-09-01",
			bindings: { HUB_URL: hub.url },
			cf: false,
			log: new Log(LogLevel.WARN),
		});
		await mf.ready;
		await checkProxy((path) => mf.dispatchFetch(`http://proxy.example${path}`));
	});

	test("run-local.mjs (make demo): the same Worker on js/dist", async () => {
		const { startWorker } = await import(join(example, "run-local.mjs"));
		const w = await startWorker({ hubUrl: hub.url });
		try {
			await checkProxy(w.dispatch);
		} finally {
			await w.stop();
		}
	});
});
