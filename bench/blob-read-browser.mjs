// Reading a 1 GiB Blob to the end in headless Chromium: the stream's own chunks (a new
// ArrayBuffer each) against hubwasm's readBlob (one reused buffer through a BYOB reader, as its
// hashing does). Reports MB/s and how far the page's renderer RSS rose above where it started
// (read from /proc, so Linux only), each way in a fresh browser.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "../js/test/support/browser.mjs";

const MIB = Number(process.env.BENCH_READ_MIB ?? 1024);
const SIZE = MIB * 1048576;
const root = fileURLToPath(new URL("../", import.meta.url));

/** The largest renderer process started (indirectly) by this process, by RSS. */
function renderer() {
  const parent = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  const mine = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === process.pid) return true;
    return false;
  };
  const pids = [...parent.keys()].filter((pid) => {
    try {
      return mine(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer");
    } catch {
      return false;
    }
  });
  return pids.sort((a, b) => rss(b) - rss(a))[0];
}
function rss(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

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
