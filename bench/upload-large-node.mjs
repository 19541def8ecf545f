// Uploading one large LFS file (1 GiB by default) in Node to a new repo on the local Hub, which
// answers with a multipart upload: hubwasm's uploadFile against @huggingface/hub's (kept on the
// LFS path with useXet: false; it would offer xet in the LFS batch and fall back anyway, this
// Hub never answers xet). The file is on disk and opened with fs.openAsBlob, so neither client
// starts with it in memory. Each upload runs in its own process (peak RSS is its own); the
// clients alternate over BENCH_UP_RUNS runs, each uploading new content (its first bytes are
// stamped with the run), and the best time is reported with the highest peak RSS seen.
import { spawnSync } from "node:child_process";
import { mkdtempSync, openAsBlob, openSync, closeSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MIB = Number(process.env.BENCH_UP_MIB ?? 1024);
const SIZE = MIB * 1048576;
const RUNS = Number(process.env.BENCH_UP_RUNS ?? 3);
// Part size; unset keeps the local Hub's defaults (10 MiB threshold, 5 MiB parts).
const CHUNK_MIB = process.env.BENCH_UP_CHUNK_MIB ? Number(process.env.BENCH_UP_CHUNK_MIB) : undefined;
const PATH = "model.safetensors";
const variant = process.argv[2];

if (variant) {
  // Child: one upload.
  const { HUB_URL: hubUrl, HUB_TOKEN: accessToken, REPO: repo, FILE: file } = process.env;
  const { phases, recordingFetch } = await import("./lib.mjs");
  const upload = variant === "hubwasm"
    ? (await import("../js/dist/node.js")).uploadFile
    : (await import("@huggingface/hub")).uploadFile;
  const content = await openAsBlob(file);
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const log = [];
  const t0 = performance.now();
  const out = await upload({ hubUrl, accessToken, repo, file: { path: PATH, content }, fetch: recordingFetch(log), useXet: false });
  const t1 = performance.now();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({
    ms: t1 - t0, commit: out.commit.oid, phases: phases(log, t0, t1),
    overStartMiB: (peak - base) / 1048576, maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }));
} else {
  const { clearRequestLog, requestLog, startHub } = await import("../js/test/support/hub.mjs");
  const hubwasm = await import("../js/dist/node.js");
  const { bestOfAlternating, checkMultipart, makeData, printPhases } = await import("./lib.mjs");
  const args = CHUNK_MIB ? ["--multipart-threshold", String(CHUNK_MIB << 20), "--chunk-size", String(CHUNK_MIB << 20)] : [];
  const hub = await startHub({ args });
  const dir = mkdtempSync(join(tmpdir(), "hubwasm-up-"));
  const file = join(dir, PATH);
  try {
    // The file, from 8 MiB pieces each stamped with its index.
    const step = 8 << 20;
    const piece = makeData(step);
    const fd = openSync(file, "w");
    for (let off = 0; off < SIZE; off += step) {
      new DataView(piece.buffer).setUint32(4, off / step);
      writeSync(fd, piece, 0, Math.min(step, SIZE - off), off);
    }
    closeSync(fd);

    const c = { hubUrl: hub.url, accessToken: hub.token };
    const best = await bestOfAlternating(RUNS, async (client, n) => {
      const repo = `${hub.user}/up-${n}`;
      await hubwasm.createRepo({ ...c, repo });
      const stamp = openSync(file, "r+");
      writeSync(stamp, new Uint8Array(new Uint32Array([n]).buffer), 0, 4, 0);
      closeSync(stamp);
      await clearRequestLog(hub);
      const env = { ...process.env, HUB_URL: hub.url, HUB_TOKEN: hub.token, REPO: repo, FILE: file };
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), client], { env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${client} failed:\n${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split("\n").pop());
      await checkMultipart(await requestLog(hub), out, { hubUrl: hub.url, repo, path: PATH, size: SIZE, client });
      return out;
    }, ["overStartMiB", "maxRssMiB"]);
    const chunk = CHUNK_MIB ?? 5;
    console.log(`\nUpload of a ${MIB} MiB LFS file (multipart, ${best.hf.parts} parts of ${chunk} MiB), Node ${process.version}, local Hub (release build) (best of ${RUNS})`);
    console.log(`${"".padEnd(36)} ${"MB/s".padStart(8)} ${"× peer".padStart(7)} ${"peak RSS".padStart(10)} ${"over start".padStart(11)} ${"requests".padStart(9)}`);
    const rows = [["@huggingface/hub uploadFile", best.hf], ["hubwasm uploadFile", best.hubwasm]];
    for (const [name, r] of rows) {
      const mbps = SIZE / 1e6 / (r.ms / 1000);
      const peer = SIZE / 1e6 / (best.hf.ms / 1000);
      console.log(`${name.padEnd(36)} ${mbps.toFixed(0).padStart(8)} ${(mbps / peer).toFixed(2).padStart(7)} ${(r.max.maxRssMiB.toFixed(0) + " MiB").padStart(10)} ${(r.max.overStartMiB.toFixed(0) + " MiB").padStart(11)} ${String(r.requests).padStart(9)}`);
      if (r.xet) console.log(`  (${r.xet} xet requests)`);
    }
    printPhases(rows);
    console.log("MB/s × peer: higher is faster. peak RSS: the process's maxRSS; over start: sampled RSS above the RSS before the upload.");
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
