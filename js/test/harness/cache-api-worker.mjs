// Worker run by cache-api.test.mjs inside real workerd (miniflare): exercises CacheApiStore
// (dist/cache/cache-api.js) against workerd's own Cache API. Each case gets a fresh cache name.
import { CacheApiStore } from "../../dist/cache/cache-api.js";

const enc = new TextEncoder();
const bytes = (s) => enc.encode(s);

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
function eq(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

/** A store on its own cache, with a clock the case drives. */
function fresh(name, extra = {}) {
  const clock = { t: 1_000_000 };
  const store = new CacheApiStore({ name, now: () => clock.t, ...extra });
  return { store, clock };
}

async function writeBlob(store, etag, text, chunks = 1) {
  const data = bytes(text);
  const w = await store.openWriter(etag, data.length);
  eq(w.offset, 0, "a new writer starts at 0");
  const step = Math.ceil(data.length / chunks);
  for (let i = 0; i < data.length; i += step) await w.write(data.subarray(i, i + step));
  await w.complete();
}

const repo = "models/me/tiny";
const commit = "c".repeat(40);

export const cases = {
  async "ref round trip, branch moved, refs/pr/1"(name) {
    const { store, clock } = fresh(name);
    eq(await store.getRef(repo, "main"), undefined, "no ref yet");
    await store.putRef(repo, "main", commit);
    eq(await store.getRef(repo, "main"), { commit, at: 1_000_000 }, "ref after put");
    clock.t += 5;
    await store.putRef(repo, "main", "d".repeat(40));
    eq(await store.getRef(repo, "main"), { commit: "d".repeat(40), at: 1_000_005 }, "moved ref");
    await store.putRef(repo, "refs/pr/1", commit);
    eq((await store.getRef(repo, "refs/pr/1"))?.commit, commit, "refs/pr/1");
    eq(await store.getRef("datasets/me/tiny", "main"), undefined, "another repo type is another key");
  },

  async "entry round trip and awkward paths"(name) {
    const { store } = fresh(name);
    for (const path of ["config.json", "données/été.txt", "hash#name?.txt", "with space/a%20b.bin"]) {
      eq(await store.getEntry(repo, commit, path), undefined, `no entry for ${path}`);
      await store.putEntry(repo, commit, path, { etag: `e-${path.length}`, size: path.length });
      eq(await store.getEntry(repo, commit, path), { etag: `e-${path.length}`, size: path.length }, path);
    }
  },

  async "blob round trip in chunks, list and size"(name) {
    const { store } = fresh(name);
    const text = "hello from workerd ".repeat(1000);
    await store.putRef(repo, "main", commit);
    await store.putEntry(repo, commit, "a/b.txt", { etag: "sha-1", size: text.length });
    eq(await store.readBlob("sha-1", text.length), undefined, "no blob before the writer");
    await writeBlob(store, "sha-1", text, 7);
    const blob = await store.readBlob("sha-1", text.length);
    assert(blob, "blob after complete");
    eq(await blob.text(), text, "bytes");
    eq(await store.readBlob("sha-1", text.length + 1), undefined, "a size mismatch is a miss");
    eq(await store.size(), text.length, "size");
    const list = await store.list();
    eq(list.map(({ lastAccess, ...e }) => e), [
      { repo, revisions: ["main"], commitOid: commit, commit, path: "a/b.txt", etag: "sha-1", size: text.length },
    ], "list");
    assert(list[0].lastAccess === 1_000_000, "lastAccess from the clock");
  },

  async "trees round trip"(name) {
    const { store } = fresh(name);
    const files = [
      { path: "config.json", size: 10, oid: "a".repeat(40) },
      { path: "w.bin", size: 99, oid: "b".repeat(40), lfs: { oid: "f".repeat(64), size: 99 } },
    ];
    eq(await store.getTree(repo, commit), undefined, "no tree yet");
    await store.putTree(repo, commit, files);
    eq(await store.getTree(repo, commit), files, "tree");
  },

  async "aborted or short writer leaves nothing visible"(name) {
    const { store } = fresh(name);
    const w = await store.openWriter("gone", 10);
    await w.write(bytes("12345"));
    await w.abort(false);
    eq(await store.readBlob("gone", 10), undefined, "after abort(false)");
    const w2 = await store.openWriter("gone", 10);
    eq(w2.offset, 0, "no resume in the Cache API store");
    await w2.write(bytes("12345"));
    await w2.abort(true);
    eq(await store.readBlob("gone", 10), undefined, "after abort(true)");
    const w3 = await store.openWriter("gone", 10);
    await w3.write(bytes("12345"));
    let failed = false;
    try {
      await w3.complete();
    } catch (err) {
      failed = err.code === "Storage";
    }
    assert(failed, "complete() with missing bytes fails with a Storage error");
    eq(await store.readBlob("gone", 10), undefined, "after a short complete()");
    let tooMany = false;
    const w4 = await store.openWriter("gone", 3);
    try {
      await w4.write(bytes("1234"));
    } catch (err) {
      tooMany = err.code === "Storage";
    }
    await w4.abort(true);
    assert(tooMany, "more bytes than the size fail");
    eq(await store.size(), 0, "size");
    eq(await store.list(), [], "list");
  },

  async "writers of one etag run one after the other"(name) {
    const { store } = fresh(name);
    const first = await store.openWriter("same", 3);
    let secondOpened = false;
    const second = store.openWriter("same", 3).then((w) => { secondOpened = true; return w; });
    await new Promise((r) => setTimeout(r, 50));
    assert(!secondOpened, "the second writer waits");
    await first.write(bytes("abc"));
    await first.complete();
    const reader = await store.readBlob("same", 3);
    const w = await second;
    eq(w.offset, 0, "the second writer writes again (no resume here)");
    await w.write(bytes("abc"));
    await w.complete();
    eq(await reader.text(), "abc", "a Blob read before the second complete() still reads");
    eq(await (await store.readBlob("same", 3)).text(), "abc", "bytes");
    eq(await store.size(), 3, "stored once");
  },

  async "eviction removes least recently read blobs first"(name) {
    const { store, clock } = fresh(name, { accessResolutionMs: 0 });
    for (const [i, etag] of ["old", "mid", "new"].entries()) {
      clock.t = 1_000_000 + i * 1000;
      await store.putEntry(repo, commit, `${etag}.bin`, { etag, size: 10 });
      await writeBlob(store, etag, `${etag}-------`.slice(0, 10));
    }
    clock.t = 2_000_000;
    assert(await store.readBlob("old", 10), "read old: now the most recent");
    eq(await store.size(), 30, "size before");
    await store.evictTo(25);
    eq(await store.size(), 20, "one blob evicted");
    eq(await store.readBlob("mid", 10), undefined, "mid (least recently used) is gone");
    assert(await store.readBlob("old", 10), "old stays");
    assert(await store.readBlob("new", 10), "new stays");
    eq((await store.list()).map((e) => e.path).sort(), ["new.bin", "old.bin"], "list after eviction");
    await store.evictTo(0);
    eq(await store.size(), 0, "everything evicted");
    eq(await store.getEntry(repo, commit, "old.bin"), { etag: "old", size: 10 }, "entries stay");
  },

  async "reads rewrite lastAccess only past the resolution"(name) {
    const { store, clock } = fresh(name, { accessResolutionMs: 60_000 });
    await store.putEntry(repo, commit, "x", { etag: "x", size: 1 });
    await writeBlob(store, "x", "x");
    clock.t += 30_000;
    await store.readBlob("x", 1);
    eq((await store.list())[0].lastAccess, 1_000_000, "within the resolution: unchanged");
    clock.t += 60_000;
    await store.readBlob("x", 1);
    eq((await store.list())[0].lastAccess, 1_090_000, "past it: rewritten");
  },

  async "delete by path, commit, repo and everything"(name) {
    const { store } = fresh(name);
    const other = "datasets/me/data";
    const c2 = "e".repeat(40);
    await store.putRef(repo, "main", commit);
    await store.putRef(repo, "v1", c2);
    await store.putTree(repo, commit, [{ path: "a", size: 1, oid: "1".repeat(40) }]);
    for (const [r, c, p, etag] of [[repo, commit, "a", "A"], [repo, commit, "b", "B"], [repo, c2, "a", "A"], [other, commit, "z", "Z"]]) {
      await store.putEntry(r, c, p, { etag, size: 1 });
      if (!(await store.readBlob(etag, 1))) await writeBlob(store, etag, etag);
    }
    eq(await store.size(), 3, "three blobs");
    await store.delete({ repo, commit, path: "b" });
    eq(await store.getEntry(repo, commit, "b"), undefined, "entry b gone");
    eq(await store.readBlob("B", 1), undefined, "blob B no longer used: gone");
    eq((await store.getRef(repo, "main"))?.commit, commit, "ref kept when only a path goes");
    await store.delete({ repo, commit });
    eq(await store.getRef(repo, "main"), undefined, "ref to the deleted commit gone");
    eq(await store.getTree(repo, commit), undefined, "tree of the deleted commit gone");
    assert(await store.readBlob("A", 1), "A still used at v1");
    eq((await store.getRef(repo, "v1"))?.commit, c2, "other ref kept");
    await store.delete({ repo });
    eq(await store.readBlob("A", 1), undefined, "A gone with the repo");
    assert(await store.readBlob("Z", 1), "other repo untouched");
    await store.delete();
    eq(await store.readBlob("Z", 1), undefined, "everything gone");
    eq(await store.list(), [], "empty list");
    eq(await store.size(), 0, "zero size");
  },

  // Two requests: the second proves the records outlive the invocation that wrote them.
  async "persist: write"(name) {
    const { store } = fresh(name);
    await store.putRef(repo, "main", commit);
    await store.putEntry(repo, commit, "p.txt", { etag: "P", size: 7 });
    await writeBlob(store, "P", "persist");
  },
  async "persist: read in a later request"(name) {
    const store = new CacheApiStore({ name: name.replace("read in a later request", "write") });
    eq((await store.getRef(repo, "main"))?.commit, commit, "ref");
    const e = await store.getEntry(repo, commit, "p.txt");
    eq(e, { etag: "P", size: 7 }, "entry");
    eq(await (await store.readBlob(e.etag, e.size)).text(), "persist", "blob");
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/cases") return Response.json(Object.keys(cases));
    const name = url.searchParams.get("case");
    const run = cases[name];
    if (!run) return new Response("no such case", { status: 404 });
    try {
      await run(name);
      return Response.json({ ok: true });
    } catch (err) {
      return Response.json({ ok: false, error: String(err?.message ?? err), stack: err?.stack });
    }
  },
};
