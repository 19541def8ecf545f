// CacheApiStore (dist/cache/cache-api.js) in real workerd through miniflare: the cases live in
// harness/cache-api-worker.mjs and run inside the Worker, one request each, in order.
import { describe, test, before, after } from "node:test";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";
import { remoteFailure } from "./support/runner.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
let mf;

describe("cache-api store in workerd", () => {
  before(async () => {
    const worker = new Miniflare({
      modulesRoot: jsRoot,
      scriptPath: fileURLToPath(new URL("./harness/cache-api-worker.mjs", import.meta.url)),
      modules: true,
      modulesRules: [{ type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
      compatibilityDate: "2025-09-01",
      cf: false,
      log: new Log(LogLevel.WARN),
      // An aborted writer cancels its streaming cache.put on purpose; workerd reports each one
      // as "Error writing HTTP body: Network connection lost". Keep every other line.
      handleRuntimeStdio(stdout, stderr) {
        for (const [stream, out] of [[stdout, process.stdout], [stderr, process.stderr]]) {
          createInterface({ input: stream }).on("line", (line) => {
            if (!line.includes("Error writing HTTP body")) out.write(`${line}\n`);
          });
        }
      },
    });
    try {
      await worker.ready;
    } catch (err) {
      await worker.dispose().catch(() => {});
      throw err;
    }
    mf = worker;
  });
  after(() => mf?.dispose());

  const names = [
    "ref round trip, branch moved, refs/pr/1",
    "entry round trip and awkward paths",
    "blob round trip in chunks, list and size",
    "trees round trip",
    "aborted or short writer leaves nothing visible",
    "writers of one etag run one after the other",
    "eviction removes least recently read blobs first",
    "reads rewrite lastAccess only past the resolution",
    "delete by path, commit, repo and everything",
    "persist: write",
    "persist: read in a later request",
  ];

  test("the Worker runs exactly these cases", async () => {
    const res = await mf.dispatchFetch("http://worker/cases");
    const listed = await res.json();
    if (JSON.stringify(listed) !== JSON.stringify(names)) {
      throw new Error(`case list mismatch: ${JSON.stringify(listed)}`);
    }
  });

  for (const name of names) {
    test(name, async () => {
      if (!mf) throw new Error("no Worker: the before hook failed");
      const res = await mf.dispatchFetch(`http://worker/run?case=${encodeURIComponent(name)}`);
      const text = await res.text();
      let result;
      try {
        result = JSON.parse(text);
      } catch {
        throw new Error(`[workerd] HTTP ${res.status}: ${text.slice(0, 2000)}`);
      }
      if (!result.ok) throw remoteFailure("workerd", result);
    });
  }
});
