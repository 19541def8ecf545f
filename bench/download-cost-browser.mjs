// Where a cold download into the IndexedDB cache spends its time, in headless Chromium on the
// local Hub: each stage of the path alone (read the response; cut it into Blobs; store them; hash
// in the worker), then the whole of hubwasm's downloadFile. Besides MB/s it reports the CPU time
// the whole machine spent per GiB (all Chromium processes, the local Hub, this script; from
// /proc/stat, so Linux only): when the stages together need more CPU seconds than there are cores
// times the wall time, the download is bound by the CPU, not by the design.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { launchChromiumProfile, serveDir } from "../js/test/support/browser.mjs";
import { startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { makeData } from "./lib.mjs";

const MIB = Number(process.env.BENCH_DL_MIB ?? 1024);
const SIZE = MIB * 1048576;
const RUNS = Number(process.env.BENCH_COST_RUNS ?? 2);
const root = fileURLToPath(new URL("../", import.meta.url));

/** Busy CPU seconds of the whole machine so far (user + nice + system + irq + softirq). */
function busySeconds() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100;
  } catch {
    return NaN;
  }
}

const stages = [
  ["read the response to the end", { }],
  ["  + a Blob per 32 MiB", { blobs: true }],
  ["  + stored in IndexedDB, 32 MiB per put", { blobs: true, store: true }],
  ["  + stored in IndexedDB, 8 MiB per put", { blobs: true, store: true, chunkMiB: 8 }],
  ["read + SHA-256 in the hash worker", { hash: true }],
  ["hubwasm downloadFile, IndexedDB cold", { hubwasm: true }],
];

const hub = await startHub({ args: ["--multipart-threshold", String(64 << 20), "--chunk-size", String(64 << 20)] });
const server = await serveDir(root, ["/bench/", "/js/dist/", "/js/wasm/"]);
const context = await launchChromiumProfile();
try {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/bench-cost`;
  await hubwasm.createRepo({ ...c, repo });
  const out = await hubwasm.uploadFile({ ...c, repo, file: { path: "model.safetensors", content: new Blob([makeData(SIZE)]) } });
  const args = { ...c, repo, revision: out.commit.oid, path: "model.safetensors" };
  const best = new Map();
  for (let run = 0; run < RUNS; run++) {
    for (const [name, stage] of stages) {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/bench/download-cost.html`);
      await page.waitForFunction(() => window.ready);
      const cpu0 = busySeconds();
      const r = await page.evaluate(([s, a]) => window.run(s, a), [stage, args]);
      const cpu = busySeconds() - cpu0;
      if (r.n !== SIZE) throw new Error(`${name}: read ${r.n} bytes`);
      if (stage.hubwasm) await page.evaluate(() => window.hub?.clearCache?.() ?? new Promise((ok) => { const d = indexedDB.deleteDatabase("hubwasm-cache"); d.onsuccess = d.onerror = d.onblocked = ok; }));
      await page.close();
      const row = { mbps: SIZE / 1e6 / (r.ms / 1000), cpuPerGiB: cpu / (SIZE / 2 ** 30) };
      if (!best.has(name) || row.mbps > best.get(name).mbps) best.set(name, row);
    }
  }
  const cores = availableParallelism();
  console.log(`\nA cold download into IndexedDB, stage by stage: ${MIB} MiB, Chromium ${context.browser()?.version() ?? ""}, ${cores} cores, local Hub (best of ${RUNS})`);
  console.log(`${"".padEnd(42)} ${"MB/s".padStart(6)} ${"CPU s/GiB".padStart(10)}`);
  for (const [name] of stages) {
    const r = best.get(name);
    console.log(`${name.padEnd(42)} ${r.mbps.toFixed(0).padStart(6)} ${r.cpuPerGiB.toFixed(1).padStart(10)}`);
  }
  const whole = best.get(stages.at(-1)[0]);
  const floor = (cores * 2 ** 30) / 1e6 / whole.cpuPerGiB;
  console.log(`CPU s/GiB: busy time of the whole machine. At ${whole.cpuPerGiB.toFixed(1)} CPU s/GiB, ${cores} cores allow at most ${floor.toFixed(0)} MB/s for the cold download.`);
} finally {
  await context.close();
  server.close();
  await hub.stop();
}
