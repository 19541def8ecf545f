// Issue 17: in a Cloudflare Worker (128 MB per isolate) a file larger than that passes through
// `downloadFile({ cache: new CacheApiStore(…), stream: true })` to the Worker's Response at
// bounded memory: cold (Hub → Cache API → Response), warm (Cache API → Response) and uncached
// (Hub → Response). Real workerd through miniflare, dist/workerd.js, the local Hub.
//
// How memory is measured: miniflare runs workerd as a child process of this one; the Worker's
// isolate, miniflare's entry Worker and its Cache API service all live in that process. Before each
// transfer the process's peak RSS is reset (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0) and its
// RSS taken as the baseline; during the transfer RSS is also sampled every 20 ms; afterwards the
// peak is the larger of VmHWM and the highest sample. Growth = peak − baseline. That counts
// everything the process holds (V8 heaps, native stream buffers, the cache service), so it bounds
// the isolate's own growth from above; a whole-file buffer anywhere would show as ≥ 160 MiB.
// Miniflare's cache keeps its bodies in files (cachePersist: a temp dir), not in the process.
// The test reads every response to the end, checks length and SHA-256, and asserts memory, never time.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";
import { clearRequestLog, commitFiles, hubCall, requestLog, setFaults, startHub } from "./support/hub.mjs";
import { cleanUp } from "./support/runner.mjs";
import { bytes } from "./support/data.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const MiB = 1 << 20;
/** Larger than a Worker's 128 MB isolate. */
const SIZE = 160 * MiB;
/** What the workerd process may grow by while passing the file on: well under the file. */
const LIMIT = 48 * MiB;
const TIMEOUT = 600_000;

const sha256 = (b) => createHash("sha256").update(b).digest("hex");

/** Large test data, quick to make: a 4 MiB pseudo-random block repeated, each copy numbered. */
function largeBytes(n) {
  const block = bytes(4 * MiB, 17);
  const out = Buffer.alloc(n);
  for (let at = 0, i = 0; at < n; at += block.length, i++) {
    block.copy(out, at, 0, Math.min(block.length, n - at));
    if (at + 4 <= n) out.writeUInt32LE(i, at);
  }
  return out;
}

let hub, mf, cacheDir, pid, commit;
/** workerd's RSS after the small files (wasm modules loaded), before any large one. */
let startRss;
const repo = "test-user/large";
const files = { "config.json": Buffer.from('{"a": 1}\n'), "small.bin": bytes(3 * MiB + 5, 3) };
let large; // { sha256, size } of large.bin (the bytes are not kept)

/** The workerd process miniflare started (a child of this process). */
function workerdPid() {
  const found = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return ppid === process.pid && readFileSync(`/proc/${d}/comm`, "utf8").trim() === "workerd";
    } catch {
      return false; // exited meanwhile
    }
  });
  assert.equal(found.length, 1, `one workerd child of this process, found ${JSON.stringify(found)}`);
  return Number(found[0]);
}

/** VmRSS and VmHWM of `pid`, in bytes. */
function memory(pid) {
  const s = readFileSync(`/proc/${pid}/status`, "utf8");
  const kB = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(s)[1]) * 1024;
  return { rss: kB("VmRSS"), hwm: kB("VmHWM") };
}

/** Runs `fn` and says how far the workerd process's RSS rose above where it was at the start. */
async function measured(fn) {
  writeFileSync(`/proc/${pid}/clear_refs`, "5"); // VmHWM := VmRSS
  const base = memory(pid).rss;
  let sampled = base;
  const timer = setInterval(() => (sampled = Math.max(sampled, memory(pid).rss)), 20);
  let out;
  try {
    out = await fn();
  } finally {
    clearInterval(timer);
  }
  const peak = Math.max(sampled, memory(pid).hwm);
  return { out, base, peak, growth: peak - base };
}

/** GETs the harness Worker and reads the response to the end: { status, size, sha256, text }. */
async function download(query) {
  const q = new URLSearchParams({ hubUrl: hub.url, token: hub.token, repo, ...query });
  const res = await mf.dispatchFetch(`http://worker/download?${q}`);
  const hash = createHash("sha256");
  let size = 0;
  const head = [];
  for await (const chunk of res.body ?? []) {
    hash.update(chunk);
    size += chunk.length;
    if (head.length < 16) head.push(Buffer.from(chunk));
  }
  const text = Buffer.concat(head).toString("utf8", 0, 4000);
  assert.equal(res.status, 200, `HTTP ${res.status} from the Worker: ${text}`);
  return { size, sha256: hash.digest("hex"), text };
}

const mib = (n) => `${(n / MiB).toFixed(1)} MiB`;

/** A transfer of the large file, whole and right; returns how far workerd's RSS rose. */
async function largeTransfer(t, what, query) {
  const m = await measured(() => download({ path: "large.bin", ...query }));
  t.diagnostic(`${what}: workerd RSS ${mib(m.base)} before, peak ${mib(m.peak)}: +${mib(m.growth)} for a ${mib(SIZE)} file`);
  assert.equal(m.out.size, SIZE, `${what}: bytes received`);
  assert.equal(m.out.sha256, large.sha256, `${what}: SHA-256`);
  return m.growth;
}

/** …at bounded memory: above the RSS before it, and above the RSS before the first large transfer
 * (so what one transfer left behind cannot hide what the next one adds). */
async function boundedTransfer(t, what, query) {
  const growth = await largeTransfer(t, what, query);
  assert.ok(growth < LIMIT, `${what}: workerd grew by ${mib(growth)} (limit ${mib(LIMIT)}, file ${mib(SIZE)})`);
  const sinceStart = memory(pid).hwm - startRss;
  t.diagnostic(`${what}: peak ${mib(sinceStart)} above workerd's RSS before the first large file (${mib(startRss)})`);
  assert.ok(sinceStart < LIMIT, `${what}: workerd is ${mib(sinceStart)} above where it was before the first large file (limit ${mib(LIMIT)})`);
}

const linux = process.platform === "linux" && existsSync("/proc/self/status");

describe("workerd: a file larger than an isolate through downloadFile + CacheApiStore", { skip: !linux && "measures workerd's memory through /proc (Linux)" }, () => {
  before(async () => {
    // One PUT per LFS object, however large.
    hub = await startHub({ args: ["--multipart-threshold", String(1 << 30)] });
    await hubCall(hub, "POST", "/api/repos/create", JSON.stringify({ name: "large", type: "model" }));
    const content = largeBytes(SIZE);
    large = { sha256: sha256(content), size: content.length };
    commit = await commitFiles(hub, repo, [...Object.entries(files), ["large.bin", content]]);
    cacheDir = mkdtempSync(join(tmpdir(), "hubwasm-workerd-cache-"));
    const worker = new Miniflare({
      modulesRoot: jsRoot,
      scriptPath: fileURLToPath(new URL("./harness/large-worker.mjs", import.meta.url)),
      modules: true,
      modulesRules: [
        { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
        { type: "CompiledWasm", include: ["**/*.wasm"] },
      ],
      compatibilityDate: "2025-09-01",
      cf: false,
      // The Cache API's records in files, so the cached file is on disk, not in workerd's memory.
      cachePersist: cacheDir,
      log: new Log(LogLevel.WARN),
    });
    try {
      await worker.ready;
    } catch (err) {
      await worker.dispose().catch(() => {});
      throw err;
    }
    mf = worker;
    pid = workerdPid();
  });

  after(() => cleanUp(() => mf?.dispose(), () => hub?.stop(), () => cacheDir && rmSync(cacheDir, { recursive: true, force: true })));

  test("CacheApiStore.readBlob(etag, size, streamed): { size, stream() } over the cached body, not a Blob", async () => {
    const res = await mf.dispatchFetch("http://worker/streamed-read");
    assert.equal(await res.text(), "ok");
  });

  // Also loads the wasm modules, so the baselines below include them.
  test("small files: stream: true with the store, cold then warm (no request), a range, and uncached", { timeout: TIMEOUT }, async () => {
    for (const [path, content] of Object.entries(files)) {
      const want = { size: content.length, sha256: sha256(content) };
      const pick = ({ size, sha256 }) => ({ size, sha256 });
      assert.deepEqual(pick(await download({ path, cache: "none" })), want, `${path} uncached`);
      assert.deepEqual(pick(await download({ path, revision: commit, cache: "store" })), want, `${path} cold`);
      await clearRequestLog(hub);
      assert.deepEqual(pick(await download({ path, revision: commit, cache: "store" })), want, `${path} warm`);
      assert.deepEqual(await requestLog(hub), [], `${path}: a warm read at a commit asks the Hub nothing`);
      const part = content.subarray(2, 8);
      assert.deepEqual(pick(await download({ path, revision: commit, cache: "store", range: "2-7" })), { size: 6, sha256: sha256(part) }, `${path} range from the cache`);
    }
    startRss = memory(pid).rss;
  });

  test(`uncached, stream: true: ${SIZE / MiB} MiB from the Hub to the Response`, { timeout: TIMEOUT }, async (t) => {
    await boundedTransfer(t, "uncached", { cache: "none" });
  });

  test(`cold: ${SIZE / MiB} MiB from the Hub into the Cache API, then to the Response`, { timeout: TIMEOUT }, async (t) => {
    await boundedTransfer(t, "cold", { revision: commit, cache: "store" });
  });

  test(`warm: ${SIZE / MiB} MiB from the Cache API to the Response, no Hub request`, { timeout: TIMEOUT }, async (t) => {
    await clearRequestLog(hub);
    await boundedTransfer(t, "warm", { revision: commit, cache: "store" });
    assert.deepEqual(await requestLog(hub), [], "the warm read asked the Hub nothing");
  });

  // The control: the same measurement sees a whole file held in memory. Without `stream: true`
  // the caller asked for a Blob, and the Cache API's `response.blob()` is in workerd's memory.
  test(`control: without stream: true the warm read holds the ${SIZE / MiB} MiB Blob, and the measurement sees it`, { timeout: TIMEOUT }, async (t) => {
    const growth = await largeTransfer(t, "warm, a Blob", { revision: commit, cache: "store", blob: "1" });
    assert.ok(growth > SIZE * 0.9, `a Blob of ${mib(SIZE)} in memory, but workerd grew by ${mib(growth)} only`);
  });
});
