// Runs the scenario in real workerd (through miniflare) against dist/workerd.js.
import { describe, test, before, after } from "node:test";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";
import { caseTimeoutMs, cleanUp, hubWithFixtures, loadScenario, remoteFailure } from "./support/runner.mjs";

const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const cases = await loadScenario();

let hub, ctx, mf;

// One suite per runtime so `npm test` (all three files) says which runtime a result is from.
describe("workerd", () => {
  before(async () => {
    ({ hub, ctx } = await hubWithFixtures());
    const worker = new Miniflare({
      // Module names are paths relative to js/, so "../../dist/workerd.js" and "../wasm/…" resolve.
      modulesRoot: jsRoot,
      scriptPath: fileURLToPath(new URL("./harness/worker.mjs", import.meta.url)),
      modules: true,
      // Rules are tried before miniflare's defaults, which would treat *.js as CommonJS and have
      // nothing for *.wasm. CompiledWasm = what wrangler does: the import yields a WebAssembly.Module.
      modulesRules: [
        { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
        { type: "CompiledWasm", include: ["**/*.wasm"] },
      ],
      compatibilityDate: "2025-09-01",
      // Outbound fetch() goes to miniflare's "internet" network service, which already allows
      // private addresses (127.0.0.1), so the Worker reaches the local Hub without extra options.
      // No request.cf download from workers.cloudflare.com (no internet here; tests need no cf data).
      cf: false,
      log: new Log(LogLevel.WARN),
    });
    try {
      await worker.ready;
    } catch (err) {
      // The Worker failed to start (its error is on stderr above); dispose() would rethrow it.
      await worker.dispose().catch(() => {});
      throw err;
    }
    mf = worker;
  });

  after(() => cleanUp(() => mf?.dispose(), () => hub?.stop()));

  for (const c of cases) {
    test(c.name, { timeout: caseTimeoutMs }, async () => {
      if (!mf) throw new Error("no Worker: the before hook failed");
      const res = await mf.dispatchFetch("http://worker/run", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: c.name, ctx }),
      });
      const text = await res.text();
      let result;
      try {
        result = JSON.parse(text);
      } catch {
        throw new Error(`[workerd] HTTP ${res.status} from the harness Worker: ${text.slice(0, 2000)}`);
      }
      if (!result.ok) throw remoteFailure("workerd", result);
    });
  }
});
