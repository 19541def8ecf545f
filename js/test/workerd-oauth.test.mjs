// A Worker as the OAuth redirect target, in real workerd (miniflare) against the local Hub:
// /login keeps the nonce and verifier in a cookie and redirects to the Hub, the Hub (consent
// answered automatically) redirects back to /callback, which signs in from the cookie.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";
import { startHub } from "./support/hub.mjs";
import { cleanUp } from "./support/runner.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const ORIGIN = "http://127.0.0.1:8787";
let hub, mf;

before(async () => {
  hub = await startHub();
  mf = new Miniflare({
    modulesRoot: jsRoot,
    scriptPath: fileURLToPath(new URL("./harness/oauth-worker.mjs", import.meta.url)),
    modules: true,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-09-01",
    bindings: { HUB_URL: hub.url },
    cf: false,
    log: new Log(LogLevel.WARN),
  });
  await mf.ready;
});
after(() => cleanUp(() => mf?.dispose(), () => hub?.stop()));

const admin = (body) => fetch(`${hub.url}/__admin/oauth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("a Worker hosts the sign-in: login, the Hub's redirect to its callback, a token; a replay and a missing cookie are refused", async () => {
  assert.equal((await admin({ autoApprove: hub.user })).status, 200);
  try {
    const login = await mf.dispatchFetch(`${ORIGIN}/login`, { redirect: "manual" });
    assert.equal(login.status, 302);
    const toHub = login.headers.get("location");
    assert.ok(toHub.startsWith(`${hub.url}/oauth/authorize?`), toHub);
    const cookie = login.headers.get("set-cookie").split(";")[0];
    const atHub = await fetch(toHub, { redirect: "manual" });
    assert.equal(atHub.status, 303);
    const back = atHub.headers.get("location");
    assert.ok(back.startsWith(`${ORIGIN}/callback?code=`), back);

    const done = await mf.dispatchFetch(back, { headers: { cookie } });
    const out = await done.json();
    assert.equal(done.status, 200, JSON.stringify(out));
    assert.equal(out.user, hub.user);
    assert.equal(out.scope, "openid profile write-repos");
    const who = await fetch(`${hub.url}/api/whoami-v2`, { headers: { authorization: `Bearer ${out.accessToken}` } });
    assert.equal((await who.json()).name, hub.user);

    // The same redirect again: the Hub refuses the used code.
    const replay = await mf.dispatchFetch(back, { headers: { cookie } });
    assert.deepEqual([replay.status, (await replay.json()).code], [400, "BadRequest"]);
    // Without the cookie this Worker set, the redirect is not this sign-in's.
    const foreign = await mf.dispatchFetch(back);
    assert.equal(foreign.status, 400);
    assert.deepEqual(await foreign.json(), { signedIn: false });
    // With another sign-in's cookie, the state does not match.
    const other = (await mf.dispatchFetch(`${ORIGIN}/login`, { redirect: "manual" })).headers.get("set-cookie").split(";")[0];
    const mismatch = await mf.dispatchFetch(back, { headers: { cookie: other } });
    assert.deepEqual([mismatch.status, (await mismatch.json()).code], [400, "InvalidInput"]);
  } finally {
    await admin({ autoApprove: null });
  }
});
