// Runs worker.mjs in real workerd (miniflare) against this repo's build of hubwasm (js/dist),
// with no Wrangler: esbuild bundles it the way Wrangler does ("workerd" export condition, the
// .wasm kept as a module compiled at load). Used by `make demo`; returns { url, dispatch, stop }.
//
//   node examples/worker/run-local.mjs http://127.0.0.1:PORT   (serves on a local port until Ctrl-C)
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const js = fileURLToPath(new URL("../../js/", import.meta.url));
const require = createRequire(join(js, "package.json"));

export async function startWorker({ hubUrl, token, port = 0 }) {
	const { build } = await import(require.resolve("esbuild"));
	const { Miniflare, Log, LogLevel } = await import(require.resolve("miniflare"));
	const out = await mkdtemp(join(tmpdir(), "hubwasm-worker-"));
	await build({
		entryPoints: [fileURLToPath(new URL("./worker.mjs", import.meta.url))],
		outfile: join(out, "worker.js"),
		bundle: true,
		format: "esm",
		target: "es2022",
		conditions: ["workerd", "worker", "browser"],
		logLevel: "warning",
		plugins: [{
			name: "local-hubwasm",
			setup(b) {
				b.onResolve({ filter: /^hubwasm$/ }, () => ({ path: join(js, "dist/workerd.js") }));
				b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./${a.path.split("/").pop()}`, external: true }));
			},
		}],
	});
	// Every module the Workers entry imports, one `.wasm` each.
	for (const f of (await readdir(join(js, "wasm"))).filter((f) => f.endsWith("_bg.wasm"))) await copyFile(join(js, "wasm", f), join(out, f));
	const mf = new Miniflare({
		scriptPath: join(out, "worker.js"),
		modules: true,
		modulesRoot: out,
		modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
		compatibilityDate: "2025-09-01",
		bindings: { HUB_URL: hubUrl, ...(token ? { HF_TOKEN: token } : {}) },
		cf: false,
		host: "127.0.0.1",
		port,
		log: new Log(LogLevel.WARN),
	});
	const url = String(await mf.ready).replace(/\/$/, "");
	return {
		url,
		dispatch: (path, init) => mf.dispatchFetch(url + path, init),
		async stop() {
			await mf.dispose();
			await rm(out, { recursive: true, force: true });
		},
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const hubUrl = process.argv[2] ?? "https://huggingface.co";
	const w = await startWorker({ hubUrl, token: process.env.HF_TOKEN, port: Number(process.env.PORT ?? 8787) });
	console.log(`Hub proxy Worker on ${w.url} for ${hubUrl} (Ctrl-C to stop)`);
	await new Promise((r) => process.once("SIGINT", r));
	await w.stop();
}
