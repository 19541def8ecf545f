// Downloading a large LFS file in headless Chromium, on the local Hub: hubwasm (cache off, and
// with the IndexedDB cache cold and warm) against @huggingface/hub's downloadFile and a raw
// fetch. Each variant gets the Blob and reads it to the end, in a fresh page, BENCH_DL_RUNS times
// (2; the cold cache emptied first each time); the best speed is kept. The peak JS heap is sampled
// over the Chrome DevTools Protocol (Blob bytes live outside the JS heap), and the rise of the
// renderers' RSS over the download (from /proc: Linux), which counts garbage ArrayBuffers too.
import { fileURLToPath } from "node:url";
import { launchChromiumProfile, serveDir } from "../js/test/support/browser.mjs";
import { startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { makeData } from "./lib.mjs";
import { procStatusMiB, rendererPids } from "./proc.mjs";

const MIB = Number(process.env.BENCH_DL_MIB ?? 1024);
const SIZE = MIB * 1048576;
const RUNS = Number(process.env.BENCH_DL_RUNS ?? 2);
const root = fileURLToPath(new URL("../", import.meta.url));

const hub = await startHub({ args: ["--multipart-threshold", String(64 << 20), "--chunk-size", String(64 << 20)] });
const server = await serveDir(root, ["/bench/", "/js/dist/", "/js/wasm/"]);
// A profile on disk, as users have (a private window keeps Blobs and IndexedDB in memory).
const context = await launchChromiumProfile();
try {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/bench-dl`;
  await hubwasm.createRepo({ ...c, repo });
  const out = await hubwasm.uploadFile({ ...c, repo, file: { path: "model.safetensors", content: new Blob([makeData(SIZE)]) } });
  const args = { ...c, repo, revision: out.commit.oid, path: "model.safetensors" };
  const variants = [
    ["raw", "raw fetch → Blob"],
    ["hf", "@huggingface/hub downloadFile"],
    ["off", "hubwasm downloadFile (cache off)"],
    ["stream", "hubwasm (cache off, stream: true)"],
    ["cold", "hubwasm (IndexedDB cache, cold)"],
    ["cache", "hubwasm (IndexedDB cache, warm)"],
  ];
  const best = new Map();
  for (let run = 0; run < RUNS; run++) for (const [variant, name] of variants) {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/download.html`);
    await page.waitForFunction(() => window.ready);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    let peak = 0;
    const pids = rendererPids();
    const rss = () => Math.max(0, ...pids.map((pid) => procStatusMiB(pid)));
    const startRss = rss();
    let peakRss = startRss;
    const sample = async () => {
      peakRss = Math.max(peakRss, rss());
      const { metrics } = await cdp.send("Performance.getMetrics");
      peak = Math.max(peak, metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0);
    };
    const timer = setInterval(() => sample().catch(() => {}), 50);
    const r = await page.evaluate(([v, a]) => window.run(v, a), [variant, args]);
    clearInterval(timer);
    await sample();
    if (r.n !== SIZE) throw new Error(`${name}: read ${r.n} bytes`);
    const row = { name, mbps: SIZE / 1e6 / (r.ms / 1000), heapMiB: peak / 1048576, rssRise: peakRss - startRss };
    const seen = best.get(name);
    // The best speed of the runs; the memory columns, the highest.
    best.set(name, seen ? { name, mbps: Math.max(seen.mbps, row.mbps), heapMiB: Math.max(seen.heapMiB, row.heapMiB), rssRise: Math.max(seen.rssRise, row.rssRise) } : row);
    await page.close();
  }
  const rows = variants.map(([, name]) => best.get(name));
  const raw = rows[0];
  console.log(`\nDownload of a ${MIB} MiB LFS file, read to the end, Chromium ${context.browser()?.version() ?? ""}, local Hub (release build) (best of ${RUNS})`);
  console.log(`${"".padEnd(36)} ${"MB/s".padStart(8)} ${"× raw".padStart(7)} ${"peak JS heap".padStart(13)} ${"renderer RSS rise".padStart(18)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(36)} ${r.mbps.toFixed(0).padStart(8)} ${(r.mbps / raw.mbps).toFixed(2).padStart(7)} ${(r.heapMiB.toFixed(0) + " MiB").padStart(13)} ${(r.rssRise.toFixed(0) + " MiB").padStart(18)}`);
  }
} finally {
  await context.close();
  server.close();
  await hub.stop();
}
