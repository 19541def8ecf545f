// Downloading a large LFS file in Node, on the local Hub (release build), read to the end:
// hubwasm's downloadFile (every mode, no cache) against @huggingface/hub's downloadFile and a raw
// fetch; into the huggingface_hub cache folder (hash checked) against @huggingface/hub's
// downloadFileToCacheDir and Python's hf_hub_download; curl to /dev/null as the limit.
// Each run is its own process (its peak RSS is the kernel's VmHWM for it); best of 3 runs.
// BENCH_DL_MIB sets the size (default 1024); BENCH_RUNS the runs (default 3).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MIB = Number(process.env.BENCH_DL_MIB ?? 1024);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE = MIB * 1048576;
const PATH = "model.safetensors";
const variant = process.argv[2];

const hwmMiB = (status) => Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;

async function drain(body) {
  let n = 0;
  for await (const chunk of body instanceof Blob ? body.stream() : body) n += chunk.length;
  return n;
}

if (variant) {
  // Child: one run of one variant; prints { ms, peakMiB }.
  const { HUB_URL: hubUrl, HUB_TOKEN: accessToken, REPO: repo, COMMIT: revision, CACHE_DIR: cacheDir } = process.env;
  const at = { hubUrl, accessToken, repo, revision, path: PATH };
  const hubwasm = await import("../js/dist/node.js");
  const hf = await import("@huggingface/hub");
  const fns = {
    raw: async () => drain((await fetch(`${hubUrl}/${repo}/resolve/${revision}/${PATH}`, { headers: { authorization: `Bearer ${accessToken}` } })).body),
    hf: async () => drain(await hf.downloadFile(at)),
    blob: async () => drain(await hubwasm.downloadFile({ ...at, cache: false })),
    stream: async () => drain(await hubwasm.downloadFile({ ...at, cache: false, stream: true })),
    "hf-dir": async () => {
      const p = await hf.downloadFileToCacheDir({ ...at, cacheDir });
      return statSync(p).size;
    },
    dir: async () => {
      const p = await hubwasm.downloadFileToCacheDir({ ...at, cacheDir });
      return statSync(p).size;
    },
  };
  const t = performance.now();
  const n = await fns[variant]();
  const ms = performance.now() - t;
  if (n !== SIZE) throw new Error(`${variant}: ${n} bytes`);
  console.log(JSON.stringify({ ms, peakMiB: hwmMiB(readFileSync("/proc/self/status", "utf8")) }));
} else {
  const { startHub } = await import("../js/test/support/hub.mjs");
  const hubwasm = await import("../js/dist/node.js");
  const { makeData } = await import("./lib.mjs");
  const hub = await startHub({ args: ["--multipart-threshold", String(64 << 20), "--chunk-size", String(64 << 20)] });
  const root = fileURLToPath(new URL("..", import.meta.url));
  const python = join(root, ".venv/bin/python");
  const tmp = mkdtempSync(join(tmpdir(), "hubwasm-bench-"));
  try {
    const c = { hubUrl: hub.url, accessToken: hub.token };
    const repo = `${hub.user}/bench-dl`;
    await hubwasm.createRepo({ ...c, repo });
    const out = await hubwasm.uploadFile({ ...c, repo, file: { path: PATH, content: new Blob([makeData(SIZE)]) } });
    const commit = out.commit.oid;
    const env = { ...process.env, HUB_URL: hub.url, HUB_TOKEN: hub.token, REPO: repo, COMMIT: commit, HF_HUB_DISABLE_XET: "1" };
    /** One run in a fresh process, with a fresh cache folder: { ms, peakMiB }. */
    const once = (argv) => {
      const cacheDir = join(tmp, `c${Math.random().toString(16).slice(2)}`);
      const r = spawnSync(argv[0], argv.slice(1), { env: { ...env, CACHE_DIR: cacheDir, HF_HUB_CACHE: cacheDir }, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${argv.join(" ")} failed:\n${r.stderr}`);
      rmSync(cacheDir, { recursive: true, force: true });
      return JSON.parse(r.stdout.trim().split("\n").pop());
    };
    const node = (v) => () => once([process.execPath, fileURLToPath(import.meta.url), v]);
    // curl to /dev/null, timed and measured by a Python parent (its children's peak RSS).
    const curl = () =>
      once(
        [
          "python3",
          "-c",
          "import os,subprocess,time,resource\nt=time.perf_counter()\n" +
            "subprocess.run(['curl','-sf','-o','/dev/null','-L','-H','authorization: Bearer '+os.environ['HUB_TOKEN'],os.environ['HUB_URL']+'/'+os.environ['REPO']+'/resolve/'+os.environ['COMMIT']+'/" + PATH + "'],check=True)\n" +
            "print('{\"ms\": %f, \"peakMiB\": %f}' % ((time.perf_counter()-t)*1000, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024))",
        ],
      );
    const py = () =>
      once([
        python,
        "-c",
        "import os,time,resource\nfrom huggingface_hub import hf_hub_download\nt=time.perf_counter()\n" +
          `p=hf_hub_download(os.environ['REPO'], '${PATH}', revision=os.environ['COMMIT'], endpoint=os.environ['HUB_URL'], token=os.environ['HUB_TOKEN'], cache_dir=os.environ['CACHE_DIR'])\n` +
          "ms=(time.perf_counter()-t)*1000\nassert os.path.getsize(p)==" + SIZE + "\n" +
          "print('{\"ms\": %f, \"peakMiB\": %f}' % (ms, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))",
      ]);
    const variants = [
      ["curl to /dev/null (the limit)", curl],
      ["raw fetch, body read", node("raw")],
      ["@huggingface/hub downloadFile", node("hf")],
      ["hubwasm downloadFile (Blob)", node("blob")],
      ["hubwasm downloadFile (stream)", node("stream")],
      ["@huggingface/hub downloadFileToCacheDir", node("hf-dir")],
      ["hubwasm downloadFileToCacheDir", node("dir")],
      ...(existsSync(python) ? [["Python hf_hub_download", py]] : []),
    ];
    const rows = [];
    for (const [name, run] of variants) {
      let best;
      for (let i = 0; i < RUNS; i++) {
        const r = run();
        // The fastest run's time; the highest peak of all runs.
        best = { ms: Math.min(best?.ms ?? Infinity, r.ms), peakMiB: Math.max(best?.peakMiB ?? 0, r.peakMiB) };
      }
      rows.push({ name, mbps: SIZE / 1e6 / (best.ms / 1000), peakMiB: best.peakMiB });
    }
    const by = (n) => rows.find((r) => r.name.startsWith(n));
    console.log(`\nDownload of a ${MIB} MiB LFS file, read to the end (Node ${process.version}, local Hub release build, best of ${RUNS}, one process per run)`);
    console.log(`${"".padEnd(42)} ${"MB/s".padStart(8)} ${"peak RSS".padStart(10)}`);
    for (const r of rows) {
      console.log(`${r.name.padEnd(42)} ${r.mbps.toFixed(0).padStart(8)} ${(r.peakMiB.toFixed(0) + " MiB").padStart(10)}`);
    }
    const ratio = (a, b) => (by(a) && by(b) ? `${(by(a).mbps / by(b).mbps).toFixed(2)}×` : "-");
    console.log(`\nhubwasm downloadFile (Blob) / @huggingface/hub downloadFile: ${ratio("hubwasm downloadFile (Blob)", "@huggingface/hub downloadFile")}`);
    console.log(`hubwasm downloadFile (stream) / @huggingface/hub downloadFile: ${ratio("hubwasm downloadFile (stream)", "@huggingface/hub downloadFile")}`);
    console.log(`hubwasm downloadFileToCacheDir / @huggingface/hub downloadFileToCacheDir: ${ratio("hubwasm downloadFileToCacheDir", "@huggingface/hub downloadFileToCacheDir")}`);
    console.log(`hubwasm downloadFileToCacheDir / Python hf_hub_download: ${ratio("hubwasm downloadFileToCacheDir", "Python hf_hub_download")}`);
    console.log(`hubwasm downloadFileToCacheDir / curl: ${ratio("hubwasm downloadFileToCacheDir", "curl")}`);
  } finally {
    await hub.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
