// The local Hub as an OAuth provider, judged by @huggingface/hub's own OAuth functions: in Node
// (no localStorage: the nonce and verifier are kept in the caller's object and passed back) and
// in Chromium, where the peer's browser build signs in with real page navigations: its
// oauthLoginUrl keeps them in localStorage, the Hub's consent page answers, and its
// oauthHandleRedirect finishes with an explicit redirectedUrl (docs/hub-protocol.md §1.9).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { oauthHandleRedirect, oauthHandleRedirectIfPresent, oauthLoginUrl, whoAmI } from "@huggingface/hub";
import { startHub } from "./hubserver.mjs";
import { launchChromium } from "../../../js/test/support/browser.mjs";

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

test("Node: oauthLoginUrl and oauthHandleRedirect complete a sign-in against the local Hub", async () => {
  assert.equal((await hub.admin("POST", "/__admin/oauth", { autoApprove: hub.user })).status, 200);
  try {
    const saved = {};
    const redirectUrl = "http://127.0.0.1:8999/callback";
    const url = await oauthLoginUrl({ hubUrl: hub.url, clientId: "hubwasm-local", redirectUrl, scopes: "openid profile write-repos", state: "s1", localStorage: saved });
    assert.ok(url.startsWith(`${hub.url}/oauth/authorize?`), url);
    assert.ok(saved.nonce && saved.codeVerifier, "the peer kept its nonce and verifier");
    const consent = await fetch(url, { redirect: "manual" });
    assert.equal(consent.status, 303);
    const redirectedUrl = consent.headers.get("location");
    assert.ok(redirectedUrl.startsWith(`${redirectUrl}?code=`), redirectedUrl);
    const out = await oauthHandleRedirect({ hubUrl: hub.url, redirectedUrl, nonce: saved.nonce, codeVerifier: saved.codeVerifier });
    assert.match(out.accessToken, /^hf_oauth_/);
    assert.ok(out.accessTokenExpiresAt > new Date());
    assert.equal(out.state, "s1");
    assert.equal(out.scope, "openid profile write-repos");
    assert.equal(out.userInfo.preferred_username, hub.user);
    assert.ok(Array.isArray(out.userInfo.orgs));
    assert.equal((await whoAmI({ hubUrl: hub.url, accessToken: out.accessToken })).name, hub.user);
    // The peer's own bug (docs/hub-protocol.md §1.9): given a full URL whose first parameter is
    // `code`, oauthHandleRedirectIfPresent reads the whole URL as a query, sees no code, says false.
    assert.equal(await oauthHandleRedirectIfPresent({ hubUrl: hub.url, redirectedUrl, nonce: saved.nonce, codeVerifier: saved.codeVerifier }), false);
    // A denied consent comes back as an error the peer throws.
    await hub.admin("POST", "/__admin/oauth", { deny: true });
    const again = {};
    const denied = await fetch(await oauthLoginUrl({ hubUrl: hub.url, clientId: "hubwasm-local", redirectUrl, localStorage: again }), { redirect: "manual" });
    await assert.rejects(
      oauthHandleRedirect({ hubUrl: hub.url, redirectedUrl: denied.headers.get("location"), nonce: again.nonce, codeVerifier: again.codeVerifier }),
      /access_denied/,
    );
  } finally {
    await hub.admin("POST", "/__admin/oauth", { autoApprove: null, deny: false });
  }
});

/**
 * A page on 127.0.0.1 that imports the peer's browser build. Its one static import outside the
 * package, `@huggingface/xetchunk-wasm` (Xet uploads only), is mapped to a stub: the OAuth code
 * runs as published.
 */
async function peerPage() {
  const dist = join(fileURLToPath(new URL("./", import.meta.url)), "node_modules/@huggingface/hub/dist/browser");
  // Every name the build imports from it, each a function that throws if called.
  const code = await readFile(join(dist, "index.mjs"), "utf8");
  const names = new Set();
  for (const [, list] of code.matchAll(/import\s*{([^}]*)}\s*from\s*"@huggingface\/xetchunk-wasm"/g)) {
    for (const n of list.split(",")) if (n.trim()) names.add(n.trim().split(/\s+as\s+/)[0]);
  }
  const html = `<!doctype html><meta charset="utf-8"><title>peer</title>
<script type="importmap">{"imports": {"@huggingface/xetchunk-wasm": "/xetchunk-stub.mjs"}}</script>
<script type="module">import * as hub from "/peer/index.mjs"; window.peer = hub; window.peerReady = true;</script>`;
  const stub = `const no = () => { throw new Error("not used by OAuth"); };\n${[...names].map((n) => `export const ${n} = no;`).join("\n")}\n`;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    try {
      if (path === "/callback" || path === "/") res.writeHead(200, { "content-type": "text/html" }).end(html);
      else if (path === "/xetchunk-stub.mjs") res.writeHead(200, { "content-type": "text/javascript" }).end(stub);
      else if (/^\/peer\/[\w.-]+\.mjs$/.test(path)) res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(join(dist, path.slice(6))));
      else res.writeHead(404).end();
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

test("Chromium: the peer's oauthLoginUrl and oauthHandleRedirect sign in through the consent page", async () => {
  const server = await peerPage();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    const callback = `http://127.0.0.1:${server.address().port}/callback`;
    await page.goto(callback);
    await page.waitForFunction(() => window.peerReady === true);
    const url = await page.evaluate(([hubUrl, redirectUrl]) => window.peer.oauthLoginUrl({ hubUrl, clientId: "hubwasm-local", redirectUrl, scopes: "openid profile", state: "from-the-peer" }), [hub.url, callback]);
    const kept = await page.evaluate(() => localStorage.getItem("huggingface.co:oauth:nonce"));
    assert.ok(kept, "the peer keeps its nonce in localStorage");
    await page.goto(url);
    assert.match(await page.textContent("h1"), /wants to access your account/);
    await page.click(`button[data-user="${hub.user}"]`);
    await page.waitForURL((u) => u.href.startsWith(`${callback}?code=`));
    await page.waitForFunction(() => window.peerReady === true);
    const out = await page.evaluate(async (hubUrl) => {
      const r = await window.peer.oauthHandleRedirect({ hubUrl, redirectedUrl: location.href });
      return { ...r, accessTokenExpiresAt: r.accessTokenExpiresAt.toISOString() };
    }, hub.url);
    assert.match(out.accessToken, /^hf_oauth_/);
    assert.equal(out.state, "from-the-peer");
    assert.equal(out.userInfo.preferred_username, hub.user);
    assert.ok(new Date(out.accessTokenExpiresAt) > new Date());
    assert.equal(await page.evaluate(() => localStorage.getItem("huggingface.co:oauth:nonce")), null, "the peer removed its nonce");
    assert.equal((await whoAmI({ hubUrl: hub.url, accessToken: out.accessToken })).name, hub.user);
  } finally {
    await browser.close();
    server.close();
  }
});
