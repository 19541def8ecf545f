// FileSystemCache (dist/cache/filesystem.js): every method and the exact huggingface_hub cache
// layout on disk. The lock files have their own file (cache-lock.test.mjs); that the official Python
// client and this store read each other's cache is cache-filesystem-python.test.mjs.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, readdir, readlink, rm, stat, utimes, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { importBuilt } from "./support/runner.mjs";
import { C1, C2, FOLDER, REPO, bytes, exists, gitSha1, put, removeTemps, sha256, tempDir, tree } from "./support/fs-cache.mjs";

const { FileSystemCache, defaultCacheDir, repoFolderName } = await importBuilt(
  new URL("../dist/cache/filesystem.js", import.meta.url),
  "build the package first (`make build-js`, or `npx tsc -p tsconfig.json` in js/).",
);

after(removeTemps);

/** A store on a fresh folder, with a clock the test drives (ms). */
async function fresh(extra = {}) {
  const root = await tempDir();
  const clock = { t: 1_700_000_000_000 };
  const store = new FileSystemCache({ cacheDir: root, now: () => clock.t, ...extra });
  return { root, clock, store, repoDir: join(root, FOLDER) };
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
    // Writes are behind (the download hashes the next bytes meanwhile): flush() waits for the disk.
    await w1.flush();
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
    await w.flush();
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
        { repo: REPO, revisions: ["main", "refs/pr/1"], commitOid: C1, commit: C1, path: "x/a.txt", etag: "ea", size: 4 },
        { repo: REPO, revisions: ["v2"], commitOid: C2, commit: C2, path: "b.bin", etag: "eb", size: 8 },
        { repo: "spaces/me/app", revisions: [], commitOid: C1, commit: C1, path: "a.txt", etag: "ea", size: 4 },
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
