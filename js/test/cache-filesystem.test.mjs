// FileSystemCache (dist/cache/filesystem.js): the huggingface_hub cache layout on disk.
// Part 1 checks every method and the exact layout; part 2 proves that the official Python client
// (huggingface_hub from the conformance venv) and this store read each other's cache.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, utimes, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importBuilt } from "./support/runner.mjs";
import { clearRequestLog, requestLog, startHub } from "./support/hub.mjs";

const { FileSystemCache, defaultCacheDir, repoFolderName } = await importBuilt(
  new URL("../dist/cache/filesystem.js", import.meta.url),
  "build the package first (`make build-js`, or `npx tsc -p tsconfig.json` in js/).",
);

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const enc = new TextEncoder();
const bytes = (s) => enc.encode(s);
const C1 = "1".repeat(40);
const C2 = "2".repeat(40);
const REPO = "models/me/tiny";
const FOLDER = "models--me--tiny";

const temps = [];
async function tempDir(prefix = "hubwasm-fscache-") {
  const d = await mkdtemp(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

/** A store on a fresh folder, with a clock the test drives (ms). */
async function fresh(extra = {}) {
  const root = await tempDir();
  const clock = { t: 1_700_000_000_000 };
  const store = new FileSystemCache({ cacheDir: root, now: () => clock.t, ...extra });
  return { root, clock, store, repoDir: join(root, FOLDER) };
}

async function put(store, etag, data, chunks = 1) {
  const w = await store.openWriter(etag, data.length);
  const step = Math.max(1, Math.ceil((data.length - w.offset) / chunks));
  for (let i = w.offset; i < data.length; i += step) await w.write(data.subarray(i, i + step));
  await w.complete();
}

const exists = (p) => lstat(p).then(() => true, () => false);
const gitSha1 = (b) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

/** Every path below dir (files, links, folders), sorted, relative. */
async function tree(dir) {
  return (await readdir(dir, { recursive: true })).sort();
}

describe("FileSystemCache", () => {
  test("root: cacheDir, then HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache (as huggingface_hub)", () => {
    assert.equal(new FileSystemCache({ cacheDir: "/x/y" }).root, "/x/y");
    assert.equal(defaultCacheDir({ HF_HUB_CACHE: "/a", HF_HOME: "/b" }), "/a");
    assert.equal(defaultCacheDir({ HUGGINGFACE_HUB_CACHE: "/legacy", HF_HOME: "/b" }), "/legacy");
    assert.equal(defaultCacheDir({ HF_HOME: "/b" }), "/b/hub");
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/xdg" }), "/xdg/huggingface/hub");
    assert.equal(defaultCacheDir({}), join(homedir(), ".cache", "huggingface", "hub"));
    assert.equal(defaultCacheDir({ HF_HOME: "~/hf" }), join(homedir(), "hf", "hub"));
    assert.equal(defaultCacheDir({ HF_HOME: "$BASE/hf", BASE: "/base" }), "/base/hf/hub");
    assert.equal(new FileSystemCache({ env: { HF_HOME: "/env-home" } }).root, "/env-home/hub");
  });

  test("repo keys map to {type}s--{ns}--{name} folders; bad keys and paths are refused", async () => {
    assert.equal(repoFolderName("models/me/tiny"), "models--me--tiny");
    assert.equal(repoFolderName("datasets/org/data"), "datasets--org--data");
    assert.equal(repoFolderName("spaces/me/app"), "spaces--me--app");
    assert.equal(repoFolderName("models/gpt2"), "models--gpt2");
    for (const bad of ["me/tiny", "models/../x", "models/a/b/c", "kernels/a/b", "models/a--b/c"]) {
      assert.throws(() => repoFolderName(bad), { code: "InvalidInput" }, bad);
    }
    const { store } = await fresh();
    await assert.rejects(store.getRef(REPO, "../../etc"), { code: "InvalidInput" });
    await assert.rejects(store.putEntry(REPO, C1, "a/../../x", { etag: "e", size: 1 }), { code: "InvalidInput" });
    await assert.rejects(store.putEntry(REPO, C1, "/abs", { etag: "e", size: 1 }), { code: "InvalidInput" });
    await assert.rejects(store.openWriter("../e", 1), { code: "InvalidInput" });
  });

  test("CACHEDIR.TAG is written once, an existing one is kept", async () => {
    const { root, store } = await fresh();
    assert.equal(await exists(join(root, "CACHEDIR.TAG")), false, "nothing written before the first write");
    await store.putRef(REPO, "main", C1);
    const tag = await readFile(join(root, "CACHEDIR.TAG"), "utf8");
    assert.match(tag, /^Signature: 8a477f597d28d172789f06886806bc55\n/);
    await writeFile(join(root, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# mine\n");
    await new FileSystemCache({ cacheDir: root }).putRef(REPO, "v1", C1);
    assert.equal(await readFile(join(root, "CACHEDIR.TAG"), "utf8"), "Signature: 8a477f597d28d172789f06886806bc55\n# mine\n");
  });

  test("refs: refs/<rev> holds the bare commit, refs/pr/1 nests, rewritten atomically only when changed, at = mtime", async () => {
    const { store, clock, repoDir } = await fresh();
    assert.equal(await store.getRef(REPO, "main"), undefined);
    await store.putRef(REPO, "main", C1);
    assert.equal(await readFile(join(repoDir, "refs", "main"), "utf8"), C1, "no newline, like Python");
    assert.deepEqual(await store.getRef(REPO, "main"), { commit: C1, at: clock.t });
    assert.ok((await stat(join(repoDir, "snapshots", C1))).isDirectory(), "the snapshot folder a ref names exists");

    const ino = (await stat(join(repoDir, "refs", "main"))).ino;
    clock.t += 60_000;
    await store.putRef(REPO, "main", C1);
    assert.equal((await stat(join(repoDir, "refs", "main"))).ino, ino, "same commit: the file is not rewritten");
    assert.deepEqual(await store.getRef(REPO, "main"), { commit: C1, at: clock.t }, "… but `at` moves");

    clock.t += 1;
    await store.putRef(REPO, "main", C2);
    assert.notEqual((await stat(join(repoDir, "refs", "main"))).ino, ino, "a new commit: replaced by rename");
    assert.deepEqual(await store.getRef(REPO, "main"), { commit: C2, at: clock.t });

    await store.putRef(REPO, "refs/pr/1", C1);
    assert.equal(await readFile(join(repoDir, "refs", "refs", "pr", "1"), "utf8"), C1);
    assert.equal((await store.getRef(REPO, "refs/pr/1")).commit, C1);
    assert.equal(await store.getRef(REPO, "refs/pr/2"), undefined);
    assert.equal(await store.getRef(REPO, "refs"), undefined, "a folder is no ref");

    await store.putRef(REPO, C1, C1);
    assert.equal(await exists(join(repoDir, "refs", C1)), false, "a commit is not written as a ref (as Python)");
    assert.deepEqual(await tree(join(repoDir, "refs")), ["main", "refs", "refs/pr", "refs/pr/1"], "no temporaries left");
  });

  test("entries: relative links with the right ../ count, visible only once the blob is complete", async () => {
    const { store, repoDir } = await fresh();
    const data = bytes("nested content\n");
    const etag = gitSha1(data);
    await store.putEntry(REPO, C1, "a/b/c.txt", { etag, size: data.length });
    await store.putEntry(REPO, C1, "top.txt", { etag, size: data.length });
    assert.equal(await store.getEntry(REPO, C1, "a/b/c.txt"), undefined, "no entry before the blob");
    assert.equal(await exists(join(repoDir, "snapshots", C1, "a", "b", "c.txt")), false, "no dangling link");
    await put(store, etag, data);
    assert.equal(await readlink(join(repoDir, "snapshots", C1, "a", "b", "c.txt")), `../../../../blobs/${etag}`);
    assert.equal(await readlink(join(repoDir, "snapshots", C1, "top.txt")), `../../blobs/${etag}`);
    assert.deepEqual(await store.getEntry(REPO, C1, "a/b/c.txt"), { etag, size: data.length });
    assert.deepEqual(await store.getEntry(REPO, C1, "top.txt"), { etag, size: data.length });
    assert.equal(await store.getEntry(REPO, C2, "top.txt"), undefined, "another commit");
    assert.equal(await store.getEntry("models/me/other", C1, "top.txt"), undefined, "another repo");

    // The blob exists now: a later putEntry (another commit) links at once.
    await store.putEntry(REPO, C2, "moved/here.txt", { etag, size: data.length });
    assert.deepEqual(await store.getEntry(REPO, C2, "moved/here.txt"), { etag, size: data.length });

    // Re-pointing a path replaces the link.
    const other = bytes("other");
    await store.putEntry(REPO, C2, "moved/here.txt", { etag: gitSha1(other), size: other.length });
    await put(store, gitSha1(other), other);
    assert.deepEqual(await store.getEntry(REPO, C2, "moved/here.txt"), { etag: gitSha1(other), size: other.length });

    // A broken link (blob deleted behind our back) is no entry.
    await rm(join(repoDir, "blobs", gitSha1(other)));
    assert.equal(await store.getEntry(REPO, C2, "moved/here.txt"), undefined);
  });

  test("a copied snapshot file (no symlinks) is an entry when trees/<commit>.json names its etag", async () => {
    const { store, repoDir } = await fresh();
    const data = bytes("copied");
    await mkdir(join(repoDir, "snapshots", C1), { recursive: true });
    await writeFile(join(repoDir, "snapshots", C1, "f.txt"), data);
    assert.equal(await store.getEntry(REPO, C1, "f.txt"), undefined, "unknown etag without a listing");
    await store.putTree(REPO, C1, [{ path: "f.txt", size: data.length, oid: gitSha1(data) }]);
    assert.deepEqual(await store.getEntry(REPO, C1, "f.txt"), { etag: gitSha1(data), size: data.length });
  });

  test("writer: .incomplete while writing, resume offset after abort(false), abort(true) drops it, rename on complete", async () => {
    const { store, repoDir } = await fresh();
    const data = bytes("0123456789".repeat(100));
    const etag = sha256(data);
    await store.putEntry(REPO, C1, "w.bin", { etag, size: data.length });
    const partial = join(repoDir, "blobs", `${etag}.incomplete`);
    const blob = join(repoDir, "blobs", etag);

    const w1 = await store.openWriter(etag, data.length);
    assert.equal(w1.offset, 0);
    await w1.write(data.subarray(0, 300));
    assert.equal((await stat(partial)).size, 300);
    assert.equal(await exists(blob), false, "not visible while writing");
    assert.equal(await store.readBlob(etag, data.length), undefined);
    await w1.abort(false);
    assert.equal((await stat(partial)).size, 300, "kept for a resume");

    // A new store (another process) resumes from the partial's size.
    const again = new FileSystemCache({ cacheDir: store.root });
    await again.putEntry(REPO, C1, "w.bin", { etag, size: data.length });
    const w2 = await again.openWriter(etag, data.length);
    assert.equal(w2.offset, 300);
    const prefix = await w2.prefix();
    assert.deepEqual(new Uint8Array(await prefix.arrayBuffer()), data.subarray(0, 300), "prefix() = the stored bytes");
    await w2.write(data.subarray(300, 700));
    await w2.abort(true);
    assert.equal(await exists(partial), false, "abort(true) drops the partial");

    const w3 = await again.openWriter(etag, data.length);
    assert.equal(w3.offset, 0);
    await w3.write(data.subarray(0, 999));
    await assert.rejects(w3.complete(), { code: "Storage" }, "complete() with a byte missing fails");
    assert.equal(await exists(blob), false);
    const w4 = await again.openWriter(etag, data.length);
    assert.equal(w4.offset, 999, "… and the partial stays for a resume");
    await assert.rejects(w4.write(data.subarray(0, 2)), { code: "Storage" }, "more bytes than the size");
    await w4.write(data.subarray(999));
    await w4.complete();
    assert.equal(await exists(partial), false, "renamed away");
    assert.deepEqual(new Uint8Array(await readFile(blob)), data);
    assert.deepEqual(new Uint8Array(await readFile(join(repoDir, "snapshots", C1, "w.bin"))), data);

    // Writing a complete blob again keeps the existing file (a Blob handed out keeps reading).
    const handedOut = await again.readBlob(etag, data.length);
    const ino = (await stat(blob)).ino;
    const w5 = await again.openWriter(etag, data.length);
    assert.equal(w5.offset, 0);
    await w5.write(data);
    await w5.complete();
    assert.equal((await stat(blob)).ino, ino);
    assert.equal(await exists(partial), false);
    assert.equal((await handedOut.arrayBuffer()).byteLength, data.length);
  });

  test("a partial larger than the expected size is restarted", async () => {
    const { store, repoDir } = await fresh();
    await store.putEntry(REPO, C1, "x", { etag: "big", size: 4 });
    await mkdir(join(repoDir, "blobs"), { recursive: true });
    await writeFile(join(repoDir, "blobs", "big.incomplete"), "too many bytes");
    const w = await store.openWriter("big", 4);
    assert.equal(w.offset, 0);
    await w.write(bytes("four"));
    await w.complete();
    assert.equal(await (await store.readBlob("big", 4)).text(), "four");
  });

  test("locks: held in .locks/{folder}/<etag>.lock while a writer is open; writers of one etag take turns", async () => {
    const { root, store } = await fresh();
    const lockPath = join(root, ".locks", FOLDER, "e.lock");
    await store.putEntry(REPO, C1, "e", { etag: "e", size: 3 });
    const first = await store.openWriter("e", 3);
    const owner = JSON.parse(await readFile(lockPath, "utf8"));
    assert.equal(owner.by, "hubwasm");
    assert.equal(owner.pid, process.pid);
    let secondOpened = false;
    const second = store.openWriter("e", 3).then((w) => ((secondOpened = true), w));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(secondOpened, false, "the second writer waits");
    await first.write(bytes("abc"));
    await first.complete();
    const w = await second;
    assert.equal(w.offset, 0, "then writes (the caller checks readBlob first)");
    await w.abort(true);
    assert.equal(await exists(lockPath), false, "released");
    assert.deepEqual(await readdir(join(root, ".locks", FOLDER)), [], "no draft or stale files left");
  });

  test("locks: a writer in another process is waited for (a real second Node process)", async () => {
    const { root, store } = await fresh();
    const moduleUrl = new URL("../dist/cache/filesystem.js", import.meta.url).href;
    const child = spawn(process.execPath, ["--input-type=module", "-e", `
      const { FileSystemCache } = await import(${JSON.stringify(moduleUrl)});
      const c = new FileSystemCache({ cacheDir: ${JSON.stringify(root)} });
      await c.putEntry(${JSON.stringify(REPO)}, ${JSON.stringify(C1)}, "x.bin", { etag: "xx", size: 4 });
      const w = await c.openWriter("xx", 4);
      await w.write(new TextEncoder().encode("ab"));
      console.log("holding");
      await new Promise((r) => setTimeout(r, 1500));
      await w.write(new TextEncoder().encode("cd"));
      await w.complete();
    `], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((r) => child.on("exit", r));
    await new Promise((r) => child.stdout.once("data", r));
    await store.putEntry(REPO, C1, "x.bin", { etag: "xx", size: 4 });
    const t0 = Date.now();
    const w = await store.openWriter("xx", 4);
    const waited = Date.now() - t0;
    assert.equal(await exited, 0);
    assert.ok(waited >= 1000, `waited ${waited} ms for the other process`);
    assert.equal(w.offset, 0, "the other process published its blob; no partial is left");
    await w.abort(true);
    assert.equal(await (await store.readBlob("xx", 4)).text(), "abcd");
    assert.deepEqual(await store.getEntry(REPO, C1, "x.bin"), { etag: "xx", size: 4 });
  });

  test("locks: another live process's lock is waited for until stale; a dead process's or Python's empty lock is taken over", async () => {
    // Generous margins: the machine may be busy with other suites.
    const { root, store } = await fresh({ lockStaleMs: 1500, lockPollMs: 20 });
    await store.putEntry(REPO, C1, "e", { etag: "e", size: 1 });
    const lockPath = join(root, ".locks", FOLDER, "e.lock");
    await mkdir(join(root, ".locks", FOLDER), { recursive: true });

    // Python's filelock leaves an empty file behind (flock, never deleted): free.
    await writeFile(lockPath, "");
    let t0 = Date.now();
    let w = await store.openWriter("e", 1);
    assert.ok(Date.now() - t0 < 1000, "an empty (Python) lock file does not block");
    await w.abort(true);

    // A lock of a process that is gone: taken over at once.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(lockPath, JSON.stringify({ by: "hubwasm", pid: dead, host: (await import("node:os")).hostname() }));
    t0 = Date.now();
    w = await store.openWriter("e", 1);
    assert.ok(Date.now() - t0 < 1000, "a dead owner's lock does not block");
    await w.abort(true);

    // A live owner (this test's parent process) that stops refreshing: waited for, then stale.
    await writeFile(lockPath, JSON.stringify({ by: "hubwasm", pid: process.ppid, host: (await import("node:os")).hostname() }));
    t0 = Date.now();
    w = await store.openWriter("e", 1);
    const waited = Date.now() - t0;
    assert.ok(waited >= 1200, `waited ${waited} ms for the stale timeout`);
    await w.write(bytes("x"));
    await w.complete();
    assert.equal(await exists(lockPath), false);
  });

  test("locks: a held lock is refreshed, so a slow writer is not taken over", async () => {
    const { root, store } = await fresh({ lockStaleMs: 900, lockPollMs: 20 });
    await store.putEntry(REPO, C1, "slow", { etag: "slow", size: 2 });
    const w = await store.openWriter("slow", 2);
    const other = new FileSystemCache({ cacheDir: root, lockStaleMs: 900, lockPollMs: 20 });
    await other.putEntry(REPO, C1, "slow", { etag: "slow", size: 2 });
    let otherOpened = false;
    const pending = other.openWriter("slow", 2).then((x) => ((otherOpened = true), x));
    // Simulate another process: the lock file names another live pid.
    const lockPath = join(root, ".locks", FOLDER, "slow.lock");
    const mine = await readFile(lockPath, "utf8");
    const foreign = mine.replace(`"pid":${process.pid}`, `"pid":${process.ppid}`);
    await writeFile(lockPath, foreign);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(otherOpened, false, "still waiting after more than twice the stale time");
    await w.write(bytes("ok"));
    await writeFile(lockPath, mine); // let our release recognise its lock
    await w.complete();
    const x = await pending;
    assert.equal(x.offset, 0);
    await x.abort(true);
    assert.equal(await (await other.readBlob("slow", 2)).text(), "ok");
  });

  test("readBlob: a disk-backed Blob with the bytes; atime = now, mtime kept; a size mismatch is a miss", async () => {
    const { store, clock, repoDir } = await fresh();
    const data = bytes("blob bytes");
    await store.putEntry(REPO, C1, "b", { etag: "bb", size: data.length });
    clock.t = 1_700_000_100_000;
    await put(store, "bb", data);
    const file = join(repoDir, "blobs", "bb");
    const before = await stat(file);
    assert.equal(Math.round(before.atimeMs), clock.t, "complete() marks the access");
    clock.t = 1_700_000_200_000;
    const blob = await store.readBlob("bb", data.length);
    // (Checked before reading the bytes: the kernel may move atime on the read itself.)
    const afterRead = await stat(file);
    assert.equal(Math.round(afterRead.atimeMs), clock.t);
    assert.equal(afterRead.mtimeMs, before.mtimeMs, "mtime kept");
    assert.equal(blob.size, data.length);
    assert.equal(await blob.text(), "blob bytes");
    assert.equal(await blob.slice(5).text(), "bytes");
    assert.equal(await store.readBlob("bb", data.length + 1), undefined);
    assert.equal(await store.readBlob("missing", 1), undefined);
  });

  test("one etag in two repos: hard-linked (stored once), counted once", async () => {
    const { root, store } = await fresh();
    const data = bytes("shared bytes");
    await store.putEntry(REPO, C1, "s", { etag: "sh", size: data.length });
    await put(store, "sh", data);
    await store.putEntry("datasets/me/data", C2, "copy/s", { etag: "sh", size: data.length });
    const a = await stat(join(root, FOLDER, "blobs", "sh"));
    const b = await stat(join(root, "datasets--me--data", "blobs", "sh"));
    assert.equal(a.ino, b.ino, "hard link");
    assert.deepEqual(await store.getEntry("datasets/me/data", C2, "copy/s"), { etag: "sh", size: data.length });
    assert.equal(await store.size(), data.length);
  });

  test("a blob written before the store saw any repo waits in .locks/.hubwasm-staging, then is hard-linked into its repo", async () => {
    const { root, store } = await fresh();
    const data = bytes("orphan");
    await put(store, "orph", data);
    assert.ok(await exists(join(root, ".locks", ".hubwasm-staging", "orph")));
    assert.equal(await (await store.readBlob("orph", data.length)).text(), "orphan", "readable meanwhile");
    assert.equal(await store.size(), data.length);
    const early = await store.readBlob("orph", data.length);
    await store.putEntry(REPO, C1, "o.txt", { etag: "orph", size: data.length });
    assert.equal(
      (await stat(join(root, ".locks", ".hubwasm-staging", "orph"))).ino,
      (await stat(join(root, FOLDER, "blobs", "orph"))).ino,
      "hard-linked into the repo, not moved",
    );
    assert.equal(await early.text(), "orphan", "so a Blob read from staging keeps working");
    assert.equal(await store.size(), data.length, "counted once");
    assert.equal(await readlink(join(root, FOLDER, "snapshots", C1, "o.txt")), "../../blobs/orph");
    assert.deepEqual(await store.getEntry(REPO, C1, "o.txt"), { etag: "orph", size: data.length });
    await store.delete();
    assert.equal(await exists(join(root, ".locks", ".hubwasm-staging")), false, "cleared with everything");
  });

  test("a new blob goes to the right repo's blobs/: pending entry, tree listing, else the repo last asked about", async () => {
    const { root, store } = await fresh();
    // The download order: ref, entry lookup (miss), then the writer, then putEntry.
    await store.getEntry("datasets/me/data", C1, "x.bin");
    let w = await store.openWriter("e1", 2);
    await w.write(bytes("e1"));
    assert.ok(await exists(join(root, "datasets--me--data", "blobs", "e1.incomplete")), "partial in blobs/<etag>.incomplete");
    await w.complete();
    await store.putEntry("datasets/me/data", C1, "x.bin", { etag: "e1", size: 2 });
    assert.ok(await store.getEntry("datasets/me/data", C1, "x.bin"));

    // A listing names every etag of the commit: snapshots of another repo meanwhile do not matter.
    await store.putTree(REPO, C1, [{ path: "t.bin", size: 2, oid: "a".repeat(40), lfs: { oid: "e2", size: 2 } }]);
    await store.getEntry("spaces/me/app", C1, "other");
    w = await store.openWriter("e2", 2);
    await w.write(bytes("e2"));
    await w.complete();
    assert.ok(await exists(join(root, FOLDER, "blobs", "e2")));
    assert.equal(await exists(join(root, "spaces--me--app", "blobs", "e2")), false);

    // An entry put before the writer: linked on complete.
    await store.putEntry("spaces/me/app", C2, "p.bin", { etag: "e3", size: 2 });
    await store.getEntry(REPO, C1, "whatever");
    w = await store.openWriter("e3", 2);
    await w.write(bytes("e3"));
    await w.complete();
    assert.ok(await exists(join(root, "spaces--me--app", "blobs", "e3")));
    assert.deepEqual(await store.getEntry("spaces/me/app", C2, "p.bin"), { etag: "e3", size: 2 });
  });

  test("list and size: every resolvable entry with its revisions; size counts complete and partial blobs", async () => {
    const { store, clock } = await fresh();
    await store.putRef(REPO, "main", C1);
    await store.putRef(REPO, "refs/pr/1", C1);
    await store.putRef(REPO, "v2", C2);
    const a = bytes("aaaa");
    const b = bytes("bbbbbbbb");
    await store.putEntry(REPO, C1, "x/a.txt", { etag: "ea", size: a.length });
    await store.putEntry(REPO, C2, "b.bin", { etag: "eb", size: b.length });
    await store.putEntry("spaces/me/app", C1, "a.txt", { etag: "ea", size: a.length });
    await store.putEntry(REPO, C2, "never.bin", { etag: "en", size: 100 });
    clock.t += 1000;
    await put(store, "ea", a);
    clock.t += 1000;
    await put(store, "eb", b);
    const partial = await store.openWriter("en", 100);
    await partial.write(new Uint8Array(30));
    await partial.abort(false);
    const list = await store.list();
    assert.deepEqual(
      list.map(({ lastAccess, ...e }) => e),
      [
        { repo: REPO, revisions: ["main", "refs/pr/1"], commit: C1, path: "x/a.txt", etag: "ea", size: 4 },
        { repo: REPO, revisions: ["v2"], commit: C2, path: "b.bin", etag: "eb", size: 8 },
        { repo: "spaces/me/app", revisions: [], commit: C1, path: "a.txt", etag: "ea", size: 4 },
      ],
    );
    assert.equal(list[0].lastAccess, clock.t - 1000);
    assert.equal(list[1].lastAccess, clock.t);
    assert.equal(await store.size(), 4 + 8 + 30, "the hard link to ea counts once; the partial counts");
  });

  test("delete: by path, by commit (with its refs and tree), by repo, everything; unused blobs go", async () => {
    const { root, store, repoDir } = await fresh();
    const other = "datasets/me/data";
    await store.putRef(REPO, "main", C1);
    await store.putRef(REPO, "refs/pr/1", C1);
    await store.putRef(REPO, "v2", C2);
    await store.putTree(REPO, C1, [{ path: "a", size: 1, oid: "a".repeat(40) }]);
    for (const [r, c, p, e] of [[REPO, C1, "a", "A"], [REPO, C1, "d/b", "B"], [REPO, C2, "a", "A"], [other, C1, "z", "Z"]]) {
      await store.putEntry(r, c, p, { etag: e, size: 1 });
      if (!(await store.readBlob(e, 1))) await put(store, e, bytes(e));
    }
    await store.delete({ repo: REPO, commit: C1, path: "d/b" });
    assert.equal(await store.getEntry(REPO, C1, "d/b"), undefined);
    assert.equal(await exists(join(repoDir, "snapshots", C1, "d")), false, "empty folders pruned");
    assert.equal(await exists(join(repoDir, "blobs", "B")), false, "B unused: deleted");
    assert.equal((await store.getRef(REPO, "main")).commit, C1, "refs stay when one path goes");

    await store.delete({ repo: REPO, commit: C1 });
    assert.equal(await exists(join(repoDir, "snapshots", C1)), false);
    assert.equal(await store.getRef(REPO, "main"), undefined, "ref to the deleted commit gone");
    assert.equal(await store.getRef(REPO, "refs/pr/1"), undefined);
    assert.equal(await exists(join(repoDir, "refs", "refs")), false, "empty ref folders pruned");
    assert.equal(await store.getTree(REPO, C1), undefined, "its tree listing gone");
    assert.equal((await store.getRef(REPO, "v2")).commit, C2, "other refs stay");
    assert.ok(await exists(join(repoDir, "blobs", "A")), "A still used at C2");

    await store.delete({ commit: C2 });
    assert.equal(await exists(join(repoDir, "blobs", "A")), false, "A unused everywhere in the repo");
    assert.ok(await store.getEntry(other, C1, "z"), "other repo untouched (no C2 there)");

    await store.putEntry(REPO, C1, "a", { etag: "A", size: 1 });
    await put(store, "A", bytes("A"));
    await store.delete({ repo: REPO });
    assert.equal(await exists(repoDir), false, "the repo folder goes");
    assert.ok(await store.getEntry(other, C1, "z"));

    await store.delete();
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.size(), 0);
    assert.deepEqual(await tree(root), [".locks", "CACHEDIR.TAG"], "only the tag and the locks folder remain");
  });

  test("evictTo: least recently accessed blobs first, with their snapshot links; no link dangles", async () => {
    const { store, clock, repoDir } = await fresh();
    await store.putRef(REPO, "main", C1);
    for (const [i, name] of ["old", "mid", "new"].entries()) {
      clock.t = 1_700_000_000_000 + i * 10_000;
      await store.putEntry(REPO, C1, `dir/${name}.bin`, { etag: name, size: 10 });
      await store.putEntry(REPO, C2, `${name}.bin`, { etag: name, size: 10 });
      await put(store, name, bytes(`${name}-------`.slice(0, 10)));
    }
    clock.t = 1_700_000_100_000;
    assert.ok(await store.readBlob("old", 10), "reading old makes it the most recent");
    assert.equal(await store.size(), 30);
    await store.evictTo(30);
    assert.equal(await store.size(), 30, "within budget: nothing evicted");
    await store.evictTo(25);
    assert.equal(await store.size(), 20);
    assert.equal(await exists(join(repoDir, "blobs", "mid")), false, "mid was least recently used");
    assert.equal(await exists(join(repoDir, "snapshots", C1, "dir", "mid.bin")), false, "its links went with it");
    assert.equal(await exists(join(repoDir, "snapshots", C2, "mid.bin")), false);
    assert.deepEqual((await store.list()).map((e) => e.path).sort(), ["dir/new.bin", "dir/old.bin", "new.bin", "old.bin"]);
    await store.evictTo(10);
    assert.equal(await exists(join(repoDir, "blobs", "new")), false, "then new (older than the read of old)");
    assert.ok(await exists(join(repoDir, "blobs", "old")));
    await store.evictTo(0);
    assert.equal(await store.size(), 0);
    assert.deepEqual(await store.list(), []);
    assert.equal((await store.getRef(REPO, "main")).commit, C1, "refs stay; their snapshot folders too");
    assert.ok((await stat(join(repoDir, "snapshots", C1))).isDirectory());
  });

  test("evictTo: an old partial goes, a recent one (a writer may be active) stays", async () => {
    const { store, repoDir } = await fresh({ lockStaleMs: 60_000 });
    await store.putEntry(REPO, C1, "p", { etag: "p1", size: 100 });
    await store.putEntry(REPO, C1, "q", { etag: "p2", size: 100 });
    for (const e of ["p1", "p2"]) {
      const w = await store.openWriter(e, 100);
      await w.write(new Uint8Array(50));
      await w.abort(false);
    }
    const old = (Date.now() - 3_600_000) / 1000;
    await utimes(join(repoDir, "blobs", "p1.incomplete"), old, old);
    await store.evictTo(0);
    assert.equal(await exists(join(repoDir, "blobs", "p1.incomplete")), false);
    assert.ok(await exists(join(repoDir, "blobs", "p2.incomplete")));
    assert.equal(await store.size(), 50);
  });

  test("trees: trees/<commit>.json in huggingface_hub's format_version 1, sorted; round trip", async () => {
    const { store, repoDir } = await fresh();
    const files = [
      { path: "z.bin", size: 5, oid: "b".repeat(40), lfs: { oid: "c".repeat(64), size: 5 }, xetHash: "d".repeat(64) },
      { path: "a/config.json", size: 2, oid: "a".repeat(40) },
      { path: "bad-xet.bin", size: 1, oid: "e".repeat(40), lfs: { oid: "f".repeat(64), size: 1 }, xetHash: "not-a-hash" },
    ];
    assert.equal(await store.getTree(REPO, C1), undefined);
    await store.putTree(REPO, C1, files);
    const text = await readFile(join(repoDir, "trees", `${C1}.json`), "utf8");
    assert.equal(
      text,
      JSON.stringify(
        {
          format_version: 1,
          files: {
            "a/config.json": { size: 2, blob_id: "a".repeat(40) },
            "bad-xet.bin": { size: 1, blob_id: "e".repeat(40), lfs_sha256: "f".repeat(64), lfs_size: 1 },
            "z.bin": { size: 5, blob_id: "b".repeat(40), lfs_sha256: "c".repeat(64), lfs_size: 5, xet_hash: "d".repeat(64) },
          },
        },
        null,
        1,
      ),
    );
    assert.deepEqual(await store.getTree(REPO, C1), [
      { path: "a/config.json", size: 2, oid: "a".repeat(40) },
      { path: "bad-xet.bin", size: 1, oid: "e".repeat(40), lfs: { oid: "f".repeat(64), size: 1 } },
      files[0],
    ]);
    await writeFile(join(repoDir, "trees", `${C2}.json`), JSON.stringify({ format_version: 2, files: {} }));
    assert.equal(await store.getTree(REPO, C2), undefined, "an unknown format is ignored (as Python)");
    await writeFile(join(repoDir, "trees", `${C2}.json`), "{not json");
    assert.equal(await store.getTree(REPO, C2), undefined, "a corrupt file too");
  });
});

// ---------------------------------------------------------------------------------------------
// Interop with the official Python client.

const venvPython = process.env.HUBWASM_PYTHON || join(repoRoot, ".venv", "bin", "python");

/** Makes sure the conformance venv (huggingface_hub) exists; installs it the way `make test` does. */
function ensurePython() {
  const ok = () => existsSync(venvPython) && spawnSync(venvPython, ["-c", "import huggingface_hub"], { cwd: tmpdir() }).status === 0;
  if (ok()) return;
  const r = spawnSync("bash", [join(repoRoot, "tests", "conformance", "setup.sh")], { stdio: "inherit" });
  if (r.status !== 0 || !ok()) throw new Error(`no Python huggingface_hub at ${venvPython} (tests/conformance/setup.sh failed)`);
}

// One Python process per step: reads a JSON list of operations, prints a JSON list of results.
const PY = String.raw`
import hashlib, json, os, sys
from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download, try_to_load_from_cache
from huggingface_hub.file_download import repo_folder_name
from huggingface_hub._tree_cache import read_tree_cache

def digest(path):
    with open(path, "rb") as f:
        data = f.read()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

out = []
for op in json.loads(sys.argv[1]):
    kind = op.pop("op")
    try:
        if kind == "download":
            p = hf_hub_download(**op)
            out.append({"path": p, "islink": os.path.islink(p), "target": os.readlink(p) if os.path.islink(p) else None, **digest(p)})
        elif kind == "try_cache":
            p = try_to_load_from_cache(**op)
            out.append({"path": p if isinstance(p, str) else None})
        elif kind == "snapshot":
            d = snapshot_download(**op)
            files = sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs)
            out.append({"path": d, "files": files})
        elif kind == "scan":
            info = scan_cache_dir(op["cache_dir"])
            repos = []
            for r in info.repos:
                revs = sorted(
                    ({"commit": v.commit_hash, "refs": sorted(v.refs),
                      "files": sorted((f.file_name if False else str(f.file_path.relative_to(v.snapshot_path)), f.size_on_disk, f.blob_path.name) for f in v.files)}
                     for v in r.revisions), key=lambda x: x["commit"])
                repos.append({"repo_id": r.repo_id, "repo_type": r.repo_type, "revisions": revs, "size": r.size_on_disk})
            out.append({"repos": sorted(repos, key=lambda x: x["repo_id"]), "warnings": [str(w) for w in info.warnings],
                        "size": info.size_on_disk})
        elif kind == "tree":
            folder = os.path.join(op["cache_dir"], repo_folder_name(repo_id=op["repo_id"], repo_type=op.get("repo_type", "model")))
            t = read_tree_cache(folder, op["commit"])
            out.append(None if t is None else {k: {"size": v.size, "blob_id": v.blob_id, "lfs_sha256": v.lfs_sha256, "lfs_size": v.lfs_size} for k, v in t.items()})
        else:
            raise ValueError(kind)
    except Exception as e:
        out.append({"error": type(e).__name__, "message": str(e)})
print(json.dumps(out))
`;

/** Runs PY with a clean huggingface_hub environment (no token file, no proxies, no xet). */
function python(ops, env) {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HF_|HUGGINGFACE_)/.test(k)));
    const child = spawn(venvPython, ["-c", PY, JSON.stringify(ops)], {
      cwd: tmpdir(),
      env: {
        ...clean,
        HF_HUB_DISABLE_XET: "1",
        HF_HUB_DISABLE_TELEMETRY: "1",
        HF_HUB_DISABLE_PROGRESS_BARS: "1",
        NO_PROXY: "127.0.0.1,localhost",
        no_proxy: "127.0.0.1,localhost",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`python exited ${code}\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`python printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}

describe("FileSystemCache ↔ huggingface_hub (Python)", () => {
  let hub;
  let hubApi;
  let repoId;
  let commit;
  let prCommit;
  const regular = bytes('{"model_type": "interop"}\n');
  // A zero byte makes the local Hub (like the real one) store it with LFS.
  const lfs = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
  const prFile = bytes("only on the pull request\n");
  const files = {
    "config.json": { data: regular, etag: gitSha1(regular) },
    "weights/model.bin": { data: lfs, etag: sha256(lfs) },
  };

  before(async () => {
    ensurePython();
    hubApi = await importBuilt(new URL("../dist/node.js", import.meta.url), "build the package first (dist/ and wasm/ in js/).");
    hub = await startHub();
    const name = `cache-interop-${Date.now().toString(36)}`;
    repoId = `${hub.user}/${name}`;
    const common = { hubUrl: hub.url, accessToken: hub.token, repo: { type: "model", name: repoId } };
    await hubApi.createRepo(common);
    const out = await hubApi.uploadFiles({
      ...common,
      files: Object.entries(files).map(([path, f]) => ({ path, content: new Blob([f.data]) })),
    });
    commit = out.commit.oid;
    const pr = await hubApi.uploadFiles({ ...common, isPullRequest: true, files: [{ path: "pr.txt", content: new Blob([prFile]) }] });
    prCommit = pr.commit.oid;
    assert.match(commit, /^[0-9a-f]{40}$/);
    assert.match(prCommit, /^[0-9a-f]{40}$/);
  });
  after(() => hub?.stop());

  test("the fixture: one regular file, one LFS file (etag = sha256), one file on refs/pr/1", async () => {
    const info = await hubApi.pathsInfo({ hubUrl: hub.url, accessToken: hub.token, repo: repoId, paths: Object.keys(files) });
    const byPath = Object.fromEntries(info.map((e) => [e.path, e]));
    assert.equal(byPath["config.json"].oid, files["config.json"].etag);
    assert.equal(byPath["config.json"].lfs, undefined);
    assert.equal(byPath["weights/model.bin"].lfs?.oid, files["weights/model.bin"].etag);
    const pr = await hubApi.pathsInfo({ hubUrl: hub.url, accessToken: hub.token, repo: repoId, revision: "refs/pr/1", paths: ["pr.txt"] });
    assert.equal(pr[0]?.oid, gitSha1(prFile));
  });

  test("Python downloads (online), then FileSystemCache reads Python's cache with no network", async () => {
    const home = await tempDir("hubwasm-hfhome-");
    const env = { HF_HOME: home, HF_ENDPOINT: hub.url, HF_TOKEN: hub.token };
    const got = await python(
      [
        { op: "download", repo_id: repoId, filename: "config.json", revision: "main" },
        { op: "download", repo_id: repoId, filename: "weights/model.bin" },
        { op: "download", repo_id: repoId, filename: "pr.txt", revision: "refs/pr/1" },
        { op: "snapshot", repo_id: repoId, revision: commit },
      ],
      env,
    );
    for (const r of got) assert.equal(r.error, undefined, JSON.stringify(r));
    assert.equal(got[0].target, `../../blobs/${files["config.json"].etag}`, "Python's link, as we write it");
    assert.equal(got[1].target, `../../../blobs/${files["weights/model.bin"].etag}`);

    // From here on only the files: FileSystemCache has no network code at all.
    const cache = new FileSystemCache({ env: { HF_HOME: home } });
    assert.equal(cache.root, join(home, "hub"));
    assert.deepEqual((await cache.getRef(`models/${repoId}`, "main"))?.commit, commit);
    assert.deepEqual((await cache.getRef(`models/${repoId}`, "refs/pr/1"))?.commit, prCommit, "refs/refs/pr/1 written by Python");
    for (const [path, f] of Object.entries(files)) {
      const entry = await cache.getEntry(`models/${repoId}`, commit, path);
      assert.deepEqual(entry, { etag: f.etag, size: f.data.length }, path);
      const blob = await cache.readBlob(entry.etag, entry.size);
      assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), f.data, path);
    }
    const pr = await cache.getEntry(`models/${repoId}`, prCommit, "pr.txt");
    assert.deepEqual(pr, { etag: gitSha1(prFile), size: prFile.length });

    // snapshot_download cached the commit's tree listing: we read Python's trees/<commit>.json.
    const listing = await cache.getTree(`models/${repoId}`, commit);
    assert.ok(listing, "trees/<commit>.json from snapshot_download");
    const byPath = Object.fromEntries(listing.map((f) => [f.path, f]));
    assert.equal(byPath["config.json"].oid, files["config.json"].etag);
    assert.equal(byPath["weights/model.bin"].lfs?.oid, files["weights/model.bin"].etag);
    assert.equal(byPath["weights/model.bin"].size, lfs.length);

    const listed = await cache.list();
    assert.deepEqual(
      listed.filter((e) => e.commit === commit && e.path in files).map((e) => [e.path, e.revisions, e.etag]).sort(),
      [["config.json", ["main"], files["config.json"].etag], ["weights/model.bin", ["main"], files["weights/model.bin"].etag]],
    );

    // Python's filelock leaves empty lock files behind; they must not block our writers.
    const lock = join(home, "hub", ".locks", `models--${repoId.replace("/", "--")}`, `${files["config.json"].etag}.lock`);
    assert.equal(await readFile(lock, "utf8"), "", "Python left its (empty) lock file");
    const w = await Promise.race([
      cache.openWriter(files["config.json"].etag, regular.length),
      new Promise((_, rej) => setTimeout(() => rej(new Error("blocked by Python's lock file")), 5000)),
    ]);
    assert.equal(w.offset, 0);
    await w.abort(true);
  });

  test("FileSystemCache writes (refs, links, blobs, tree), then Python finds every file offline", async () => {
    const home = await tempDir("hubwasm-hfhome-");
    const cache = new FileSystemCache({ env: { HF_HOME: home } });
    const repo = `models/${repoId}`;
    // What the download code does: ref, entry, blob (verified), in that order.
    await cache.putRef(repo, "main", commit);
    await cache.putRef(repo, "refs/pr/1", prCommit);
    for (const [path, f] of Object.entries(files)) {
      await cache.putEntry(repo, commit, path, { etag: f.etag, size: f.data.length });
      await put(cache, f.etag, f.data, 3);
    }
    await cache.putEntry(repo, prCommit, "pr.txt", { etag: gitSha1(prFile), size: prFile.length });
    await put(cache, gitSha1(prFile), prFile);
    await cache.putTree(repo, commit, [
      { path: "config.json", size: regular.length, oid: files["config.json"].etag },
      { path: "weights/model.bin", size: lfs.length, oid: "0".repeat(40), lfs: { oid: files["weights/model.bin"].etag, size: lfs.length } },
    ]);

    // No network: HF_HUB_OFFLINE=1 and an endpoint nobody listens on.
    const env = { HF_HOME: home, HF_HUB_OFFLINE: "1", HF_ENDPOINT: "http://127.0.0.1:9" };
    const got = await python(
      [
        { op: "download", repo_id: repoId, filename: "config.json" },
        { op: "download", repo_id: repoId, filename: "weights/model.bin", revision: "main", local_files_only: true },
        { op: "download", repo_id: repoId, filename: "config.json", revision: commit, local_files_only: true },
        { op: "download", repo_id: repoId, filename: "pr.txt", revision: "refs/pr/1", local_files_only: true },
        { op: "try_cache", repo_id: repoId, filename: "weights/model.bin" },
        { op: "snapshot", repo_id: repoId, revision: "main", local_files_only: true },
        { op: "scan", cache_dir: join(home, "hub") },
        { op: "tree", cache_dir: join(home, "hub"), repo_id: repoId, commit },
        { op: "download", repo_id: repoId, filename: "not-cached.txt", local_files_only: true },
      ],
      env,
    );
    const [cfg, model, cfgAtCommit, pr, tried, snap, scan, tree, missing] = got;
    for (const r of got.slice(0, 8)) assert.equal(r?.error, undefined, JSON.stringify(r));
    assert.deepEqual([cfg.sha256, cfg.size], [sha256(regular), regular.length]);
    assert.deepEqual([model.sha256, model.size], [sha256(lfs), lfs.length]);
    assert.equal(model.path, join(home, "hub", `models--${repoId.replace("/", "--")}`, "snapshots", commit, "weights", "model.bin"));
    assert.equal(cfgAtCommit.sha256, sha256(regular));
    assert.equal(pr.sha256, sha256(prFile));
    assert.equal(tried.path, model.path);
    assert.deepEqual(snap.files, ["config.json", join("weights", "model.bin")]);
    assert.equal(missing.error, "LocalEntryNotFoundError", "and a file we never cached is not invented");

    // Python's cache scanner sees a healthy cache: no warnings, refs and sizes as written.
    assert.deepEqual(scan.warnings, []);
    assert.equal(scan.repos.length, 1);
    const [r] = scan.repos;
    assert.equal(r.repo_id, repoId);
    assert.deepEqual(r.revisions.map((v) => [v.commit, v.refs]).sort(), [[commit, ["main"]], [prCommit, ["refs/pr/1"]]].sort());
    const atCommit = r.revisions.find((v) => v.commit === commit);
    assert.deepEqual(atCommit.files, [
      ["config.json", regular.length, files["config.json"].etag],
      [join("weights", "model.bin"), lfs.length, files["weights/model.bin"].etag],
    ]);
    assert.equal(scan.size, await cache.size());

    // Python reads our trees/<commit>.json.
    assert.deepEqual(tree, {
      "config.json": { size: regular.length, blob_id: files["config.json"].etag, lfs_sha256: null, lfs_size: null },
      "weights/model.bin": { size: lfs.length, blob_id: "0".repeat(40), lfs_sha256: files["weights/model.bin"].etag, lfs_size: lfs.length },
    });
  });
  test("a store that fails to write is a Storage error, not a cut connection: the file is fetched once", async () => {
    const cache = new FileSystemCache({ env: { HF_HOME: await tempDir("hubwasm-hfhome-") } });
    const open = cache.openWriter.bind(cache);
    cache.openWriter = async (etag, size) => {
      const w = await open(etag, size);
      // As a full disk would: the write itself fails, with no quota in its name.
      w.write = async () => {
        throw new Error("ENOSPC: no space left on device");
      };
      return w;
    };
    await clearRequestLog(hub);
    const err = await hubApi.downloadFileWithInfo({ hubUrl: hub.url, accessToken: hub.token, repo: repoId, path: "weights/model.bin", cache }).then(
      () => null,
      (e) => e,
    );
    assert.equal(err?.code, "Storage", String(err));
    assert.match(err.message, /ENOSPC/);
    const gets = (await requestLog(hub)).filter((x) => x.origin === "storage" && x.method === "GET");
    assert.equal(gets.length, 1, JSON.stringify(gets));
  });

  test("hubwasm's own downloads (downloadFileWithInfo, snapshotDownload) into FileSystemCache are found by Python offline", async () => {
    const home = await tempDir("hubwasm-hfhome-");
    const cache = new FileSystemCache({ env: { HF_HOME: home } });
    const common = { hubUrl: hub.url, accessToken: hub.token, repo: repoId, cache };
    const lfsPath = "weights/model.bin";
    const first = await hubApi.downloadFileWithInfo({ ...common, path: lfsPath });
    assert.equal(first.source, "network");
    assert.equal(first.etag, files[lfsPath].etag);
    assert.deepEqual(new Uint8Array(await first.blob.arrayBuffer()), lfs);
    const snap = await hubApi.snapshotDownload({ ...common, revision: "refs/pr/1" });
    assert.equal(snap.commit, prCommit);

    // At a commit, a cached file costs no request at all.
    await clearRequestLog(hub);
    const again = await hubApi.downloadFileWithInfo({ ...common, path: lfsPath, revision: commit });
    assert.equal(again.source, "cache");
    assert.deepEqual(await requestLog(hub), []);

    const folder = join(home, "hub", `models--${repoId.replace("/", "--")}`);
    assert.deepEqual(await readdir(join(home, "hub", ".locks")), [`models--${repoId.replace("/", "--")}`], "no staging: blobs went to the repo");
    assert.ok((await readdir(join(folder, "blobs"))).every((n) => !n.includes(".")), "no partials left");

    const env = { HF_HOME: home, HF_HUB_OFFLINE: "1", HF_ENDPOINT: "http://127.0.0.1:9" };
    const [model, pr, cfg, scan] = await python(
      [
        { op: "download", repo_id: repoId, filename: lfsPath, revision: "main" },
        { op: "download", repo_id: repoId, filename: "pr.txt", revision: "refs/pr/1" },
        { op: "download", repo_id: repoId, filename: "config.json", revision: prCommit },
        { op: "scan", cache_dir: join(home, "hub") },
      ],
      env,
    );
    assert.equal(model.sha256, sha256(lfs), JSON.stringify(model));
    assert.equal(pr.sha256, sha256(prFile), JSON.stringify(pr));
    assert.equal(cfg.sha256, sha256(regular), JSON.stringify(cfg));
    assert.deepEqual(scan.warnings, []);
    assert.deepEqual(scan.repos[0].revisions.map((v) => [v.commit, v.refs]).sort(), [[commit, ["main"]], [prCommit, ["refs/pr/1"]]].sort());
  });
});
