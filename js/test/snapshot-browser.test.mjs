// snapshotDownload into IndexedDB in real Chromium: files of at most one 32 MiB chunk take the
// grouped path (one lookup transaction, a group commit per batch of verified files:
// src/snapshot-idb.ts), larger ones the chunked one. What must hold either way: nothing is
// visible before it is verified, no file is ever half there, a cut is resumed, and an open at a
// commit that was fetched before makes no request.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "./support/browser.mjs";
import { clearRequestLog, commitFiles, hubCall, requestLog, setFaults, startHub } from "./support/hub.mjs";
import { cleanUp } from "./support/runner.mjs";
import { bytes } from "./support/data.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const MiB = 1 << 20;
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

let hub, server, browser, context, origin;

const storageGets = async () => (await requestLog(hub)).filter((r) => r.origin === "storage" && r.method === "GET");

/** Runs `fn(args)` in a fresh load of the test page (IndexedDB persists in the context). */
async function inPage(fn, args = {}) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/test/harness/blank.html`);
    await page.waitForFunction(() => window.__ready);
    return await page.evaluate(fn, { ...args, hubUrl: hub.url });
  } finally {
    await page.close();
  }
}

/** A snapshot in a fresh page: its files, or the error's code and message. */
const snapshot = (args) =>
  inPage(async ({ hubUrl, ...a }) => {
    try {
      const r = await window.hub.snapshotDownload({ hubUrl, ...a });
      return { files: r.files.map((f) => ({ path: f.path, size: f.size, source: f.source })) };
    } catch (e) {
      return { code: e.code ?? e.name, message: e.message };
    }
  }, args);

/** SHA-256 of every file the cache lists for `repo` at `commit`, read offline (no request). */
const cachedHashes = (repo, commit) =>
  inPage(async ({ hubUrl, repo, commit }) => {
    const out = {};
    for (const e of await window.hub.listCachedFiles({ repo })) {
      if (e.commitOid !== commit) continue;
      const r = await window.hub.downloadFileWithInfo({ hubUrl, repo, revision: commit, path: e.path, offline: true });
      const d = await crypto.subtle.digest("SHA-256", await r.blob.arrayBuffer());
      out[e.path] = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
    }
    return out;
  }, { repo, commit });

describe("snapshotDownload into IndexedDB", () => {
  const repo = "test-user/snap";
  const files = {
    "README.md": Buffer.from("# a snapshot\n"),
    "a.bin": bytes(3 * MiB, 11),
    "b.bin": bytes(5 * MiB + 7, 12),
    "nested/c.bin": bytes(1 * MiB, 13),
    "big.bin": bytes(33 * MiB, 14),
  };
  let commit;

  before(async () => {
    hub = await startHub({ args: ["--faults"] });
    server = await serveDir(jsRoot);
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium();
    context = await browser.newContext();
    await hubCall(hub, "POST", "/api/repos/create", JSON.stringify({ name: "snap", type: "model" }));
    commit = await commitFiles(hub, repo, files);
  });
  after(() => cleanUp(() => browser?.close(), () => server && new Promise((r) => server.close(r)), () => hub?.stop()));

  test("a first open stores every file verified (small ones grouped, a large one chunked); the next open makes no request", async () => {
    await clearRequestLog(hub);
    const first = await snapshot({ repo, revision: commit });
    assert.deepEqual(first.files?.map((f) => f.path), [".gitattributes", ...Object.keys(files)].sort(), JSON.stringify(first));
    assert.ok(first.files.every((f) => f.source === "network"));
    // One storage transfer per LFS file; one Hub request per file, plus one for each of the first
    // downloads (up to 4 at once) made before the driver learnt that the browser hides redirects
    // (once per page, not per file).
    const log = (await requestLog(hub)).filter((r) => r.method !== "OPTIONS");
    assert.equal(log.filter((r) => r.origin === "storage").length, 4, JSON.stringify(log));
    const resolves = log.filter((r) => r.origin !== "storage" && r.path.includes("/resolve/")).length;
    assert.ok(resolves >= 6 && resolves <= 6 + 4, `${resolves} Hub requests for 6 files`);
    const hashes = await cachedHashes(repo, commit);
    for (const [path, content] of Object.entries(files)) assert.equal(hashes[path], sha256(content), path);
    await clearRequestLog(hub);
    const again = await snapshot({ repo, revision: commit });
    assert.ok(again.files.every((f) => f.source === "cache"), JSON.stringify(again));
    assert.deepEqual((await requestLog(hub)).filter((r) => r.method !== "OPTIONS"), [], "no request on the second open");
  });

  test("bytes cached under another commit are entered at the new one without a download", async () => {
    const next = await commitFiles(hub, repo, { "d.bin": bytes(2 * MiB, 15) });
    await clearRequestLog(hub);
    const r = await snapshot({ repo, revision: next, allowPatterns: ["*.bin"] });
    assert.equal(r.files?.length, 5, JSON.stringify(r));
    assert.deepEqual(r.files.filter((f) => f.source === "network").map((f) => f.path), ["d.bin"]);
    assert.equal((await storageGets()).length, 1, "only d.bin was transferred");
    const hashes = await cachedHashes(repo, next);
    assert.equal(hashes["a.bin"], sha256(files["a.bin"]));
  });

  test("a corrupted file is an Integrity error and is not cached; the next open downloads it", async () => {
    await inPage(async () => window.hub.clearCache());
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, corrupt: { offset: 1000, length: 4 } }]);
    let r;
    try {
      r = await snapshot({ repo, revision: commit, allowPatterns: ["a.bin"] });
    } finally {
      await setFaults(hub);
    }
    assert.equal(r.code, "Integrity", JSON.stringify(r));
    assert.deepEqual(await cachedHashes(repo, commit), {}, "nothing of a.bin is visible");
    const good = await snapshot({ repo, revision: commit, allowPatterns: ["a.bin"] });
    assert.deepEqual(good.files?.map((f) => f.source), ["network"], JSON.stringify(good));
    assert.equal((await cachedHashes(repo, commit))["a.bin"], sha256(files["a.bin"]));
  });

  test("a body cut mid-file is resumed in the same call", async () => {
    await inPage(async () => window.hub.clearCache());
    await clearRequestLog(hub);
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, cutAfterBytes: 2 * MiB }]);
    let r;
    try {
      r = await snapshot({ repo, revision: commit, allowPatterns: ["b.bin"] });
    } finally {
      await setFaults(hub);
    }
    assert.deepEqual(r.files?.map((f) => f.path), ["b.bin"], JSON.stringify(r));
    assert.equal((await cachedHashes(repo, commit))["b.bin"], sha256(files["b.bin"]));
    assert.equal((await storageGets()).length, 2, "the cut answer and one more");
  });

  test("a complete record whose chunks are gone is downloaded again", async () => {
    await inPage(async () => window.hub.clearCache());
    await snapshot({ repo, revision: commit, allowPatterns: ["nested/"] });
    const etag = sha256(files["nested/c.bin"]);
    await inPage(async ({ etag }) => {
      const db = await new Promise((ok, ko) => { const r = indexedDB.open("hubwasm-cache"); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      const tx = db.transaction("chunks", "readwrite");
      tx.objectStore("chunks").delete(IDBKeyRange.bound([etag, 0], [etag, Number.MAX_SAFE_INTEGER]));
      await new Promise((ok) => (tx.oncomplete = ok));
      db.close();
    }, { etag });
    await clearRequestLog(hub);
    const r = await snapshot({ repo, revision: commit, allowPatterns: ["nested/"] });
    assert.deepEqual(r.files?.map((f) => f.source), ["network"], JSON.stringify(r));
    assert.equal((await cachedHashes(repo, commit))["nested/c.bin"], sha256(files["nested/c.bin"]));
  });

  test("a snapshot stopped part-way leaves only whole, verified files", async () => {
    await inPage(async () => window.hub.clearCache());
    const stopped = await inPage(async ({ hubUrl, repo, commit }) => {
      const ac = new AbortController();
      try {
        await window.hub.snapshotDownload({
          hubUrl, repo, revision: commit, abortSignal: ac.signal, concurrency: 2,
          onProgress: (p) => p.filesDone >= 2 && ac.abort(),
        });
        return "finished";
      } catch (e) {
        return e.name;
      }
    }, { repo, commit });
    assert.equal(stopped, "AbortError");
    const hashes = await cachedHashes(repo, commit);
    assert.ok(Object.keys(hashes).length >= 2, JSON.stringify(hashes));
    for (const [path, h] of Object.entries(hashes)) if (files[path]) assert.equal(h, sha256(files[path]), path);
  });

  test("a file another tab is downloading is left to the general path, which waits for that tab's lock", async () => {
    await inPage(async () => window.hub.clearCache());
    const etag = sha256(files["a.bin"]);
    const holder = await context.newPage();
    try {
      await holder.goto(`${origin}/test/harness/blank.html`);
      await holder.waitForFunction(() => window.__ready);
      await holder.evaluate((etag) => new Promise((held) => {
        navigator.locks.request(`hubwasm-cache:${etag}`, () => {
          held();
          return new Promise((ok) => (window.letGo = ok));
        });
      }), etag);
      await clearRequestLog(hub);
      const waiting = snapshot({ repo, revision: commit, allowPatterns: ["a.bin"] });
      await new Promise((ok) => setTimeout(ok, 500));
      assert.equal((await storageGets()).length, 0, "nothing fetched while the other tab holds the file");
      await holder.evaluate(() => window.letGo());
      const r = await waiting;
      assert.deepEqual(r.files?.map((f) => f.path), ["a.bin"], JSON.stringify(r));
    } finally {
      await holder.close();
    }
    assert.equal((await cachedHashes(repo, commit))["a.bin"], sha256(files["a.bin"]));
  });
});
