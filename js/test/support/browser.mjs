// Serving files to a real Chromium and launching it: shared by the Chromium runner, the
// upload-page test and `make demo`.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
};

/**
 * A minimal static server on 127.0.0.1 (GET/HEAD only) for `root`, limited to the URL path
 * prefixes in `allow` (all of `root` when empty) and never serving node_modules.
 */
export function serveDir(root, allow = []) {
  const base = resolve(root) + sep;
  const server = createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
      const path = resolve(base, "." + pathname);
      const allowed = allow.length === 0 || allow.some((p) => pathname.startsWith(p));
      if (!path.startsWith(base) || !allowed || path.split(sep).includes("node_modules")) {
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

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium not found on PATH (apt-get install chromium), or set CHROMIUM_PATH");
  }
}

const flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"];

/**
 * Headless Debian Chromium with the flags this machine needs; playwright uses a temp profile.
 * Its `newContext()` contexts are private-window-like (storage in memory).
 */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: flags });
}

/**
 * One browser context with a real on-disk profile in a fresh folder, as a user's browser has: large
 * Blobs and IndexedDB data live on disk, not in memory. `close()` also removes the folder.
 */
export async function launchChromiumProfile() {
  const { chromium } = await import("playwright-core");
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "hubwasm-profile-"));
  const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), headless: true, args: flags });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return context;
}
