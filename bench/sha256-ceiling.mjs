// The ceiling of SHA-256 in wasm on this machine, one stream, from memory (no Blob, no copy):
// the sha2 crate hubwasm ships, hand-unrolled textbook rounds, and a simd128 message schedule
// (bench/sha256-ceiling), in Node and in headless Chromium.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../js/test/support/browser.mjs";

const dir = fileURLToPath(new URL("./sha256-ceiling/", import.meta.url));
execFileSync("cargo", ["build", "--release", "--quiet", "--target", "wasm32-unknown-unknown"], {
  cwd: dir,
  stdio: "inherit",
  env: { ...process.env, RUSTFLAGS: "-C target-feature=+simd128", CARGO_TARGET_DIR: `${dir}target` },
});
const wasm = readFileSync(`${dir}target/wasm32-unknown-unknown/release/sha256_ceiling.wasm`);
const MIB = Number(process.env.BENCH_CEILING_MIB ?? 256);
const NAMES = ["with_sha2", "scalar", "simd_schedule"];

/** Runs in Node and, serialised, in the page: best MB/s of each export over `mib` MiB. */
async function measure(bytes, mib, names) {
  const { instance } = await WebAssembly.instantiate(bytes);
  const x = instance.exports;
  const buf = new Uint8Array(x.memory.buffer, x.buffer(), x.buffer_len());
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 7919) & 255;
  const rounds = Math.round((mib * 1048576) / buf.length);
  const best = {};
  const states = new Set();
  for (let run = 0; run < 4; run++) {
    for (const name of names) {
      x.reset();
      const t = performance.now();
      for (let i = 0; i < rounds; i++) x[name]();
      const mbps = (rounds * buf.length) / 1e6 / ((performance.now() - t) / 1000);
      if (run > 0) best[name] = Math.max(best[name] ?? 0, mbps);
      states.add(Array.from({ length: 8 }, (_, i) => x.state(i)).join(","));
    }
  }
  if (states.size !== 1) throw new Error("the implementations disagree");
  return best;
}

const node = await measure(wasm, MIB, NAMES);
const browser = await launchChromium();
let chromium;
try {
  const page = await browser.newPage();
  chromium = await page.evaluate(
    async ([src, b64, mib, names]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      return (0, eval)(`(${src})`)(bytes, mib, names);
    },
    [measure.toString(), wasm.toString("base64"), MIB, NAMES],
  );
} finally {
  await browser.close();
}
console.log(`\nSHA-256 compression in wasm, one stream over ${MIB} MiB already in memory (best of 3 after a warm-up), MB/s`);
console.log(`${"".padEnd(30)} ${("Node " + process.version).padStart(14)} ${("Chromium " + browser.version().split(".")[0]).padStart(14)}`);
for (const [name, label] of [["with_sha2", "sha2 crate (shipped)"], ["scalar", "hand-unrolled rounds"], ["simd_schedule", "simd128 message schedule"]]) {
  console.log(`${label.padEnd(30)} ${node[name].toFixed(0).padStart(14)} ${chromium[name].toFixed(0).padStart(14)}`);
}
