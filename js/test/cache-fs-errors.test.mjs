// The Node file cache (FileSystemCache, and downloads through it) when the file system says no: a
// name too long, a file where a folder is needed or a folder where a file is, permission denied,
// a full disk, a cacheDir that is /dev/null, a NUL byte in a path. Each is a HubError — `Storage`
// with the path in its message, `InvalidInput` for a path Node refuses — never a raw Node errno
// error, and leaves no partial entry behind (no `.incomplete`, `.lock` or temporary, no snapshot
// entry). AbortErrors pass through untouched.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bodyStoppingAfter } from "./support/bodies.mjs";
import { bytes } from "./support/data.mjs";
import { C1, FOLDER, REPO, exists, put, removeTemps, sha256, tempDir } from "./support/fs-cache.mjs";
import { clearRequestLog, requestLog, startHub } from "./support/hub.mjs";
import * as hubwasm from "../dist/node.js";

const { FileSystemCache, HubError } = hubwasm;
const { storageError } = await import("../dist/cache/filesystem/errors.js");

const LIMIT = { timeout: 20_000 };
const LONG = "n".repeat(300); // longer than any file system's NAME_MAX (255)
const DATA = bytes(256 << 10, 5); // LFS (*.bin)
const ETAG = createHash("sha256").update(DATA).digest("hex");
const FILES = { plain: "a.bin", nested: "dir/a.bin", longName: `${LONG}.bin`, longFolder: `${LONG}/a.bin` };

let hub;
let c;
let repo;
let folder;
let commit;

before(async () => {
  hub = await startHub();
  c = { hubUrl: hub.url, accessToken: hub.token };
  repo = `${hub.user}/fs-errors`;
  folder = `models--${hub.user}--fs-errors`;
  await hubwasm.createRepo({ ...c, repo });
  const files = Object.values(FILES).map((path) => ({ path, content: DATA }));
  commit = (await hubwasm.uploadFiles({ ...c, repo, files })).commit.oid;
});

after(async () => {
  await hub?.stop();
  await removeTemps();
});

/** `p` rejects with a HubError of `code` whose message names `part`. */
async function rejectsWith(p, code, part) {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof HubError, `a HubError, not ${e?.constructor?.name} (${e?.code}): ${e?.message}`);
    assert.equal(e.code, code, e.message);
    if (part !== undefined) assert.ok(e.message.includes(part), `the message names ${JSON.stringify(part)}: ${e.message}`);
    return true;
  });
}

/** Files below `root` that a half-made entry or a stopped writer would leave. */
async function strays(root) {
  const all = await readdir(root, { recursive: true }).catch(() => []);
  return all.filter((p) => /\.(incomplete|lock|draft|stale|tmp)$/.test(p)).sort();
}

/** No partial entry: no stray file, and the store lists no entry for `path`. */
async function assertNothingHalfMade(root, path) {
  assert.deepEqual(await strays(root), [], "no .incomplete, .lock or temporary left");
  const store = new FileSystemCache({ cacheDir: root });
  assert.deepEqual((await store.list()).filter((e) => e.path === path), [], "no entry for the file");
}

const download = (root, path) => hubwasm.downloadFile({ ...c, repo, path, cache: new FileSystemCache({ cacheDir: root }) });
const contentGets = async () => (await requestLog(hub)).filter((r) => r.origin === "storage" && r.method === "GET");

/** A blob in a fresh store: the store, its root and the repo folder. */
async function storeWithBlob() {
  const root = await tempDir("hubwasm-fserr-");
  const store = new FileSystemCache({ cacheDir: root });
  const data = bytes(1000, 3);
  const etag = sha256(data);
  await store.putEntry(REPO, C1, "first.bin", { etag, size: data.length });
  await put(store, etag, data);
  return { root, store, etag, size: data.length, snap: join(root, FOLDER, "snapshots", C1) };
}

describe("file-system errors in the file cache are HubErrors and leave nothing half-made", () => {
  test("a name too long (ENAMETOOLONG): Storage naming the entry, before the download when a folder's name is", LIMIT, async () => {
    const { root, store, etag, size, snap } = await storeWithBlob();
    await rejectsWith(store.putEntry(REPO, C1, FILES.longName, { etag, size }), "Storage", join(snap, FILES.longName));
    await rejectsWith(store.putEntry(REPO, C1, FILES.longFolder, { etag, size }), "Storage", LONG);
    await assertNothingHalfMade(root, FILES.longName);
    // A name that fits fits whole: the temporary beside it adds nothing to it.
    const fits = `${"f".repeat(250)}.bin`;
    await store.putEntry(REPO, C1, fits, { etag, size });
    assert.deepEqual(await store.getEntry(REPO, C1, fits), { etag, size });
    // A cacheDir with a segment too long.
    const tooLong = join(root, LONG, "hub");
    await rejectsWith(new FileSystemCache({ cacheDir: tooLong }).putRef(REPO, "main", C1), "Storage", tooLong);

    // Downloads: a folder name too long fails before any byte is fetched; a file name too long
    // after (the verified blob stays, as any blob may; no entry, nothing partial).
    const fresh = await tempDir("hubwasm-fserr-");
    await clearRequestLog(hub);
    await rejectsWith(download(fresh, FILES.longFolder), "Storage", LONG);
    assert.deepEqual(await contentGets(), [], "nothing downloaded");
    await rejectsWith(download(fresh, FILES.longName), "Storage", LONG);
    await assertNothingHalfMade(fresh, FILES.longName);
    await assertNothingHalfMade(fresh, FILES.longFolder);
  });

  test("a file where a folder is needed in a snapshot (ENOTDIR / EEXIST): Storage naming the entry, no download", LIMIT, async () => {
    const { root, store, etag, size, snap } = await storeWithBlob();
    await writeFile(join(snap, "dir"), "a file, not a folder");
    await rejectsWith(store.putEntry(REPO, C1, "dir/a.bin", { etag, size }), "Storage", join(snap, "dir", "a.bin"));
    await rejectsWith(store.putEntry(REPO, C1, "dir/deeper/a.bin", { etag, size }), "Storage", join(snap, "dir", "deeper", "a.bin"));
    await assertNothingHalfMade(root, "dir/a.bin");
    // refs/pr/1 where refs/pr is a file.
    await mkdir(join(root, FOLDER, "refs"), { recursive: true });
    await writeFile(join(root, FOLDER, "refs", "pr"), C1);
    await rejectsWith(store.putRef(REPO, "pr/1", C1), "Storage", join(root, FOLDER, "refs", "pr", "1"));
    // A cacheDir under a file.
    const underFile = join(snap, "dir", "hub");
    await rejectsWith(new FileSystemCache({ cacheDir: underFile }).putRef(REPO, "main", C1), "Storage", underFile);

    const fresh = await tempDir("hubwasm-fserr-");
    await mkdir(join(fresh, folder, "snapshots", commit), { recursive: true });
    await writeFile(join(fresh, folder, "snapshots", commit, "dir"), "in the way");
    await clearRequestLog(hub);
    await rejectsWith(download(fresh, FILES.nested), "Storage", join(fresh, folder, "snapshots", commit, "dir", "a.bin"));
    assert.deepEqual(await contentGets(), [], "fails before the download");
    await assertNothingHalfMade(fresh, FILES.nested);
  });

  test("a folder where a file is needed (EISDIR): Storage naming the entry or the blob; the partial is dropped", LIMIT, async () => {
    const { root, store, etag, size, snap } = await storeWithBlob();
    await mkdir(join(snap, "taken.bin", "inside"), { recursive: true });
    await rejectsWith(store.putEntry(REPO, C1, "taken.bin", { etag, size }), "Storage", join(snap, "taken.bin"));
    await assertNothingHalfMade(root, "taken.bin");

    // The blob's own name is a folder: the download is verified, then cannot be published.
    const fresh = await tempDir("hubwasm-fserr-");
    await mkdir(join(fresh, folder, "blobs", ETAG, "inside"), { recursive: true });
    await rejectsWith(download(fresh, FILES.plain), "Storage", join(fresh, folder, "blobs", `${ETAG}.incomplete`));
    await assertNothingHalfMade(fresh, FILES.plain);
  });

  test("permission denied (EACCES / EPERM): Storage naming the path, nothing written", LIMIT, async () => {
    const root = await tempDir("hubwasm-fserr-");
    await new FileSystemCache({ cacheDir: root }).putRef(REPO, "main", C1);
    const before = (await readdir(root, { recursive: true })).sort();
    const result = await asUnprivileged(root, `
      const { FileSystemCache } = await import(${JSON.stringify(new URL("../dist/node.js", import.meta.url).href)});
      const store = new FileSystemCache({ cacheDir: root });
      const out = [];
      for (const work of [
        () => store.putRef("models/me/other", "main", "${C1}"),
        () => store.putEntry("models/me/other", "${C1}", "a.bin", { etag: "${ETAG}", size: 1 }),
        () => store.openWriter("${ETAG}", 1),
      ]) {
        try { await work(); out.push(null); } catch (e) { out.push({ name: e.name, code: e.code, message: e.message }); }
      }
      console.log(JSON.stringify(out));
    `);
    assert.equal(result.length, 3);
    for (const e of result) {
      assert.ok(e, "refused");
      assert.equal(e.name, "HubError", e.message);
      assert.equal(e.code, "Storage");
      assert.match(e.message, /EACCES|EPERM/);
      assert.ok(e.message.includes(root), `the message names the cache: ${e.message}`);
    }
    assert.deepEqual((await readdir(root, { recursive: true })).sort(), before, "nothing written");

    if (existsSync("/sys/kernel")) {
      // A folder nobody may create anything in, root included (sysfs).
      const sys = "/sys/hubwasm-cache-test";
      await rejectsWith(new FileSystemCache({ cacheDir: sys }).putRef(REPO, "main", C1), "Storage", sys);
    }
  });

  test("a full disk (ENOSPC): Storage naming the partial, which is dropped", { ...LIMIT, skip: !existsSync("/dev/full") && "no /dev/full" }, async () => {
    // The partial is a link to /dev/full, where every write fails with ENOSPC.
    const root = await tempDir("hubwasm-fserr-");
    const store = new FileSystemCache({ cacheDir: root });
    const data = bytes(1000, 4);
    const etag = sha256(data);
    await store.putEntry(REPO, C1, "full.bin", { etag, size: data.length });
    const partial = join(root, FOLDER, "blobs", `${etag}.incomplete`);
    await mkdir(join(root, FOLDER, "blobs"), { recursive: true });
    await symlink("/dev/full", partial);
    const w = await store.openWriter(etag, data.length);
    // Writes are behind: the failed write is thrown by the next write, flush or complete.
    await w.write(data).catch(() => {});
    await rejectsWith(w.complete(), "Storage", partial);
    await w.abort(true);
    assert.equal(await exists(partial), false);
    await assertNothingHalfMade(root, "full.bin");

    const fresh = await tempDir("hubwasm-fserr-");
    const freshPartial = join(fresh, folder, "blobs", `${ETAG}.incomplete`);
    await mkdir(join(fresh, folder, "blobs"), { recursive: true });
    await symlink("/dev/full", freshPartial);
    await rejectsWith(download(fresh, FILES.plain), "Storage", freshPartial);
    assert.equal(await exists(freshPartial), false, "the partial is dropped");
    await assertNothingHalfMade(fresh, FILES.plain);
  });

  test("cacheDir /dev/null: Storage naming it, for the store, downloadFile and downloadFileToCacheDir", { ...LIMIT, skip: !existsSync("/dev/null") && "no /dev/null" }, async () => {
    const store = new FileSystemCache({ cacheDir: "/dev/null" });
    assert.equal(await store.getRef(REPO, "main"), undefined, "reads find nothing");
    assert.deepEqual(await store.list(), []);
    await rejectsWith(store.putRef(REPO, "main", C1), "Storage", "/dev/null");
    await rejectsWith(store.openWriter(ETAG, 1), "Storage", "/dev/null");
    await rejectsWith(hubwasm.downloadFile({ ...c, repo, path: FILES.plain, cache: store }), "Storage", "/dev/null");
    await rejectsWith(hubwasm.downloadFileToCacheDir({ ...c, repo, path: FILES.plain, cacheDir: "/dev/null" }), "Storage", "/dev/null");
    assert.ok((await stat("/dev/null")).isCharacterDevice(), "/dev/null is left alone");
  });

  test("a cacheDir where no folder can be made (/proc): Storage, not a hang", { ...LIMIT, skip: !existsSync("/proc/self") && "no /proc" }, async () => {
    // Node's own recursive mkdir spins forever there (mkdir says ENOENT under a folder that exists).
    const proc = "/proc/hubwasm-cache-test/hub";
    const store = new FileSystemCache({ cacheDir: proc });
    await rejectsWith(store.putRef(REPO, "main", C1), "Storage", proc);
    await rejectsWith(hubwasm.downloadFileToCacheDir({ ...c, repo, path: FILES.plain, cacheDir: proc }), "Storage", proc);
  });

  test("a NUL byte in a path is InvalidInput", LIMIT, async () => {
    const root = await tempDir("hubwasm-fserr-");
    const bad = join(root, "a\0b");
    const store = new FileSystemCache({ cacheDir: bad });
    await rejectsWith(store.getRef(REPO, "main"), "InvalidInput");
    await rejectsWith(store.putRef(REPO, "main", C1), "InvalidInput");
    await rejectsWith(store.openWriter(ETAG, 1), "InvalidInput");
    await rejectsWith(hubwasm.downloadFileToCacheDir({ ...c, repo, path: FILES.plain, cacheDir: bad }), "InvalidInput");
    await rejectsWith(new FileSystemCache({ cacheDir: root }).putEntry(REPO, C1, "a\0.bin", { etag: ETAG, size: 1 }), "InvalidInput");
    assert.deepEqual(await readdir(root), [], "nothing written");
  });

  test("AbortErrors pass through untouched", LIMIT, async () => {
    const abort = new DOMException("stopped", "AbortError");
    assert.equal(storageError(abort, "/x"), abort);
    const own = new HubError({ code: "Integrity", message: "m" });
    assert.equal(storageError(own, "/x"), own, "HubErrors too");
    const raw = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
    const mapped = storageError(raw, "/x/y");
    assert.ok(mapped instanceof HubError);
    assert.equal(mapped.code, "Storage");
    assert.equal(mapped.cause, raw);
    assert.match(mapped.message, /\/x\/y/);

    // A download through the cache aborted mid-body (half the file stored) rejects with the
    // AbortError itself, keeps the partial for a resume and releases the lock.
    const root = await tempDir("hubwasm-fserr-");
    const ctl = new AbortController();
    const half = DATA.length >> 1;
    const aborting = async (input, init) => {
      const resp = await fetch(input, init);
      if (resp.status !== 200 || Number(resp.headers.get("content-length")) !== DATA.length) return resp;
      return bodyStoppingAfter(resp, half, () => {
        setTimeout(() => ctl.abort(), 0);
        return new Promise((_, reject) => ctl.signal.addEventListener("abort", () => reject(ctl.signal.reason)));
      });
    };
    await assert.rejects(
      hubwasm.downloadFile({ ...c, repo, path: FILES.plain, cache: new FileSystemCache({ cacheDir: root }), fetch: aborting, abortSignal: ctl.signal }),
      (e) => {
        assert.equal(e, ctl.signal.reason, `the AbortError itself, not ${e?.name}: ${e?.message}`);
        return true;
      },
    );
    assert.deepEqual(await strays(root), [join(folder, "blobs", `${ETAG}.incomplete`)], "only the partial, kept for a resume");
    assert.ok((await stat(join(root, folder, "blobs", `${ETAG}.incomplete`))).size >= half);
  });
});

/**
 * Runs `script` (a module body; `root` is defined) in a process that may not write in `root`: as
 * the `nobody` user when this one is root (root may write anywhere), else with `root` made
 * read-only. Returns what the script printed last, parsed.
 */
async function asUnprivileged(root, script) {
  const asRoot = process.getuid?.() === 0;
  const opts = { stdio: ["ignore", "pipe", "pipe"] };
  if (asRoot) {
    // nobody must reach the folder (mkdtemp makes it 0700) and read the package.
    await chmod(root, 0o755);
    for (let d = join(root, ".."); d !== "/"; d = join(d, "..")) {
      if (((await stat(d)).mode & 0o001) === 0) throw new Error(`${d} is not searchable by other users`);
    }
    Object.assign(opts, { uid: 65534, gid: 65534 });
  } else {
    await chmod(root, 0o555);
  }
  const body = `const root = ${JSON.stringify(root)};\n${script}`;
  const p = spawn(process.execPath, ["--input-type=module", "-e", body], opts);
  let out = "";
  let err = "";
  p.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  p.stderr.setEncoding("utf8").on("data", (d) => (err += d));
  const code = await new Promise((resolve) => p.once("exit", resolve));
  if (!asRoot) await chmod(root, 0o755);
  assert.equal(code, 0, `the unprivileged process failed:\n${err}`);
  return JSON.parse(out.trim().split("\n").pop());
}
