// The upload page example, driven in real Chromium: pick files, press Upload, wait for the
// commit link, then check every file on the local Hub byte for byte.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "./support/browser.mjs";
import { startHub } from "./support/hub.mjs";
import { cleanUp } from "./support/runner.mjs";
import { bytes } from "./support/data.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));


let hub, server, browser;

describe("upload page", () => {
  before(async () => {
    // Small multipart settings so a 3 MiB file goes up in several parts.
    hub = await startHub({ args: ["--multipart-threshold", String(1 << 20), "--chunk-size", String(512 << 10)] });
    server = await serveDir(repoRoot, ["/examples/upload-page/", "/js/dist/", "/js/wasm/"]);
    browser = await launchChromium();
  });
  after(() => cleanUp(() => browser?.close(), () => server && new Promise((r) => server.close(r)), () => hub?.stop()));

  test("uploads picked files with a bar per file and the files land byte for byte", async () => {
    const files = [
      { name: "config.json", mimeType: "application/json", buffer: Buffer.from('{"hidden_size": 8}\n') },
      { name: "weights.bin", mimeType: "application/octet-stream", buffer: bytes(3 * 1024 * 1024 + 17, 7) },
      { name: "small.bin", mimeType: "application/octet-stream", buffer: bytes(70_000, 9) },
    ];
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const repo = `${hub.user}/page-${Date.now().toString(36)}`;
    const url = `http://127.0.0.1:${server.address().port}/examples/upload-page/index.html` +
      `?hub=${encodeURIComponent(hub.url)}&repo=${encodeURIComponent(repo)}#token=${hub.token}`;
    await page.goto(url);
    await page.setInputFiles("#files", files);
    assert.equal(await page.locator("#list tbody tr").count(), 3);
    await page.click("#upload");
    const link = page.locator("#result a");
    await link.waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
    const oid = await link.getAttribute("data-oid");
    assert.match(oid, /^[0-9a-f]{40}$/);
    // Every bar is full.
    for (const sel of ["progress.hash", "progress.up"]) {
      const values = await page.locator(sel).evaluateAll((els) => els.map((e) => e.value));
      assert.deepEqual(values, [1, 1, 1], sel);
    }
    for (const f of files) {
      const resp = await fetch(`${hub.url}/${repo}/resolve/${oid}/${f.name}`);
      assert.equal(resp.status, 200, f.name);
      const got = Buffer.from(await resp.arrayBuffer());
      assert.equal(createHash("sha256").update(got).digest("hex"), createHash("sha256").update(f.buffer).digest("hex"), f.name);
    }
    // The large file went through multipart upload, without the Hub token on storage.
    const log = await (await fetch(`${hub.url}/__admin/requests`)).json();
    const parts = log.filter((r) => r.method === "PUT");
    assert.ok(parts.length >= 7, `expected multipart PUTs, saw ${parts.length}`);
    assert.ok(parts.every((r) => !r.auth), "no Authorization on storage uploads");
  });

  test("cancel stops the upload and nothing is committed", async () => {
    const page = await (await browser.newContext()).newPage();
    const repo = `${hub.user}/cancel-${Date.now().toString(36)}`;
    await page.goto(`http://127.0.0.1:${server.address().port}/examples/upload-page/index.html` +
      `?hub=${encodeURIComponent(hub.url)}&repo=${encodeURIComponent(repo)}#token=${hub.token}`);
    await page.setInputFiles("#files", [{ name: "big.bin", mimeType: "application/octet-stream", buffer: bytes(24 * 1024 * 1024, 3) }]);
    await page.click("#upload");
    await page.locator("#cancel:not([disabled])").waitFor();
    await page.click("#cancel");
    await page.locator("#status.error").waitFor({ timeout: 30_000 });
    assert.match(await page.textContent("#status"), /cancelled/);
    // The repo may exist (created first), but holds only its initial commit.
    const commits = await fetch(`${hub.url}/api/models/${repo}/commits/main`, { headers: { authorization: `Bearer ${hub.token}` } });
    if (commits.ok) {
      const list = await commits.json();
      assert.equal(list.length, 1, `only the initial commit, got ${list.map((c) => c.title)}`);
    }
  });
});
