// Where a cold download into the IndexedDB cache spends its time, in headless Chromium on the
// local Hub: each stage of the path alone (read the response; cut it into Blobs; store them; hash
// in the worker), then the whole of hubwasm's downloadFile. Besides MB/s it reports the CPU time
// per GiB of every process the run started (all Chromium processes, the local Hub, this script;
// from /proc, so Linux only; other work on the machine is not counted). A cold download has to
// read, store and hash every byte: the stages' CPU seconds added up (store + hash − the read they
// share) is the least it can cost, and the cores divided by that cost the fastest it can go here
// (the CPU bound). hubwasm's row is printed against that bound.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { launchChromiumProfile, serveDir } from "../js/test/support/browser.mjs";
import { startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { cpuSince, treeCpu } from "./cpu.mjs";
import { makeData } from "./lib.mjs";

const MIB = Number(process.env.BENCH_DL_MIB ?? 1024);
const SIZE = MIB * 1048576;
const RUNS = Number(process.env.BENCH_COST_RUNS ?? 2);
const root = fileURLToPath(new URL("../", import.meta.url));

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
      const cpu0 = treeCpu();
      const r = await page.evaluate(([s, a]) => window.run(s, a), [stage, args]);
      // Read before the page closes: a renderer that ended takes its CPU time with it.
      const cpu = Object.values(cpuSince(cpu0)).reduce((x, y) => x + y, 0);
      if (r.n !== SIZE) throw new Error(`${name}: read ${r.n} bytes`);
      await page.close();
      const row = { mbps: SIZE / 1e6 / (r.ms / 1000), cpuPerGiB: cpu / (SIZE / 2 ** 30) };
      if (!best.has(name) || row.mbps > best.get(name).mbps) best.set(name, row);
    }
  }
  const cores = availableParallelism();
  const GIB_MB = 2 ** 30 / 1e6;
  console.log(`\nA cold download into IndexedDB, stage by stage: ${MIB} MiB, Chromium ${context.browser()?.version() ?? ""}, ${cores} cores, local Hub (best of ${RUNS})`);
  console.log(`${"".padEnd(42)} ${"MB/s".padStart(6)} ${"CPU s/GiB".padStart(10)}`);
  for (const [name] of stages) {
    const r = best.get(name);
    console.log(`${name.padEnd(42)} ${r.mbps.toFixed(0).padStart(6)} ${r.cpuPerGiB.toFixed(1).padStart(10)}`);
  }
  const cpu = (i) => best.get(stages[i][0]).cpuPerGiB;
  // Store (read + Blobs + 32 MiB puts) and hash (read + worker) both include the read: once.
  const least = cpu(2) + cpu(4) - cpu(0);
  const bound = (cores * GIB_MB) / least;
  const whole = best.get(stages.at(-1)[0]);
  console.log(
    `The cold path needs at least ${least.toFixed(1)} CPU s/GiB (store ${cpu(2).toFixed(1)} + hash ${cpu(4).toFixed(1)} − read ${cpu(0).toFixed(1)}): ` +
      `${cores} cores allow at most ${bound.toFixed(0)} MB/s. hubwasm: ${whole.mbps.toFixed(0)} MB/s = ${(whole.mbps / bound).toFixed(2)}× that bound, ` +
      `at ${whole.cpuPerGiB.toFixed(1)} CPU s/GiB (its cores busy ${((whole.cpuPerGiB * whole.mbps) / (cores * GIB_MB) * 100).toFixed(0)}% of the time).`,
  );
} finally {
  await context.close();
  server.close();
  await hub.stop();
}
