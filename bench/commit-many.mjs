// One commit of many small files (1,000 text files of 1–4 KiB by default) to a fresh repo on the
// local Hub: hubwasm's uploadFiles against @huggingface/hub's uploadFiles (which runs commitIter),
// in Node and in headless Chromium. Reports the best time of BENCH_MANY_RUNS runs (each to a new
// repo, with new contents; the clients alternate), the requests the Hub saw, and where the time
// went (request spans from a recording fetch given to both clients).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { uploadFiles as hfUploadFiles } from "@huggingface/hub";
import { launchChromium, serveDir } from "../js/test/support/browser.mjs";
import { clearRequestLog, requestLog, startHub } from "../js/test/support/hub.mjs";
import * as hubwasm from "../js/dist/node.js";
import { bestOfAlternating, makeTextFiles, phases, recordingFetch } from "./lib.mjs";

const FILES = Number(process.env.BENCH_MANY_FILES ?? 1000);
const MIN = Number(process.env.BENCH_MANY_MIN_BYTES ?? 1024);
const MAX = Number(process.env.BENCH_MANY_MAX_BYTES ?? 4096);
const RUNS = Number(process.env.BENCH_MANY_RUNS ?? 5);
const root = fileURLToPath(new URL("../", import.meta.url));

// The local Hub writes every inline file of a commit to its scratch folder (in the system temp
// dir): on a busy disk that alone made the commit request swing between 90 and 800 ms, so the
// scratch folder goes to RAM (/dev/shm) when there is one (BENCH_HUB_TMPDIR overrides).
const hubTmp = process.env.BENCH_HUB_TMPDIR ?? (existsSync("/dev/shm") ? "/dev/shm" : undefined);
const savedTmp = process.env.TMPDIR;
if (hubTmp) process.env.TMPDIR = hubTmp;
const hub = await startHub();
if (savedTmp === undefined) delete process.env.TMPDIR;
else process.env.TMPDIR = savedTmp;
const server = await serveDir(root, ["/bench/", "/js/dist/", "/js/wasm/"]);
const browser = await launchChromium();
const c = { hubUrl: hub.url, accessToken: hub.token };
let repos = 0;
let seed = 1;

const node = {
  hubwasm: (a, files, fetch) => hubwasm.uploadFiles({ ...c, repo: a.repo, files, fetch }),
  hf: (a, files, fetch) => hfUploadFiles({ ...c, repo: a.repo, files, fetch, useXet: false }),
};

async function inNode(client, a) {
  const files = makeTextFiles(a.count, a.seed, a.minBytes, a.maxBytes)
    .map((f) => ({ path: f.path, content: new Blob([f.bytes]) }));
  const log = [];
  const t0 = performance.now();
  const out = await node[client](a, files, recordingFetch(log));
  const t1 = performance.now();
  return { ms: t1 - t0, commit: out.commit.oid, phases: phases(log, t0, t1) };
}

let page;
async function inChromium(client, a) {
  return page.evaluate(([cl, args]) => window.commitMany(cl, args), [client, a]);
}

/** One commit to a new repo; checks the result and counts what the Hub saw. */
async function once(where, client, count = FILES) {
  const repo = `${hub.user}/many-${++repos}`;
  await hubwasm.createRepo({ ...c, repo });
  const a = { ...c, repo, count, seed: ++seed, minBytes: MIN, maxBytes: MAX };
  await clearRequestLog(hub);
  const r = await (where === "node" ? inNode : inChromium)(client, a);
  const log = await requestLog(hub);
  let n = 0;
  for await (const e of hubwasm.listFiles({ ...c, repo, revision: r.commit, recursive: true })) if (e.type === "file" && e.path.startsWith("data/")) n++;
  if (n !== count) throw new Error(`${where} ${client}: the commit has ${n} files, not ${count}`);
  const probe = makeTextFiles(count, a.seed, MIN, MAX)[count >> 1];
  const got = new Uint8Array(await (await fetch(`${hub.url}/${repo}/resolve/${r.commit}/${probe.path}`)).arrayBuffer());
  if (Buffer.compare(got, probe.bytes) !== 0) throw new Error(`${where} ${client}: ${probe.path} differs`);
  return {
    ...r,
    requests: log.filter((x) => x.method !== "OPTIONS").length,
    preflights: log.filter((x) => x.method === "OPTIONS").length,
    xet: log.filter((x) => x.path.includes("xet")).length,
  };
}

async function bench(where) {
  // Warm-up: wasm compiled, connections open, JIT warm.
  for (const client of ["hubwasm", "hf"]) await once(where, client, 10);
  return bestOfAlternating(RUNS, (client) => once(where, client));
}

function print(title, best) {
  const peer = best.hf;
  const f = (ms) => (ms.toFixed(0) + " ms").padStart(9);
  console.log(`\n${title}`);
  console.log(`${"".padEnd(36)} ${"time".padStart(9)} ${"× peer".padStart(7)} ${"requests".padStart(9)} ${"preupload".padStart(9)} ${"commit".padStart(9)} ${"client".padStart(9)}`);
  for (const [name, r] of [["@huggingface/hub uploadFiles", best.hf], ["hubwasm uploadFiles", best.hubwasm]]) {
    const p = r.phases;
    const reqs = String(r.requests) + (r.preflights ? ` +${r.preflights}` : "");
    console.log(`${name.padEnd(36)} ${f(r.ms)} ${(r.ms / peer.ms).toFixed(2).padStart(7)} ${reqs.padStart(9)} ${f(p.preupload)} ${f(p.commit)} ${f(p.other + p.hash)}`);
    if (r.xet) console.log(`  (${r.xet} xet requests)`);
  }
}

try {
  const size = makeTextFiles(FILES, 2, MIN, MAX).reduce((s, f) => s + f.bytes.length, 0);
  const what = `Commit of ${FILES} files of ${MIN}–${MAX} bytes (${(size / 1048576).toFixed(1)} MiB) in one commit to a new repo`;
  const nodeBest = await bench("node");
  page = await (await browser.newContext()).newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/upload.html`);
  await page.waitForFunction(() => window.ready);
  const chromiumBest = await bench("chromium");
  print(`${what}, Node ${process.version}, local Hub (release build) (best of ${RUNS})`, nodeBest);
  print(`${what}, Chromium ${browser.version()}, local Hub (release build) (best of ${RUNS})`, chromiumBest);
  console.log("time × peer: lower is faster. requests: as the Hub logged them (+ CORS preflights). preupload,");
  console.log("commit: request spans (sent → response headers); client: the rest, the client's own work.");
  if (hubTmp) console.log(`(the local Hub's scratch folder in ${hubTmp})`);
} finally {
  await browser.close();
  server.close();
  await hub.stop();
}
