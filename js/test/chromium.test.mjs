// Runs the scenario in headless Chromium against dist/index.js (the browser entry).
// js/ is served from its own port, so every request to the Hub is cross-origin and CORS is exercised.
import { describe, test, before, after } from "node:test";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { caseTimeoutMs, cleanUp, hubWithFixtures, loadScenario, remoteFailure } from "./support/runner.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const cases = await loadScenario();

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
};

/** Minimal static server for js/; GET/HEAD only, nothing outside js/. */
function serveJsRoot() {
  const server = createServer(async (req, res) => {
    try {
      const path = resolve(jsRoot, "." + decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (!path.startsWith(jsRoot) || path.split(sep).includes("node_modules")) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(path);
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium not found on PATH (apt-get install chromium), or set CHROMIUM_PATH");
  }
}

let hub, ctx, server, browser, page;
// Browser console errors and page errors, reported with the case that was running.
let browserLog = [];

// One suite per runtime so `npm test` (all three files) says which runtime a result is from.
describe("chromium", () => {
  before(async () => {
    ({ hub, ctx } = await hubWithFixtures());
    server = await serveJsRoot();
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"],
    });
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
