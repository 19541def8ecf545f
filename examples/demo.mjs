// `make demo`: start the local Hub, seed a repo through its API, then list and download it with
// hubwasm from Node and print what happened and how long it took.
import { startHub } from "../js/test/support/hub.mjs";
import { whoAmI } from "../js/dist/node.js";
import { listAndDownload } from "./node/list-and-download.mjs";

const hub = await startHub();
try {
	console.log(`local Hub: ${hub.url} (user ${hub.user}, token ${hub.token.slice(0, 6)}…)`);
	const me = await whoAmI({ hubUrl: hub.url, accessToken: hub.token });
	console.log(`whoAmI → ${me.name} (${me.auth.accessToken?.role} token)`);

	// Seed through the Hub API itself (not hubwasm): create a repo and commit a few files.
	const name = `demo-${Date.now().toString(36)}`;
	const repo = `${hub.user}/${name}`;
	const auth = { authorization: `Bearer ${hub.token}` };
	const created = await fetch(`${hub.url}/api/repos/create`, {
		method: "POST",
		headers: { ...auth, "content-type": "application/json" },
		body: JSON.stringify({ name, type: "model" }),
	});
	if (!created.ok) throw new Error(`create repo: ${created.status} ${await created.text()}`);
	const big = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
	const seeded = {
		"README.md": new TextEncoder().encode("# demo\n"),
		"config.json": new TextEncoder().encode(JSON.stringify({ hidden_size: 64 })),
		"tokenizer/vocab.txt": new TextEncoder().encode("hello\nworld\n"),
		"weights/model.bin": big,
	};
	const lines = [{ key: "header", value: { summary: "Seed demo repo" } }];
	for (const [path, bytes] of Object.entries(seeded)) {
		lines.push({ key: "file", value: { path, content: Buffer.from(bytes).toString("base64"), encoding: "base64" } });
	}
	const t0 = performance.now();
	const commit = await fetch(`${hub.url}/api/models/${repo}/commit/main`, {
		method: "POST",
		headers: { ...auth, "content-type": "application/x-ndjson" },
		body: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
	});
	if (!commit.ok) throw new Error(`commit: ${commit.status} ${await commit.text()}`);
	const { commitOid } = await commit.json();
	console.log(`seeded ${repo} at ${commitOid.slice(0, 12)} (${Object.keys(seeded).length} files, ${(performance.now() - t0).toFixed(1)} ms)`);

	const r = await listAndDownload({ repo, hubUrl: hub.url, accessToken: hub.token });
	console.log(`\nlistFiles: ${r.files.length} files in ${r.listMs.toFixed(1)} ms`);
	let ok = true;
	for (const d of r.downloads) {
		const want = seeded[d.path];
		const got = new Uint8Array(await d.blob.arrayBuffer());
		const same = want ? Buffer.compare(Buffer.from(got), Buffer.from(want)) === 0 : d.path === ".gitattributes";
		ok &&= same;
		console.log(`  ${same ? "✓" : "✗"} ${d.path.padEnd(22)} ${String(d.size).padStart(9)} B  ${d.ms.toFixed(1).padStart(7)} ms  etag ${d.etag}`);
	}
	if (!ok) throw new Error("a downloaded file differs from what was committed");
	console.log("\nall downloads match the committed bytes");
} finally {
	await hub.stop();
}
