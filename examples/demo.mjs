// `make demo`: start the local Hub, then with hubwasm from Node: create a repo, commit small and
// large files with progress, list, download, and print what happened and how long it took.
// Finally serve the upload page example against the same local Hub until Ctrl-C
// (or exit at once with DEMO_EXIT=1).
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { serveDir } from "../js/test/support/browser.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearRequestLog, requestLog, startHub } from "../js/test/support/hub.mjs";
import { FileSystemCache, commit, createRepo, whoAmI } from "../js/dist/node.js";
import { listAndDownload } from "./node/list-and-download.mjs";
import { startWorker } from "./worker/run-local.mjs";

const ms = (t) => `${(performance.now() - t).toFixed(0)} ms`;
const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
const sha = (b) => createHash("sha256").update(b).digest("hex");

// Multipart above 8 MiB, in 8 MiB parts, so the large file shows parts in parallel.
const hub = await startHub({ args: ["--multipart-threshold", String(8 << 20), "--chunk-size", String(8 << 20)] });
let server;
let worker;
const cleanups = [];
try {
	const c = { hubUrl: hub.url, accessToken: hub.token };
	console.log(`local Hub ${hub.url} (user ${hub.user})`);
	const me = await whoAmI(c);
	console.log(`whoAmI → ${me.name}, ${me.auth.accessToken?.role} token`);

	const repo = `${hub.user}/demo-${Date.now().toString(36)}`;
	let t = performance.now();
	const { repoUrl } = await createRepo({ ...c, repo });
	console.log(`createRepo → ${repoUrl} (${ms(t)})`);

	const big = new Uint8Array(64 << 20);
	for (let i = 0; i < big.length; i += 4096) big[i] = (i * 2654435761) >>> 24;
	const files = {
		"README.md": new TextEncoder().encode("# demo\nUploaded with hubwasm.\n"),
		"config.json": new TextEncoder().encode(JSON.stringify({ hidden_size: 64 })),
		"tokenizer/vocab.txt": new TextEncoder().encode("hello\nworld\n"),
		"weights/model.safetensors": big,
	};
	t = performance.now();
	let lastLine = "";
	const out = await commit({
		...c,
		repo,
		title: "Add the demo model",
		operations: Object.entries(files).map(([path, content]) => ({ operation: "addOrUpdate", path, content })),
		onProgress: (e) => {
			const line = e.event === "phase" ? `  phase ${e.phase}` : `  ${e.state.padEnd(9)} ${e.path} ${mib(e.loaded)}/${mib(e.total)}`;
			if (line !== lastLine && (e.event === "phase" || e.progress === 1 || e.state === "uploading")) console.log(line);
			lastLine = line;
		},
	});
	const commitMs = performance.now() - t;
	console.log(`commit → ${out.commit.oid} (${commitMs.toFixed(0)} ms, ${mib(big.length)} large file: ${(big.length / 1048576 / (commitMs / 1000)).toFixed(0)} MiB/s)`);

	// Download everything twice through the file cache (the huggingface_hub folder layout, so
	// Python finds these files too): the first time from the Hub, the second from disk.
	const cacheDir = mkdtempSync(join(tmpdir(), "hubwasm-demo-cache-"));
	const cache = new FileSystemCache({ cacheDir });
	for (const round of [1, 2]) {
		t = performance.now();
		await clearRequestLog(hub);
		const r = await listAndDownload({ repo, ...c, revision: out.commit.oid, cache });
		let bytes = 0;
		const sources = new Set();
		for (const d of r.downloads) {
			const want = files[d.path];
			const got = new Uint8Array(await d.blob.arrayBuffer());
			if (want && sha(got) !== sha(want)) throw new Error(`${d.path} differs from what was committed`);
			bytes += d.size;
			sources.add(d.source);
		}
		const requests = (await requestLog(hub)).length;
		console.log(
			`download #${round}: ${r.files.length} files, ${mib(bytes)}, all bytes verified, from ${[...sources].join("+")}, ` +
				`${requests} requests to the Hub (${ms(t)})`,
		);
	}
	console.log(`  cache folder (huggingface_hub layout, removed at exit): ${cacheDir}`);
	cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));

	// examples/worker: a Cloudflare Worker (real workerd) serving the repo through the Cache API.
	worker = await startWorker({ hubUrl: hub.url });
	const proxied = `/${repo}/weights/model.safetensors?revision=${out.commit.oid}`;
	for (const round of [1, 2]) {
		t = performance.now();
		let r = await worker.dispatch(proxied);
		// The first response is cached in the background (waitUntil): wait for it to land.
		for (let i = 0; round === 2 && r.headers.get("x-cache") !== "HIT" && i < 20; i++) {
			await r.arrayBuffer();
			await new Promise((ok) => setTimeout(ok, 100));
			t = performance.now();
			r = await worker.dispatch(proxied);
		}
		const got = new Uint8Array(await r.arrayBuffer());
		if (sha(got) !== sha(big)) throw new Error("the Worker served different bytes");
		console.log(`Worker GET ${proxied.split("?")[0]} #${round}: ${r.headers.get("x-cache")}, ${mib(got.length)} verified (${ms(t)})`);
	}
	console.log(`  Hub proxy Worker: ${worker.url}/${repo}/`);

	server = await serveDir(fileURLToPath(new URL("../", import.meta.url)), ["/examples/upload-page/", "/js/dist/", "/js/wasm/"]);
	const page = `http://127.0.0.1:${server.address().port}/examples/upload-page/index.html` +
		`?hub=${encodeURIComponent(hub.url)}&repo=${encodeURIComponent(`${hub.user}/from-the-page`)}#token=${hub.token}`;
	console.log(`\nupload page, against the same local Hub:\n  ${page}`);
	console.log(`  or without the token: press "Sign in with Hugging Face" and pick ${hub.user} on the Hub's consent page:\n  ${page.split("#")[0]}`);
	if (process.env.DEMO_EXIT !== "1") {
		console.log("(Ctrl-C to stop)");
		await new Promise((resolve) => process.once("SIGINT", resolve));
	}
} finally {
	server?.close();
	await worker?.stop();
	await hub.stop();
	for (const clean of cleanups) clean();
}
