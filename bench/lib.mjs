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

/**
 * `count` small text files of `minBytes`..`maxBytes` (deterministic for a `seed`; another seed
 * gives other contents), in folders of 100: `[{ path, bytes }]`. Printable ASCII, so the Hub
 * keeps them as regular (inline) files.
 */
export function makeTextFiles(count, seed = 1, minBytes = 1024, maxBytes = 4096) {
  const alphabet = new TextEncoder().encode("abcdefghijklmnopqrstuvwxyz0123456789 ,.;:\n");
  let x = (0x2545f491 ^ Math.imul(seed, 0x9e3779b9)) >>> 0 || 1;
  const next = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
  const files = [];
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(minBytes + (next() % (maxBytes - minBytes + 1)));
    for (let j = 0; j < bytes.length; j++) bytes[j] = alphabet[next() % alphabet.length];
    const dir = String(Math.floor(i / 100)).padStart(2, "0");
    files.push({ path: `data/${dir}/file-${String(i).padStart(5, "0")}.txt`, bytes });
  }
  return files;
}

/**
 * A `fetch` that logs every request it passes on: `{ kind, method, start, headers }` with times
 * in ms (performance.now()) when it was sent and when the response headers arrived. Both
 * clients accept a `fetch` option, so they are observed the same way.
 */
export function recordingFetch(log, inner = globalThis.fetch.bind(globalThis)) {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET");
    const entry = { kind: requestKind(url), method, start: performance.now(), headers: NaN };
    log.push(entry);
    const res = await inner(input, init);
    entry.headers = performance.now();
    return res;
  };
}

/** Which step of an upload a URL belongs to. */
export function requestKind(url) {
  const p = new URL(url).pathname;
  if (p.includes("/preupload/")) return "preupload";
  if (p.endsWith("/info/lfs/objects/batch")) return "batch";
  if (p.endsWith("/info/lfs/objects/verify")) return "verify";
  if (p.startsWith("/part/")) return "part";
  if (p.startsWith("/complete/")) return "complete";
  if (p.startsWith("/upload/")) return "put";
  if (/^\/api\/[a-z]+s\/.+\/commit\//.test(p)) return "commit";
  return "other";
}

/**
 * Where the time of one upload went, from a `recordingFetch` log and the start/end times:
 * `{ preupload, hash, batch, parts, complete, commit, requests }` in ms. `preupload` and
 * `commit` are the request spans (sent → response headers); `hash` is the gap from the last
 * preupload answer to the LFS batch request (the client hashing); `parts` from the first part
 * (or basic PUT) sent to the last answered; whatever is left is the client's own work between
 * requests (`other`).
 */
export function phases(log, t0, t1) {
  const of = (k) => log.filter((e) => e.kind === k);
  const span = (es) => (es.length ? Math.max(...es.map((e) => e.headers)) - Math.min(...es.map((e) => e.start)) : 0);
  const pre = of("preupload"), batch = of("batch"), commit = of("commit");
  const uploads = [...of("part"), ...of("put")];
  const out = {
    preupload: span(pre),
    hash: batch.length && pre.length ? Math.min(...batch.map((e) => e.start)) - Math.max(...pre.map((e) => e.headers)) : 0,
    batch: span(batch),
    parts: span(uploads),
    complete: span([...of("complete"), ...of("verify")]),
    commit: span(commit),
    requests: log.length,
    parts_n: uploads.length,
  };
  out.other = t1 - t0 - out.preupload - out.hash - out.batch - out.parts - out.complete - out.commit;
  return out;
}

/** Prints where each client's time went, from `phases()` (the upload benchmarks' footer). */
export function printPhases(rows) {
  console.log("Where the time went (ms; hash: last preupload answer → LFS batch sent; parts: first part sent → last answered):");
  for (const [name, r] of rows) {
    const p = r.phases;
    console.log(`  ${name.padEnd(34)} total ${r.ms.toFixed(0)}: preupload ${p.preupload.toFixed(0)}, hash ${p.hash.toFixed(0)}, batch ${p.batch.toFixed(0)}, parts ${p.parts.toFixed(0)}, complete ${p.complete.toFixed(0)}, commit ${p.commit.toFixed(0)}, other ${p.other.toFixed(0)}`);
  }
}

/**
 * Runs `once(client, n)` `runs` times for each client, hubwasm and the peer ("hf") taking turns
 * at going first (`n` counts the calls from 1), and keeps for each client its fastest result (by
 * `ms`), with `max[key]` the highest `key` of all its runs for each of `maxKeys`.
 */
export async function bestOfAlternating(runs, once, maxKeys = []) {
  const best = {};
  let n = 0;
  for (let i = 0; i < runs; i++) {
    for (const client of i % 2 ? ["hf", "hubwasm"] : ["hubwasm", "hf"]) {
      const out = await once(client, ++n);
      const b = best[client];
      const max = Object.fromEntries(maxKeys.map((k) => [k, Math.max(b?.max[k] ?? 0, out[k])]));
      best[client] = { ...(!b || out.ms < b.ms ? out : b), max };
    }
  }
  return best;
}

/**
 * Counts into `out` what the local Hub logged for one large upload (parts, completions, requests,
 * CORS preflights, xet requests), and fails unless it took the multipart path and the Hub holds
 * `size` bytes at `path` of `out.commit`.
 */
export async function checkMultipart(log, out, { hubUrl, repo, path, size, client }) {
  out.parts = log.filter((x) => x.path.startsWith("/part/") && x.method === "PUT").length;
  out.completions = log.filter((x) => x.path.startsWith("/complete/") && x.method === "POST").length;
  out.requests = log.filter((x) => x.method !== "OPTIONS").length;
  out.preflights = log.filter((x) => x.method === "OPTIONS").length;
  out.xet = log.filter((x) => x.path.includes("xet")).length;
  if (out.completions !== 1 || out.parts === 0) throw new Error(`${client} did not take the multipart path: ${out.parts} parts`);
  const head = await fetch(`${hubUrl}/${repo}/resolve/${out.commit}/${path}`, { method: "HEAD", redirect: "manual" });
  if (head.headers.get("x-linked-size") !== String(size)) throw new Error(`${client}: the Hub has ${head.headers.get("x-linked-size")} bytes`);
}
