// Runs the scenario in headless Chromium against dist/index.js (the browser entry).
// js/ is served from its own port, so every request to the Hub is cross-origin and CORS is exercised.
import { describe, test, before, after } from "node:test";
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "./support/browser.mjs";
import { caseTimeoutMs, cleanUp, hubWithFixtures, loadScenario, remoteFailure } from "./support/runner.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const cases = await loadScenario();

let hub, ctx, server, browser, page;
// Browser console errors and page errors, reported with the case that was running.
let browserLog = [];

// One suite per runtime so `npm test` (all three files) says which runtime a result is from.
describe("chromium", () => {
  before(async () => {
    ({ hub, ctx } = await hubWithFixtures());
    server = await serveDir(jsRoot);
    browser = await launchChromium();
    // A fresh context is a fresh, throwaway profile (playwright makes a temp user-data dir per launch).
    const context = await browser.newContext();
    page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() !== "error" && msg.type() !== "warning") return;
      const where = msg.location()?.url ? ` (${msg.location().url})` : "";
      browserLog.push(`console.${msg.type()}: ${msg.text()}${where}`);
    });
    page.on("pageerror", (err) => browserLog.push(`pageerror: ${err.stack ?? err.message}`));
    page.on("crash", () => browserLog.push("page crashed"));

    await page.goto(`http://127.0.0.1:${server.address().port}/test/harness/page.html`);
    const ready = await (await page.waitForFunction(() => window.__ready, null, { timeout: 30_000 })).jsonValue();
    if (!ready.ok) throw remoteFailure("chromium", { ...ready, error: `page failed to load: ${ready.error}\n${browserLog.join("\n")}` });
  });

  after(async () => {
    // Messages logged outside any case (e.g. late page errors).
    if (browserLog.length) process.stderr.write(`[chromium] ${browserLog.join("\n[chromium] ")}\n`);
    await cleanUp(() => browser?.close(), () => server?.closeAllConnections(), () => server?.close(), () => hub?.stop());
  });

  for (const c of cases) {
    test(c.name, { timeout: caseTimeoutMs }, async (t) => {
      if (!page) throw new Error("no page: the before hook failed");
      browserLog = [];
      const result = await page.evaluate(([name, ctx]) => window.__runCase(name, ctx), [c.name, ctx]);
      const log = browserLog;
      browserLog = [];
      if (!result.ok) throw remoteFailure("chromium", { ...result, error: [result.error, ...log].join("\n") });
      // Chromium logs every 4xx/5xx as "Failed to load resource"; negative cases expect those, so a
      // passing case only shows the other messages.
      for (const line of log) if (!line.includes("Failed to load resource")) t.diagnostic(line);
    });
  }
});
