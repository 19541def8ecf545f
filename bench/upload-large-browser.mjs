// Uploading one large LFS file (1 GiB by default) in headless Chromium to a new repo on the local
// Hub, which answers with a multipart upload: hubwasm's uploadFiles against @huggingface/hub's
// (kept on the LFS path with useXet: false). The page builds the file from 8 MiB pieces through a
// Response body (upload.html; before the clock and the memory peaks start), so the JS heap never
// holds it; each run uses a fresh browser and new content.
// Memory: the peak JS heap sampled over the Chrome DevTools Protocol (as download-browser.mjs;
// it leaves out ArrayBuffers and wasm memory), and the RSS of the browser's renderer processes
// (the largest, the page's), read from /proc (Linux) at the same 50 ms, which counts them (and
// garbage not yet collected).
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "../js/test/support/browser.mjs";
import { clearRequestLog, requestLog, startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { bestOfAlternating, checkMultipart, printPhases } from "./lib.mjs";
import { procStatusMiB, rendererPids } from "./proc.mjs";

const MIB = Number(process.env.BENCH_UP_MIB ?? 1024);
const SIZE = MIB * 1048576;
const RUNS = Number(process.env.BENCH_UP_RUNS ?? 3);
const CHUNK_MIB = process.env.BENCH_UP_CHUNK_MIB ? Number(process.env.BENCH_UP_CHUNK_MIB) : undefined;
const PATH = "model.safetensors";
const root = fileURLToPath(new URL("../", import.meta.url));

const args = CHUNK_MIB ? ["--multipart-threshold", String(CHUNK_MIB << 20), "--chunk-size", String(CHUNK_MIB << 20)] : [];
const hub = await startHub({ args });
const server = await serveDir(root, ["/bench/", "/js/dist/", "/js/wasm/"]);
let version = "";
try {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const best = await bestOfAlternating(RUNS, async (client, n) => {
    const repo = `${hub.user}/up-${n}`;
    await hubwasm.createRepo({ ...c, repo });
    const browser = await launchChromium();
    try {
      version = browser.version();
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error("page error:", e.message));
      await page.goto(`http://127.0.0.1:${server.address().port}/bench/upload.html`);
      await page.waitForFunction(() => window.ready);
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      // The file first (not timed, not in the memory peaks), then a GC.
      await page.evaluate(async (a) => window.makeLarge(a), { size: SIZE, seed: n });
      await cdp.send("HeapProfiler.collectGarbage");
      const pids = rendererPids();
      const rss = () => Math.max(0, ...pids.map((pid) => procStatusMiB(pid)));
      const startRss = rss();
      let heap = 0;
      let peakRss = startRss;
      const sample = async () => {
        peakRss = Math.max(peakRss, rss());
        const { metrics } = await cdp.send("Performance.getMetrics");
        heap = Math.max(heap, metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0);
      };
      await clearRequestLog(hub);
      const timer = setInterval(() => sample().catch(() => {}), 50);
      const out = await page.evaluate(([cl, a]) => window.uploadLarge(cl, a), [client, { ...c, repo, path: PATH }]);
      clearInterval(timer);
      await sample();
      out.heapMiB = heap / 1048576;
      out.rendererMiB = peakRss;
      out.rendererOverMiB = out.rendererMiB - startRss;
      out.renderers = pids.length;
      await checkMultipart(await requestLog(hub), out, { hubUrl: hub.url, repo, path: PATH, size: SIZE, client });
      return out;
    } finally {
      await browser.close();
    }
  }, ["heapMiB", "rendererMiB", "rendererOverMiB"]);
  const chunk = CHUNK_MIB ?? 5;
  console.log(`\nUpload of a ${MIB} MiB LFS file (multipart, ${best.hf.parts} parts of ${chunk} MiB), Chromium ${version}, local Hub (release build) (best of ${RUNS})`);
  console.log(`${"".padEnd(36)} ${"MB/s".padStart(8)} ${"× peer".padStart(7)} ${"peak JS heap".padStart(13)} ${"renderer peak RSS".padStart(18)} ${"over start".padStart(11)} ${"requests".padStart(9)}`);
  const rows = [["@huggingface/hub uploadFiles", best.hf], ["hubwasm uploadFiles", best.hubwasm]];
  const peer = SIZE / 1e6 / (best.hf.ms / 1000);
  for (const [name, r] of rows) {
    const mbps = SIZE / 1e6 / (r.ms / 1000);
    const reqs = `${r.requests} +${r.preflights}`;
    console.log(`${name.padEnd(36)} ${mbps.toFixed(0).padStart(8)} ${(mbps / peer).toFixed(2).padStart(7)} ${(r.max.heapMiB.toFixed(0) + " MiB").padStart(13)} ${(r.max.rendererMiB.toFixed(0) + " MiB").padStart(18)} ${(r.max.rendererOverMiB.toFixed(0) + " MiB").padStart(11)} ${reqs.padStart(9)}`);
    if (r.xet) console.log(`  (${r.xet} xet requests)`);
  }
  printPhases(rows);
  console.log("MB/s × peer: higher is faster. Memory columns: the highest over the runs; requests: + CORS preflights.");
} finally {
  server.close();
  await hub.stop();
}
