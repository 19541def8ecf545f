// Runs the scenario in Node against dist/node.js.
import { describe, test, before, after } from "node:test";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { caseTimeoutMs, hubWithFixtures, importBuilt, loadScenario } from "./support/runner.mjs";

// `cache: true` in Node is the huggingface_hub folder: this run's own, never the user's.
process.env.HF_HUB_CACHE = await mkdtemp(join(tmpdir(), "hubwasm-node-hf-"));
process.on("exit", () => rmSync(process.env.HF_HUB_CACHE, { recursive: true, force: true }));
const cases = await loadScenario();
const hubApi = await importBuilt(new URL("../dist/node.js", import.meta.url),
  "build the package first (dist/ and wasm/ in js/).");

/** A new folder under this run's temporary folder holding `files` (path → text). */
async function tempFolder(files) {
  const root = await mkdtemp(join(process.env.HF_HUB_CACHE, "folder-"));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), text);
  }
  return root;
}

let hub;
let ctx;
// One suite per runtime so `npm test` (all three files) says which runtime a result is from.
describe("node", () => {
  before(async () => {
    ({ hub, ctx } = await hubWithFixtures());
  });
  after(async () => {
    await hub?.stop();
  });

  for (const c of cases) {
    test(c.name, { timeout: caseTimeoutMs }, async () => {
      if (!ctx) throw new Error("no Hub: the before hook failed");
      await c.run({ ...ctx, hub: hubApi, runtime: "node", tempFolder });
    });
  }
});
