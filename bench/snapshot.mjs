// A snapshot of 100 LFS files (about 500 MiB) at a commit: snapshotDownload into the cache, then
// opened again. Reports time and the requests the local Hub saw for each, in Node
// (huggingface_hub-layout file cache) and Chromium (IndexedDB); in Chromium also a raw `fetch`
// loop over the same files (each read into a Blob, as many at once as snapshotDownload's default
// of 4), the first open's time against it, and the CPU time of every process this script started.
// The Chromium first open and the raw loop take turns BENCH_SNAPSHOT_RUNS times (default 3; the
// cache emptied before each first open); the best time of each is kept.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromiumProfile, serveDir } from "../js/test/support/browser.mjs";
import { clearRequestLog, requestLog, startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { cpuSince, treeCpu, threadCpu } from "./cpu.mjs";
import { makeData } from "./lib.mjs";

const FILES = Number(process.env.BENCH_SNAPSHOT_FILES ?? 100);
const EACH = Number(process.env.BENCH_SNAPSHOT_MIB ?? 5) * 1048576;
const RUNS = Number(process.env.BENCH_SNAPSHOT_RUNS ?? 3);
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
  const rows = new Map();
  /** Runs `fn`, keeping the fastest of the runs of `name` (requests and CPU of that run). */
  const measure = async (name, fn) => {
    await clearRequestLog(hub);
    const cpu0 = treeCpu();
    const th0 = threadCpu();
    const t = performance.now();
    const r = await fn();
    const ms = performance.now() - t;
    const cpu = Object.values(cpuSince(cpu0)).reduce((a, b) => a + b, 0);
    if (process.env.BENCH_THREADS) {
      const threads = Object.entries(cpuSince(th0, threadCpu())).filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]);
      console.log(`  ${name}, ${ms.toFixed(0)} ms, CPU s by thread:`, threads.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", "));
    }
    const reqs = (await requestLog(hub)).filter((x) => x.method !== "OPTIONS").length;
    const seen = rows.get(name);
    if (!seen || ms < seen.ms) rows.set(name, { name, ms, reqs, files: r, cpu });
  };
  const cache = new hubwasm.FileSystemCache({ cacheDir });
  await measure("Node, first open", async () => (await hubwasm.snapshotDownload({ ...at, cache })).files.length);
  await measure("Node, second open", async () => (await hubwasm.snapshotDownload({ ...at, cache })).files.length);
  const page = await context.newPage();
  const open = async () => {
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/download.html`);
    await page.waitForFunction(() => window.ready);
  };
  await open();
  const paths = files.map((f) => f.path);
  const raw = () =>
    page.evaluate(
      async ([{ hubUrl, accessToken, repo, revision }, paths]) => {
        let next = 0;
        let bytes = 0;
        const one = async () => {
          while (next < paths.length) {
            const path = paths[next++];
            const resp = await fetch(`${hubUrl}/${repo}/resolve/${revision}/${path}`, { headers: { authorization: `Bearer ${accessToken}` }, cache: "no-store" });
            bytes += (await resp.blob()).size;
          }
        };
        await Promise.all([one(), one(), one(), one()]);
        return bytes > 0 ? paths.length : 0;
      },
      [at, paths],
    );
  const snapshot = () =>
    page.evaluate(async (a) => {
      const hub = await import("/js/dist/index.js");
      return (await hub.snapshotDownload(a)).files.length;
    }, at);
  const clear = () => page.evaluate(async () => (await import("/js/dist/index.js")).clearCache());
  for (let run = 0; run < RUNS; run++) {
    await measure("Chromium, raw fetch loop (4 at once)", raw);
    await clear();
    await open();
    await measure("Chromium, first open", snapshot);
    await open();
    await measure("Chromium, second open (after reload)", snapshot);
  }
  console.log(`\nsnapshotDownload of ${FILES} files × ${EACH / 1048576} MiB at a commit, local Hub (best of ${RUNS} in Chromium)`);
  console.log(`${"".padEnd(38)} ${"files".padStart(6)} ${"time".padStart(9)} ${"× raw".padStart(6)} ${"requests".padStart(9)} ${"CPU s".padStart(6)}`);
  const rawMs = rows.get("Chromium, raw fetch loop (4 at once)").ms;
  for (const r of rows.values()) {
    const ratio = r.name.startsWith("Chromium") ? (r.ms / rawMs).toFixed(2) : "";
    console.log(`${r.name.padEnd(38)} ${String(r.files).padStart(6)} ${(r.ms.toFixed(0) + " ms").padStart(9)} ${ratio.padStart(6)} ${String(r.reqs).padStart(9)} ${r.cpu.toFixed(1).padStart(6)}`);
  }
  console.log("× raw: time against the raw fetch loop in the same browser (lower is faster); CPU s: every process this script started (Chromium, the local Hub, Node).");
} finally {
  await context.close();
  server.close();
  await hub.stop();
  rmSync(cacheDir, { recursive: true, force: true });
}
