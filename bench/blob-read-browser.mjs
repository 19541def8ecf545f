// Reading a 1 GiB Blob to the end in headless Chromium: the stream's own chunks (a new
// ArrayBuffer each) against hubwasm's readBlob (one reused buffer through a BYOB reader, as its
// hashing does). Reports MB/s and how far the page's renderer RSS rose above where it started
// (read from /proc, so Linux only), each way in a fresh browser.
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "../js/test/support/browser.mjs";
import { procStatusMiB, rendererPids } from "./proc.mjs";

const MIB = Number(process.env.BENCH_READ_MIB ?? 1024);
const SIZE = MIB * 1048576;
const root = fileURLToPath(new URL("../", import.meta.url));

/** The page's renderer: the largest started by this process. */
const renderer = () => rendererPids().sort((a, b) => procStatusMiB(b) - procStatusMiB(a))[0];
const rss = (pid) => procStatusMiB(pid);

const server = await serveDir(root, ["/bench/", "/js/dist/"]);
const rows = [];
try {
  for (const [how, name] of [["stream", "blob.stream(), its own chunks"], ["readBlob", "hubwasm readBlob (BYOB, 1 MiB buffer)"]]) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/bench/blob-read.html`);
      await page.waitForFunction(() => window.ready);
      await page.evaluate((size) => window.make(size), SIZE);
      const pid = renderer();
      const start = rss(pid);
      let peak = start;
      const timer = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
      const r = await page.evaluate((h) => window.read(h), how);
      clearInterval(timer);
      peak = Math.max(peak, rss(pid));
      if (r.n !== SIZE) throw new Error(`${name}: read ${r.n} bytes`);
      rows.push({ name, mbps: SIZE / 1e6 / (r.ms / 1000), over: peak - start, version: browser.version() });
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}
console.log(`\nReading a ${MIB} MiB Blob to the end, Chromium ${rows[0]?.version ?? ""}`);
console.log(`${"".padEnd(40)} ${"MB/s".padStart(7)} ${"renderer RSS rise".padStart(18)}`);
for (const r of rows) console.log(`${r.name.padEnd(40)} ${r.mbps.toFixed(0).padStart(7)} ${(r.over.toFixed(0) + " MiB").padStart(18)}`);
