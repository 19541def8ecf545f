// The Node file cache (FileSystemCache, the huggingface_hub folder layout) when downloads of one file
// race: in one store, in two stores over one folder, through downloadFileToCacheDir, in two processes,
// and after a process is killed (kill -9) mid-download. Each time every download returns the whole
// file, the Hub serves its bytes once (the racers wait and read the stored blob), and the folder ends
// with exactly the blob, the ref and the snapshot link: no `.incomplete`, `.lock` or temporary left.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { bytes } from "./support/data.mjs";
import { exists, removeTemps, tempDir } from "./support/fs-cache.mjs";
import { clearRequestLog, requestLog, startHub } from "./support/hub.mjs";
import * as hubwasm from "../dist/node.js";

const LIMIT = { timeout: 20_000 };
const FILE = "weights/model.bin";
const DATA = bytes(3 << 20, 16); // an LFS file (*.bin): etag = sha256, resumable
const ETAG = createHash("sha256").update(DATA).digest("hex");
const NODE_URL = new URL("../dist/node.js", import.meta.url).href;

let hub;
let c;
let repo;
let folder;
let commit;
const children = new Set();

before(async () => {
  hub = await startHub();
  c = { hubUrl: hub.url, accessToken: hub.token };
  repo = `${hub.user}/cache-race`;
  folder = `models--${hub.user}--cache-race`;
  await hubwasm.createRepo({ ...c, repo });
  commit = (await hubwasm.uploadFiles({ ...c, repo, files: [{ path: FILE, content: DATA }] })).commit.oid;
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await hub?.stop();
  await removeTemps();
});

/** Every file (not folder) below `root`, relative, sorted. */
async function files(root) {
  const out = [];
  for (const rel of await readdir(root, { recursive: true })) {
    if (!(await stat(join(root, rel))).isDirectory()) out.push(rel);
  }
  return out.sort();
}

/** The cache holds the whole blob, the ref and the snapshot link, and nothing else. */
async function assertWhole(root) {
  const blob = join(folder, "blobs", ETAG);
  const entry = join(folder, "snapshots", commit, ...FILE.split("/"));
  assert.deepEqual(
    await files(root),
    ["CACHEDIR.TAG", blob, join(folder, "refs", "main"), entry].sort(),
    "exactly the blob, the ref and the entry: no .incomplete, .lock or temporary left",
  );
  assert.equal(Buffer.compare(await readFile(join(root, blob)), DATA), 0, "the complete blob");
  assert.equal(await readlink(join(root, entry)), join("..", "..", "..", "blobs", ETAG), "the snapshot link");
  assert.equal(Buffer.compare(await readFile(join(root, entry)), DATA), 0);
}

/** Storage GETs of the file's bytes since the log was cleared, with their ranges. */
async function contentGets() {
  return (await requestLog(hub)).filter((r) => r.origin === "storage" && r.method === "GET" && r.path.endsWith(`/${ETAG}`));
}

const whole = async (blob) => Buffer.compare(Buffer.from(await blob.arrayBuffer()), DATA) === 0;

/**
 * A Node process that downloads the file into `cacheDir` and prints `{size, sha256}`. With
 * `stallAfter`, the file's body stops after that many bytes and never resumes (the process then
 * hangs mid-download, its partial and lock on disk, until killed).
 */
function child(cacheDir, stallAfter) {
  const script = `
    const [hubUrl, accessToken, repo, path, cacheDir, stallAfter] = JSON.parse(process.argv[1]);
    const { downloadFile, FileSystemCache } = await import(${JSON.stringify(NODE_URL)});
    const { createHash } = await import("node:crypto");
    const { bodyStoppingAfter } = await import(${JSON.stringify(new URL("./support/bodies.mjs", import.meta.url).href)});
    const stalling = async (input, init) => {
      const resp = await fetch(input, init);
      if (!stallAfter || !resp.body || Number(resp.headers.get("content-length")) <= stallAfter) return resp;
      return bodyStoppingAfter(resp, stallAfter, () => new Promise(() => {}));
    };
    const cache = new FileSystemCache({ cacheDir });
    const blob = await downloadFile({ hubUrl, accessToken, repo, path, cache, fetch: stalling });
    const buf = Buffer.from(await blob.arrayBuffer());
    console.log(JSON.stringify({ size: buf.length, sha256: createHash("sha256").update(buf).digest("hex") }));
  `;
  const args = JSON.stringify([hub.url, hub.token, repo, FILE, cacheDir, stallAfter ?? 0]);
  const p = spawn(process.execPath, ["--input-type=module", "-e", script, args], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(p);
  let out = "";
  let err = "";
  p.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  p.stderr.setEncoding("utf8").on("data", (d) => (err += d));
  const exited = new Promise((resolve) => p.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    process: p,
    exited,
    /** The child's result, once it exits successfully. */
    async result() {
      const { code, signal } = await exited;
      assert.equal(code, 0, `the child failed (${code ?? signal}):\n${err}`);
      return JSON.parse(out.trim().split("\n").pop());
    },
  };
}

async function until(check, what, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("concurrent downloads of one file into the file cache", () => {
  for (const n of [2, 8]) {
    test(`${n} downloads at once into one store: each gets the whole file, the Hub serves it once, nothing left over`, LIMIT, async () => {
      const root = await tempDir("hubwasm-race-");
      const cache = new hubwasm.FileSystemCache({ cacheDir: root });
      await clearRequestLog(hub);
      const blobs = await Promise.all(Array.from({ length: n }, () => hubwasm.downloadFile({ ...c, repo, path: FILE, cache })));
      for (const b of blobs) assert.ok(await whole(b), "the whole file");
      assert.equal((await contentGets()).length, 1, "one download of the bytes; the others read the stored blob");
      await assertWhole(root);
    });
  }

  test("two stores over one folder (two caches in one process) at once", LIMIT, async () => {
    const root = await tempDir("hubwasm-race-");
    const stores = [new hubwasm.FileSystemCache({ cacheDir: root }), new hubwasm.FileSystemCache({ cacheDir: root })];
    await clearRequestLog(hub);
    const blobs = await Promise.all(
      [...stores, ...stores].map((cache) => hubwasm.downloadFileWithInfo({ ...c, repo, path: FILE, cache })),
    );
    for (const r of blobs) assert.ok(await whole(r.blob));
    assert.deepEqual(blobs.map((r) => r.cached), [true, true, true, true]);
    assert.equal((await contentGets()).length, 1, "the second store waits on the lock file, then reads the blob");
    await assertWhole(root);
  });

  test("downloadFileToCacheDir four times at once: one path, the whole file", LIMIT, async () => {
    const root = await tempDir("hubwasm-race-");
    await clearRequestLog(hub);
    const paths = await Promise.all(Array.from({ length: 4 }, () => hubwasm.downloadFileToCacheDir({ ...c, repo, path: FILE, cacheDir: root })));
    const expected = join(root, folder, "snapshots", commit, ...FILE.split("/"));
    assert.deepEqual(paths, [expected, expected, expected, expected]);
    assert.equal(Buffer.compare(await readFile(expected), DATA), 0);
    assert.equal((await contentGets()).length, 1);
    await assertWhole(root);
  });

  test("two processes at once", LIMIT, async () => {
    const root = await tempDir("hubwasm-race-");
    await clearRequestLog(hub);
    const results = await Promise.all([child(root).result(), child(root).result()]);
    assert.deepEqual(results, [
      { size: DATA.length, sha256: ETAG },
      { size: DATA.length, sha256: ETAG },
    ]);
    assert.equal((await contentGets()).length, 1, "the other process waited for the lock and read the blob");
    await assertWhole(root);
  });

  test("a process killed (kill -9) mid-download, then a fresh download: resumed, whole, no stale lock or partial", LIMIT, async () => {
    const root = await tempDir("hubwasm-race-");
    const partial = join(root, folder, "blobs", `${ETAG}.incomplete`);
    const lock = join(root, ".locks", folder, `${ETAG}.lock`);
    const half = DATA.length >> 1;
    await clearRequestLog(hub);
    const doomed = child(root, half);
    await until(async () => ((await stat(partial).catch(() => undefined))?.size ?? 0) >= half, "the child to store half the file");
    doomed.process.kill("SIGKILL");
    assert.equal((await doomed.exited).signal, "SIGKILL");
    assert.ok(await exists(lock), "the dead process's lock is left behind");
    const stored = (await stat(partial)).size;
    assert.ok(stored >= half && stored < DATA.length, "and its partial");

    await clearRequestLog(hub);
    const cache = new hubwasm.FileSystemCache({ cacheDir: root });
    const r = await hubwasm.downloadFileWithInfo({ ...c, repo, path: FILE, cache });
    assert.ok(await whole(r.blob), "the whole file");
    assert.equal(r.source, "network");
    const gets = await contentGets();
    assert.deepEqual(gets.map((g) => g.range), [`bytes=${stored}-`], "resumed from the dead process's partial");
    await assertWhole(root);
  });
});
