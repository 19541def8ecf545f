// The browser cache in real Chromium with real IndexedDB. Every step loads the page anew, so
// what the cache remembers survives reloads; the local Hub's request log shows what went over
// the network.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "./support/browser.mjs";
import { clearRequestLog, commitFiles, hubCall, requestLog, setFaults, startHub } from "./support/hub.mjs";
import { cleanUp } from "./support/runner.mjs";
import { bytes } from "./support/data.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const MiB = 1 << 20;

const sha256 = (b) => createHash("sha256").update(b).digest("hex");

let hub, server, browser, context, origin;

/** A fresh load of the test page (by default in the shared context, so IndexedDB persists). */
async function freshPage(inContext = context) {
  const page = await inContext.newPage();
  await page.goto(`${origin}/test/harness/blank.html`);
  await page.waitForFunction(() => window.__ready);
  return page;
}

/** Runs `fn(hub, args)` in a new page load and closes it. */
async function inPage(fn, args) {
  const page = await freshPage();
  try {
    return await page.evaluate(fn, { ...args, hubUrl: hub.url, token: hub.token });
  } finally {
    await page.close();
  }
}

const hubRequests = async () => (await requestLog(hub)).filter((r) => r.method !== "OPTIONS");

async function download(page, args) {
  return page.evaluate(async ({ hubUrl, token, ...a }) => {
    const r = await window.hub.downloadFileWithInfo({ hubUrl, accessToken: token, ...a });
    if (!r) return null;
    const buf = new Uint8Array(await r.blob.arrayBuffer());
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", buf))].map((b) => b.toString(16).padStart(2, "0")).join("");
    return { sha256: digest, size: r.size, source: r.source, commitOid: r.commitOid, offlineFallback: r.offlineFallback, cached: r.cached };
  }, { ...args, hubUrl: hub.url, token: hub.token });
}

async function downloadIn(args) {
  const page = await freshPage();
  try {
    return await download(page, args);
  } finally {
    await page.close();
  }
}

describe("browser cache (IndexedDB)", () => {
  const repo = "test-user/cached";
  const files = { "config.json": Buffer.from('{"a": 1}\n'), "model.bin": bytes(10 * MiB + 123, 1), "other.bin": bytes(3 * MiB, 2) };
  let commit;

  before(async () => {
    hub = await startHub({ args: ["--faults"] });
    server = await serveDir(jsRoot);
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium();
    context = await browser.newContext();
    await hubCall(hub, "POST", "/api/repos/create", JSON.stringify({ name: "cached", type: "model" }));
    commit = await commitFiles(hub, repo, files);
  });
  after(() => cleanUp(() => browser?.close(), () => server && new Promise((r) => server.close(r)), () => hub?.stop()));

  test("a miss fetches and verifies; after a reload a hit at the commit makes zero requests", async () => {
    for (const path of ["config.json", "model.bin"]) {
      const miss = await downloadIn({ repo, revision: commit, path });
      assert.equal(miss.sha256, sha256(files[path]), path);
      assert.equal(miss.source, "network");
      assert.equal(miss.cached, true);
    }
    await clearRequestLog(hub);
    for (const path of ["config.json", "model.bin"]) {
      const hit = await downloadIn({ repo, revision: commit, path });
      assert.equal(hit.sha256, sha256(files[path]), path);
      assert.equal(hit.source, "cache");
    }
    assert.deepEqual(await hubRequests(), [], "no request at all for a cached commit");
    // The default `downloadFile` goes through the same cache.
    const viaDownloadFile = await inPage(async ({ hubUrl, repo, commit }) => {
      const blob = await window.hub.downloadFile({ hubUrl, repo, revision: commit, path: "config.json" });
      return blob.size;
    }, { repo, commit });
    assert.equal(viaDownloadFile, files["config.json"].length);
    assert.deepEqual(await hubRequests(), []);
  });

  test("a branch costs one small request; when the branch moves, the new bytes are served", async () => {
    await clearRequestLog(hub);
    const before = await downloadIn({ repo, path: "config.json" });
    assert.equal(before.source, "cache");
    const log = await hubRequests();
    assert.equal(log.length, 1, JSON.stringify(log));
    assert.match(log[0].path, /\/revision\/main$/);
    const fresh = await downloadIn({ repo, path: "config.json", freshnessMs: 60_000 });
    assert.equal(fresh.source, "cache");
    assert.equal((await hubRequests()).length, 1, "no request within the freshness window");
    const changed = Buffer.from('{"a": 2}\n');
    const newCommit = await commitFiles(hub, repo, { "config.json": changed });
    const after = await downloadIn({ repo, path: "config.json" });
    assert.equal(after.sha256, sha256(changed));
    assert.equal(after.commitOid, newCommit);
    files["config.json"] = changed;
    commit = newCommit;
  });

  test("a corrupted body is an Integrity error and nothing is cached", async () => {
    const content = bytes(2 * MiB, 3);
    await commitFiles(hub, repo, { "corrupt.bin": content });
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, corrupt: { offset: 1000, length: 4 } }]);
    try {
      const err = await inPage(async ({ hubUrl, repo }) => {
        try {
          await window.hub.downloadFileWithInfo({ hubUrl, repo, path: "corrupt.bin" });
          return null;
        } catch (e) {
          return { code: e.code, message: e.message };
        }
      }, { repo });
      assert.equal(err?.code, "Integrity", JSON.stringify(err));
    } finally {
      await setFaults(hub);
    }
    const listed = await inPage(async ({ repo }) => (await window.hub.listCachedFiles({ repo })).map((e) => e.path), { repo });
    assert.ok(!listed.includes("corrupt.bin"), "no entry for the corrupted file");
    const good = await downloadIn({ repo, path: "corrupt.bin" });
    assert.equal(good.sha256, sha256(content), "the next try downloads it correctly");
  });

  test("large files are verified in a Web Worker: good bytes are cached, corrupted ones are an Integrity error", async () => {
    const content = bytes(33 * MiB, 6);
    await commitFiles(hub, repo, { "large.bin": content });
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, corrupt: { offset: 30 * MiB, length: 4 } }]);
    const page = await freshPage();
    const workers = [];
    page.on("worker", (w) => workers.push(w.url()));
    try {
      const err = await page.evaluate(async ({ hubUrl, repo }) => {
        try {
          await window.hub.downloadFileWithInfo({ hubUrl, repo, path: "large.bin" });
          return null;
        } catch (e) {
          return { code: e.code, message: e.message };
        }
      }, { hubUrl: hub.url, repo });
      assert.equal(err?.code, "Integrity", JSON.stringify(err));
      await setFaults(hub);
      const good = await download(page, { repo, path: "large.bin" });
      assert.equal(good.sha256, sha256(content));
      assert.equal(good.cached, true);
    } finally {
      await setFaults(hub);
      await page.close();
    }
    assert.ok(workers.some((u) => u.endsWith("/hash-worker.js")), `the hash ran in a worker: ${JSON.stringify(workers)}`);
    const hit = await downloadIn({ repo, path: "large.bin" });
    assert.equal(hit.source, "cache");
    assert.equal(hit.sha256, sha256(content));
  });

  test("a connection cut mid-file resumes with Range, in the same call and after the tab is closed", async () => {
    const content = bytes(9 * MiB, 4);
    await commitFiles(hub, repo, { "cut.bin": content });
    await clearRequestLog(hub);
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", times: 1, cutAfterBytes: 6 * MiB }]);
    const r = await downloadIn({ repo, path: "cut.bin" });
    await setFaults(hub);
    assert.equal(r.sha256, sha256(content));
    const gets = (await hubRequests()).filter((x) => x.origin === "storage" && x.method === "GET");
    assert.equal(gets.length, 2, JSON.stringify(gets));
    assert.match(gets[1].range ?? "", /^bytes=[1-9]\d*-$/, "the second request resumes");

    // Closing the tab mid-download (here: aborting once 33 MiB arrived) keeps whole 32 MiB chunks.
    // Large enough to be verified in a Web Worker, which then hashes the stored prefix first.
    const content2 = bytes(40 * MiB, 5);
    await commitFiles(hub, repo, { "tab.bin": content2 });
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", latencyMs: 0 }]);
    await setFaults(hub);
    const aborted = await inPage(async ({ hubUrl, repo }) => {
      const ac = new AbortController();
      try {
        await window.hub.downloadFileWithInfo({
          hubUrl, repo, path: "tab.bin", abortSignal: ac.signal,
          onProgress: (p) => { if (p.loaded > 33 * 1048576) ac.abort(); },
        });
        return "finished";
      } catch (e) {
        return e.name;
      }
    }, { repo });
    assert.equal(aborted, "AbortError");
    await clearRequestLog(hub);
    const resumed = await downloadIn({ repo, path: "tab.bin" });
    assert.equal(resumed.sha256, sha256(content2));
    const get = (await hubRequests()).find((x) => x.origin === "storage" && x.method === "GET");
    assert.equal(get?.range, `bytes=${32 * MiB}-`, "resumes after the stored 32 MiB chunk");
  });

  test("a branch learnt from one Hub is not trusted for another Hub serving the same repo id", async () => {
    const at = await downloadIn({ repo, path: "config.json" });
    // Same server, another origin: to the cache, another Hub. Offline mode sends no request.
    const otherHub = hub.url.replace("127.0.0.1", "localhost");
    const other = await inPage(async ({ repo, otherHub }) => {
      try {
        await window.hub.downloadFileWithInfo({ hubUrl: otherHub, repo, path: "config.json", offline: true });
        return "served";
      } catch (e) {
        return e.code;
      }
    }, { repo, otherHub });
    assert.equal(other, "NotCached");
    const same = await inPage(async ({ hubUrl, repo }) => (await window.hub.downloadFileWithInfo({ hubUrl, repo, path: "config.json", offline: true })).commitOid, { repo });
    assert.equal(same, at.commitOid);
  });

  test("without Web Locks, two downloads of the same bytes both succeed; a partial deleted mid-download is a Storage error", async () => {
    const content = bytes(20 * MiB, 8);
    await commitFiles(hub, repo, { "twin-a.bin": content, "twin-b.bin": content });
    const page = await freshPage();
    try {
      const got = await page.evaluate(async ({ hubUrl, repo }) => {
        // A page served over plain http (not localhost) has no navigator.locks.
        Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
        const one = (path) => window.hub.downloadFileWithInfo({ hubUrl, repo, path }).then((r) => r.blob.size, (e) => `${e.name} ${e.code} ${e.message}`);
        return Promise.all([one("twin-a.bin"), one("twin-b.bin")]);
      }, { hubUrl: hub.url, repo });
      assert.deepEqual(got, [20 * MiB, 20 * MiB]);

      const content2 = bytes(20 * MiB, 9);
      await commitFiles(hub, repo, { "deleted.bin": content2 });
      const err = await page.evaluate(async ({ hubUrl, repo }) => {
        let cleared;
        try {
          await window.hub.downloadFileWithInfo({
            hubUrl, repo, path: "deleted.bin",
            onProgress: (p) => { if (p.loaded > 9 * 1048576 && !cleared) cleared = window.hub.clearCache(); },
          });
          return "finished";
        } catch (e) {
          await cleared;
          return { name: e.name, code: e.code };
        }
      }, { hubUrl: hub.url, repo });
      assert.deepEqual(err, { name: "HubError", code: "Storage" });
      const again = await download(page, { repo, path: "deleted.bin" });
      assert.equal(again.sha256, sha256(content2), "the next call downloads it whole");
    } finally {
      await page.close();
    }
  });

  test("a writer opened for a blob another writer just completed keeps it; a complete blob whose chunks are gone is downloaded again", async () => {
    // Without Web Locks a download can open its writer after a twin finished the same bytes: the
    // blob must survive that, or the file is downloaded a second time.
    const kept = await inPage(async () => {
      const store = new window.hub.IndexedDbCache({ name: "writer-race" });
      const etag = "e".repeat(64);
      const first = await store.openWriter(etag, 1000);
      await first.write(new Uint8Array(1000).fill(7));
      await first.complete();
      const late = await store.openWriter(etag, 1000);
      const sizes = [(await store.readBlob(etag, 1000))?.size];
      await late.abort(false);
      sizes.push((await store.readBlob(etag, 1000))?.size);
      return sizes;
    }, {});
    assert.deepEqual(kept, [1000, 1000]);

    // A stored file whose chunks were deleted (by hand, or by another tool) heals on the next call.
    const content = bytes(2 * MiB, 10);
    await commitFiles(hub, repo, { "healed.bin": content });
    const page = await freshPage();
    try {
      assert.equal((await download(page, { repo, path: "healed.bin" })).cached, true);
      const etag = sha256(content);
      await page.evaluate(async (etag) => {
        const db = await new Promise((ok, ko) => { const r = indexedDB.open("hubwasm-cache"); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
        const tx = db.transaction("chunks", "readwrite");
        tx.objectStore("chunks").delete(IDBKeyRange.bound([etag, 0], [etag, Number.MAX_SAFE_INTEGER]));
        await new Promise((ok) => (tx.oncomplete = ok));
        db.close();
      }, etag);
      const again = await download(page, { repo, path: "healed.bin" });
      assert.deepEqual([again.source, again.cached, again.sha256], ["network", true, etag]);
      assert.equal((await download(page, { repo, path: "healed.bin" })).source, "cache");
    } finally {
      await page.close();
    }
  });

  test("a byte budget evicts least recently used files and downloads still work", async () => {
    await inPage(async () => window.hub.clearCache(), {});
    assert.equal(await inPage(async () => window.hub.cacheSize(), {}), 0);
    const page = await freshPage();
    try {
      await download(page, { repo, path: "other.bin" });
      await download(page, { repo, path: "config.json" });
      await page.evaluate(() => window.hub.setCacheBudget({ bytes: 11 * 1048576 }));
      await download(page, { repo, path: "model.bin" });
      const paths = await page.evaluate(async () => (await window.hub.listCachedFiles()).map((e) => e.path).sort());
      assert.deepEqual(paths, ["config.json", "model.bin"], "other.bin (least recently used) was evicted");
      assert.ok((await page.evaluate(() => window.hub.cacheSize())) <= 11 * MiB);
      const again = await download(page, { repo, path: "other.bin" });
      assert.equal(again.sha256, sha256(files["other.bin"]));
      await page.evaluate(() => window.hub.setCacheBudget({ bytes: undefined }));
    } finally {
      await page.close();
    }
  });

  test("offline mode uses only the cache; an unreachable Hub falls back to it and says so", async () => {
    await downloadIn({ repo, path: "config.json" });
    await clearRequestLog(hub);
    const offline = await downloadIn({ repo, path: "config.json", offline: true });
    assert.equal(offline.source, "cache");
    assert.equal(offline.sha256, sha256(files["config.json"]));
    assert.deepEqual(await hubRequests(), [], "offline means no request");
    const missing = await inPage(async ({ hubUrl, repo }) => {
      try {
        await window.hub.downloadFile({ hubUrl, repo, path: "never-downloaded.txt", offline: true });
      } catch (e) {
        return e.code;
      }
    }, { repo });
    assert.equal(missing, "NotCached");
    await setFaults(hub, [{ path: "/api/**", status: 503 }]);
    try {
      const fallback = await downloadIn({ repo, path: "config.json" });
      assert.equal(fallback.source, "cache");
      assert.equal(fallback.offlineFallback, true);
    } finally {
      await setFaults(hub);
    }
  });

  test("two pages asking for the same file download it once", async () => {
    const content = bytes(6 * MiB, 6);
    await commitFiles(hub, repo, { "shared.bin": content });
    await setFaults(hub, [{ method: "GET", path: "/objects/**", origin: "storage", latencyMs: 500 }]);
    await clearRequestLog(hub);
    const [a, b] = await Promise.all([freshPage(), freshPage()]);
    try {
      const [ra, rb] = await Promise.all([download(a, { repo, path: "shared.bin" }), download(b, { repo, path: "shared.bin" })]);
      assert.equal(ra.sha256, sha256(content));
      assert.equal(rb.sha256, sha256(content));
      assert.deepEqual([ra.source, rb.source].sort(), ["cache", "network"]);
    } finally {
      await setFaults(hub);
      await a.close();
      await b.close();
    }
    const gets = (await hubRequests()).filter((x) => x.origin === "storage" && x.method === "GET");
    assert.equal(gets.length, 1, "one transfer");
  });

  test("the cache lists entries and deletes by entry, by repo, or everything", async () => {
    const page = await freshPage();
    try {
      const got = await download(page, { repo, path: "config.json" });
      await download(page, { repo, path: "model.bin" });
      const list = await page.evaluate(async () => window.hub.listCachedFiles({ repo: "test-user/cached" }));
      // Earlier steps moved main, so older commits may be cached too: look at main's.
      const cfg = list.find((e) => e.path === "config.json" && e.commitOid === got.commitOid);
      assert.ok(cfg, JSON.stringify(list));
      assert.equal(cfg.repo, "models/test-user/cached");
      assert.ok(cfg.revisions.includes("main"));
      assert.equal(cfg.size, files["config.json"].length);
      assert.ok(cfg.lastAccess > Date.now() - 60_000);
      await page.evaluate(async () => window.hub.deleteCachedFiles({ repo: "test-user/cached", path: "config.json" }));
      const after = await page.evaluate(async () => (await window.hub.listCachedFiles()).map((e) => e.path));
      assert.ok(!after.includes("config.json") && after.includes("model.bin"), JSON.stringify(after));
      await page.evaluate(async () => window.hub.deleteCachedFiles({ repo: "test-user/cached" }));
      assert.deepEqual(await page.evaluate(async () => window.hub.listCachedFiles()), []);
      await download(page, { repo, path: "config.json" });
      await page.evaluate(async () => window.hub.clearCache());
      assert.equal(await page.evaluate(async () => window.hub.cacheSize()), 0);
    } finally {
      await page.close();
    }
  });

  test("in a private window, a file about as large as the browser can hold is served and verified, and cached only if it fits", async () => {
    // Chromium keeps at most about RAM / 50 of Blobs in memory; a private window has no disk to
    // page to, and past that it hands out Blobs that cannot be read.
    const size = Math.ceil(totalmem() / 50) + 64 * MiB;
    const content = largeBytes(size);
    await commitFiles(hub, repo, { "huge.bin": content });
    const privateWindow = await browser.newContext();
    try {
      const page = await freshPage(privateWindow);
      const got = await page.evaluate(async ({ hubUrl, repo }) => {
        const r = await window.hub.downloadFileWithInfo({ hubUrl, repo, path: "huge.bin" });
        const buf = await r.blob.arrayBuffer();
        const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", buf))].map((b) => b.toString(16).padStart(2, "0")).join("");
        return { size: buf.byteLength, digest, cached: r.cached };
      }, { hubUrl: hub.url, repo });
      assert.equal(got.size, size);
      assert.equal(got.digest, sha256(content));
      // Whether it fits is the browser's call (its quota follows free memory and disk): what the
      // result says must be what the cache holds.
      const listed = await page.evaluate(async () => (await window.hub.listCachedFiles()).map((e) => e.path));
      assert.equal(listed.includes("huge.bin"), got.cached, `cached: ${got.cached}, listed: ${listed}`);
    } finally {
      await privateWindow.close();
    }
  });
});

/** Large test data, quick to make: a 4 MiB pseudo-random block repeated, each copy numbered. */
function largeBytes(n) {
  const block = bytes(4 * MiB, 7);
  const out = Buffer.alloc(n);
  for (let at = 0, i = 0; at < n; at += block.length, i++) {
    block.copy(out, at, 0, Math.min(block.length, n - at));
    if (at + 4 <= n) out.writeUInt32LE(i, at);
  }
  return out;
}
