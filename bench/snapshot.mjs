// Second open of a snapshot: 100 LFS files (about 500 MiB) at a commit, fetched with
// snapshotDownload into the cache, then opened again. Reports time and the requests the local
// Hub saw for each, in Node (huggingface_hub-layout file cache) and Chromium (IndexedDB).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromiumProfile, serveDir } from "../js/test/support/browser.mjs";
import { clearRequestLog, requestLog, startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { makeData } from "./lib.mjs";

const FILES = Number(process.env.BENCH_SNAPSHOT_FILES ?? 100);
const EACH = Number(process.env.BENCH_SNAPSHOT_MIB ?? 5) * 1048576;
const root = fileURLToPath(new URL("../", import.meta.url));

const hub = await startHub({ args: ["--multipart-threshold", String(64 << 20)] });
const cacheDir = mkdtempSync(join(tmpdir(), "hubwasm-snap-"));
const server = await serveDir(root, ["/bench/", "/js/dist/", "/js/wasm/"]);
// A profile on disk, as users have: a private context holds at most ~RAM/50 of Blobs.
const context = await launchChromiumProfile();
try {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/snapshot`;
  await hubwasm.createRepo({ ...c, repo });
  const base = makeData(EACH);
  const files = Array.from({ length: FILES }, (_, i) => {
    const b = base.slice();
    new DataView(b.buffer).setUint32(0, i);
    return { path: `shards/model-${String(i).padStart(3, "0")}.bin`, content: new Blob([b]) };
  });
  const { commit } = await hubwasm.uploadFiles({ ...c, repo, files });
  const at = { ...c, repo, revision: commit.oid };
  const rows = [];
  const measure = async (name, fn) => {
    await clearRequestLog(hub);
    const t = performance.now();
    const r = await fn();
    const ms = performance.now() - t;
    const reqs = (await requestLog(hub)).filter((x) => x.method !== "OPTIONS").length;
    rows.push({ name, ms, reqs, files: r });
  };
  const cache = new hubwasm.FileSystemCache({ cacheDir });
  await measure("Node, first open", async () => (await hubwasm.snapshotDownload({ ...at, cache })).files.length);
  await measure("Node, second open", async () => (await hubwasm.snapshotDownload({ ...at, cache })).files.length);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/download.html`);
  await page.waitForFunction(() => window.ready);
  const inPage = () => page.evaluate(async (a) => {
    const hub = await import("/js/dist/index.js");
    return (await hub.snapshotDownload(a)).files.length;
  }, at);
  await measure("Chromium, first open", inPage);
  await page.reload();
  await page.waitForFunction(() => window.ready);
  await measure("Chromium, second open (after reload)", inPage);
  console.log(`\nsnapshotDownload of ${FILES} files × ${EACH / 1048576} MiB at a commit, local Hub`);
  console.log(`${"".padEnd(38)} ${"files".padStart(6)} ${"time".padStart(9)} ${"requests".padStart(9)}`);
  for (const r of rows) console.log(`${r.name.padEnd(38)} ${String(r.files).padStart(6)} ${(r.ms.toFixed(0) + " ms").padStart(9)} ${String(r.reqs).padStart(9)}`);
} finally {
  await context.close();
  server.close();
  await hub.stop();
  rmSync(cacheDir, { recursive: true, force: true });
}
