// Shared bits of the benchmarks: data, timing, and the result table.

/** `n` bytes that are not all equal (some hashes short-cut nothing, but keep it honest). */
export function makeData(n) {
  const data = new Uint8Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    data[i] = x & 255;
  }
  return data;
}

/** Runs `fn` `runs` times after one warm-up; returns the best MB/s and the result. */
export async function measure(bytes, fn, runs = 3) {
  let result = await fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { mbps: bytes / 1e6 / (best / 1000), ms: best, result };
}

/** Prints rows `{ name, mbps, result }` with ratios against the row named `base`. */
export function table(title, rows, base) {
  const ref = rows.find((r) => r.name === base);
  console.log(`\n${title}`);
  console.log(`${"".padEnd(42)} ${"MB/s".padStart(8)} ${"× " + base}`);
  for (const r of rows) {
    const ratio = ref ? (r.mbps / ref.mbps).toFixed(2) : "-";
    console.log(`${r.name.padEnd(42)} ${r.mbps.toFixed(0).padStart(8)} ${ratio.padStart(6)}${r.note ? "  " + r.note : ""}`);
  }
  const hashes = new Set(rows.map((r) => r.result).filter(Boolean));
  if (hashes.size > 1) throw new Error(`implementations disagree: ${[...hashes].join(", ")}`);
}
