// Downloading a large LFS file in Node, on the local Hub: hubwasm (cache off, and with the
// huggingface_hub-layout file cache cold and warm) against @huggingface/hub's downloadFile and a
// raw fetch. Each variant runs in its own process (so peak RSS is its own), gets the Blob and
// reads it to the end (a lazy Blob that was never read would measure nothing).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MIB = Number(process.env.BENCH_DL_MIB ?? 1024);
const SIZE = MIB * 1048576;
const variant = process.argv[2];

async function drain(body) {
  let n = 0;
  for await (const chunk of body instanceof Blob ? body.stream() : body) n += chunk.length;
  return n;
}

if (variant) {
  // Child: one variant.
  const { HUB_URL: hubUrl, HUB_TOKEN: accessToken, REPO: repo, COMMIT: revision, CACHE_DIR: cacheDir } = process.env;
  const at = { hubUrl, accessToken, repo, revision, path: "model.safetensors" };
  const hubwasm = await import("../js/dist/node.js");
  const { downloadFile: hfDownloadFile } = await import("@huggingface/hub");
  const fns = {
    raw: async () => (await fetch(`${hubUrl}/${repo}/resolve/${revision}/model.safetensors`, { headers: { authorization: `Bearer ${accessToken}` } })).blob(),
    hf: () => hfDownloadFile(at),
    off: () => hubwasm.downloadFile({ ...at, cache: false }),
    stream: () => hubwasm.downloadFile({ ...at, cache: false, stream: true }),
    cache: () => hubwasm.downloadFile({ ...at, cache: new hubwasm.FileSystemCache({ cacheDir }) }),
  };
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t = performance.now();
  const n = await drain(await fns[variant]());
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (n !== SIZE) throw new Error(`${variant}: read ${n} bytes`);
  console.log(JSON.stringify({ mbps: SIZE / 1e6 / (ms / 1000), peakMiB: (peak - base) / 1048576 }));
} else {
  const { startHub } = await import("../js/test/support/hub.mjs");
  const hubwasm = await import("../js/dist/node.js");
  const { makeData } = await import("./lib.mjs");
  const hub = await startHub({ args: ["--multipart-threshold", String(64 << 20), "--chunk-size", String(64 << 20)] });
  const cacheDir = mkdtempSync(join(tmpdir(), "hubwasm-bench-"));
  try {
    const c = { hubUrl: hub.url, accessToken: hub.token };
    const repo = `${hub.user}/bench-dl`;
    await hubwasm.createRepo({ ...c, repo });
    const out = await hubwasm.uploadFile({ ...c, repo, file: { path: "model.safetensors", content: new Blob([makeData(SIZE)]) } });
    const env = { ...process.env, HUB_URL: hub.url, HUB_TOKEN: hub.token, REPO: repo, COMMIT: out.commit.oid, CACHE_DIR: cacheDir };
    const variants = [
      ["raw", "raw fetch → Blob"],
      ["hf", "@huggingface/hub downloadFile"],
      ["off", "hubwasm downloadFile (cache off)"],
      ["stream", "hubwasm (cache off, stream: true)"],
      ...(hubwasm.FileSystemCache ? [["cache", "hubwasm (file cache, cold)"], ["cache", "hubwasm (file cache, warm)"]] : []),
    ];
    const rows = [];
    for (const [v, name] of variants) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), v], { env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${name} failed:\n${r.stderr}`);
      rows.push({ name, ...JSON.parse(r.stdout.trim().split("\n").pop()) });
    }
    const raw = rows[0];
    console.log(`\nDownload of a ${MIB} MiB LFS file, read to the end, Node ${process.version}, local Hub (release build)`);
    console.log(`${"".padEnd(36)} ${"MB/s".padStart(8)} ${"× raw".padStart(7)} ${"peak RSS".padStart(10)}`);
    for (const r of rows) {
      console.log(`${r.name.padEnd(36)} ${r.mbps.toFixed(0).padStart(8)} ${(r.mbps / raw.mbps).toFixed(2).padStart(7)} ${(r.peakMiB.toFixed(0) + " MiB").padStart(10)}`);
    }
  } finally {
    await hub.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
