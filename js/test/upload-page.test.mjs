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

  // "Sign in with Hugging Face" with real pages and redirects: the page sends the browser to the
  // local Hub's consent page, a click there brings it back with a code, and the commit is made
  // with the OAuth token, under that user.
  const pageUrl = (query) => `http://127.0.0.1:${server.address().port}/examples/upload-page/index.html?${query}`;
  const commitsOf = async (repo) => {
    const r = await fetch(`${hub.url}/api/models/${repo}/commits/main`, { headers: { authorization: `Bearer ${hub.token}` } });
    return r.ok ? r.json() : [];
  };
  const admin = (body) => fetch(`${hub.url}/__admin/oauth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  /** Opens the page signed out, presses "Sign in", and returns at the consent page. */
  async function toConsent(repo) {
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pageUrl(`hub=${encodeURIComponent(hub.url)}&repo=${encodeURIComponent(repo)}`));
    assert.equal(await page.isVisible("#token-field"), true, "the token field is there as a fallback");
    await page.click("#signin");
    await page.waitForURL((u) => u.href.startsWith(`${hub.url}/oauth/authorize?`));
    return { page, errors };
  }

  test("sign in with Hugging Face: the consent page, back with a token, and a commit under that user with no token pasted", async () => {
    const repo = `${hub.user}/signed-in-${Date.now().toString(36)}`;
    const { page, errors } = await toConsent(repo);
    assert.match(await page.textContent("h1"), /wants to access your account/);
    const codes = [];
    page.on("request", (r) => r.isNavigationRequest() && r.url().includes("code=") && codes.push(r.url()));
    await page.click(`button[data-user="${hub.user}"]`);
    await page.locator("#signed-in:not([hidden])").waitFor({ timeout: 30_000 });
    assert.equal(await page.textContent("#who"), hub.user);
    assert.equal(await page.isVisible("#token-field"), false);
    assert.equal(new URL(page.url()).search, "", "the code is gone from the address bar");
    await page.setInputFiles("#files", [{ name: "signed.txt", mimeType: "text/plain", buffer: Buffer.from("signed in\n") }]);
    await page.click("#upload");
    await page.locator("#result a").waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
    const [last] = await commitsOf(repo);
    assert.deepEqual(last.authors.map((a) => a.user), [hub.user], "committed as the signed-in user");
    const log = await (await fetch(`${hub.url}/__admin/requests`)).json();
    assert.ok(log.some((r) => r.method === "POST" && r.path === "/oauth/token" && r.status === 200), "the code was exchanged");

    // The same code again (its nonce and verifier put back as if never used): the Hub refuses
    // it, the page says so, and the token it gave is revoked.
    assert.equal(codes.length, 1, `one redirect with a code: ${codes}`);
    const nonce = JSON.parse(new URL(codes[0]).searchParams.get("state")).nonce;
    await page.evaluate(([n, hubUrl]) => {
      localStorage.setItem("huggingface.co:oauth:nonce", n);
      localStorage.setItem("huggingface.co:oauth:code_verifier", "a".repeat(43));
      // Signed out again, the Hub URL kept (the page talks to 127.0.0.1 only).
      sessionStorage.setItem("hubwasm-upload-page", JSON.stringify({ hubUrl }));
    }, [nonce, hub.url]);
    await page.goto(codes[0]);
    await page.locator("#status.error").waitFor({ timeout: 30_000 });
    assert.match(await page.textContent("#status"), /sign-in failed: BadRequest: .*(already used|does not match)/);
    assert.equal(await page.isVisible("#signed-in"), false);
  });

  test("sign in: a refused consent, a tampered state and an expired sign-in give their errors and no commit", async () => {
    // Cancel on the consent page: back with error=access_denied.
    const repo = `${hub.user}/refused-${Date.now().toString(36)}`;
    let { page } = await toConsent(repo);
    await page.click("#deny");
    await page.locator("#status.error").waitFor({ timeout: 30_000 });
    assert.match(await page.textContent("#status"), /sign-in failed: AuthRequired: .*access_denied/);
    assert.equal(await page.isVisible("#signed-in"), false);

    // A redirect whose state this browser did not make.
    ({ page } = await toConsent(repo));
    const authorize = new URL(page.url());
    const state = JSON.parse(authorize.searchParams.get("state"));
    await page.goto(`${state.redirectUri}?code=forged&state=${encodeURIComponent(JSON.stringify({ ...state, nonce: "someone-else" }))}`);
    await page.locator("#status.error").waitFor({ timeout: 30_000 });
    assert.match(await page.textContent("#status"), /sign-in failed: InvalidInput: .*state/);

    // A sign-in that expires before the upload.
    // 3 s: long enough for the sign-in's own userinfo request on a slow machine.
    assert.equal((await admin({ tokenLifetimeSecs: 3 })).status, 200);
    try {
      ({ page } = await toConsent(repo));
      await page.click(`button[data-user="${hub.user}"]`);
      await page.locator("#signed-in:not([hidden])").waitFor({ timeout: 30_000 });
      await page.setInputFiles("#files", [{ name: "late.txt", mimeType: "text/plain", buffer: Buffer.from("late\n") }]);
      await new Promise((r) => setTimeout(r, 3200));
      await page.click("#upload");
      await page.locator("#status.error").waitFor({ timeout: 30_000 });
      assert.match(await page.textContent("#status"), /expired: sign in again/);
      assert.equal(await page.isVisible("#signin"), true);
    } finally {
      await admin({ tokenLifetimeSecs: null });
    }
    assert.deepEqual(await commitsOf(repo), [], "nothing was committed, no repo was made");
  });
});
