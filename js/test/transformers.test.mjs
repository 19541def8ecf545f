// transformersCache with the real @huggingface/transformers (v4) against the local Hub (issue 17).
// Node: AutoTokenizer.from_pretrained loads a small tokenizer repo through `transformersCache()`
// (its default store: the huggingface_hub folder, HF_HUB_CACHE); Python's
// hf_hub_download(local_files_only=True) then finds the files; a second process loads with no
// Hub request, and a third with the Hub stopped. Chromium: a page loads the tokenizer, reloads,
// and loads it again with no Hub request (IndexedDB).
//
// The library is installed into test/transformers/ by this test (`npm ci --ignore-scripts`, from
// the npm registry only: onnxruntime-node's install script would download from elsewhere, and
// tokenizers need no ONNX runtime).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { launchChromium, serveDir } from "./support/browser.mjs";
import { clearRequestLog, requestLog, startHub } from "./support/hub.mjs";
import { ensurePython, pythonEnv, venvPython } from "./support/python.mjs";

const run = promisify(execFile);
const jsRoot = fileURLToPath(new URL("../", import.meta.url));
const libDir = fileURLToPath(new URL("./transformers/", import.meta.url));
const libEntry = join(libDir, "node_modules/@huggingface/transformers/package.json");

/** Installs the library (once) the way the issue says: from the npm registry, no install scripts. */
function ensureTransformers() {
  if (existsSync(libEntry)) return;
  const r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: libDir, stdio: "inherit" });
  if (r.status !== 0 || !existsSync(libEntry)) throw new Error(`could not install @huggingface/transformers in ${libDir}`);
}

// A tokenizer written for this test: WordPiece over a nine-word vocabulary, lower-cased.
const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "hub", "wasm", "##s"];
const special = (content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
const TOKENIZER = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].map((t) => special(t, VOCAB.indexOf(t))),
  normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: null,
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) },
};
const FILES = {
  "tokenizer.json": JSON.stringify(TOKENIZER, null, 2) + "\n",
  "tokenizer_config.json": JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, unk_token: "[UNK]", pad_token: "[PAD]", cls_token: "[CLS]", sep_token: "[SEP]", model_max_length: 32 }, null, 2) + "\n",
  "config.json": JSON.stringify({ model_type: "bert" }, null, 2) + "\n",
};
const TEXT = "Hello hubs wasm world";
const IDS = [4, 6, 8, 7, 5]; // hello hub ##s wasm world

/** A public model repo holding FILES, made through the Hub's API (not the package under test). */
async function tokenizerRepo(hub) {
  const name = `tokenizer-${Math.random().toString(36).slice(2, 8)}`;
  const call = async (path, contentType, body) => {
    const res = await fetch(`${hub.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${hub.token}`, "content-type": contentType }, body });
    assert.ok(res.ok, `POST ${path} → ${res.status}: ${await res.text()}`);
  };
  await call("/api/repos/create", "application/json", JSON.stringify({ name, type: "model", private: false }));
  const repo = `${hub.user}/${name}`;
  const lines = [
    { key: "header", value: { summary: "a tokenizer for transformersCache" } },
    ...Object.entries(FILES).map(([path, text]) => ({ key: "file", value: { path, content: Buffer.from(text).toString("base64"), encoding: "base64" } })),
  ];
  await call(`/api/models/${repo}/commit/main`, "application/x-ndjson", lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return repo;
}

// One Node process per page load: transformers.js with transformersCache() as its cache.
const NODE_LOAD = String.raw`
const [hubUrl, repo, text] = process.argv.slice(1);
const { AutoTokenizer, env } = await import(process.env.TRANSFORMERS);
const { transformersCache } = await import(process.env.HUBWASM);
env.remoteHost = hubUrl + "/";
env.allowLocalModels = false;
env.useFSCache = false;
env.useBrowserCache = false;
env.useCustomCache = true;
env.customCache = transformersCache({ hubUrl });
const tokenizer = await AutoTokenizer.from_pretrained(repo);
console.log(JSON.stringify(Array.from(tokenizer.encode(text, { add_special_tokens: false }))));
`;

const hfCache = await mkdtemp(join(tmpdir(), "hubwasm-tfjs-hf-"));
let hub;

async function loadInNode(repo) {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", NODE_LOAD, hub.url, repo, TEXT], {
    env: {
      ...process.env,
      HF_HUB_CACHE: hfCache,
      TRANSFORMERS: join(libDir, "node_modules/@huggingface/transformers/dist/transformers.node.mjs"),
      HUBWASM: join(jsRoot, "dist/node.js"),
    },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

const hubRequests = async () => (await requestLog(hub)).filter((r) => r.method !== "OPTIONS");

describe("transformers.js with transformersCache", () => {
  before(async () => {
    ensureTransformers();
    hub = await startHub();
  });
  after(async () => {
    await hub?.stop();
    await rm(hfCache, { recursive: true, force: true });
  });

  test("Node: loads into the huggingface_hub folder, Python finds the files, a second load asks the Hub nothing, a third loads with the Hub stopped", { timeout: 120_000 }, async () => {
    const repo = await tokenizerRepo(hub);
    await clearRequestLog(hub);
    assert.deepEqual(await loadInNode(repo), IDS, "first load");
    const first = await hubRequests();
    assert.ok(first.some((r) => r.path.endsWith("/resolve/main/tokenizer.json")), "the first load fetched tokenizer.json from the Hub");

    ensurePython();
    const py = spawnSync(venvPython, ["-c", String.raw`
import json, sys
from huggingface_hub import hf_hub_download
out = {}
for name in ("tokenizer.json", "tokenizer_config.json"):
    with open(hf_hub_download(sys.argv[1], name, local_files_only=True), encoding="utf-8") as f:
        out[name] = f.read()
print(json.dumps(out))
`, repo], { env: pythonEnv({ HF_HUB_CACHE: hfCache, HF_HUB_OFFLINE: "1" }), encoding: "utf8" });
    assert.equal(py.status, 0, py.stderr);
    const found = JSON.parse(py.stdout);
    assert.equal(found["tokenizer.json"], FILES["tokenizer.json"], "Python reads tokenizer.json from the folder");
    assert.equal(found["tokenizer_config.json"], FILES["tokenizer_config.json"], "Python reads tokenizer_config.json from the folder");

    await clearRequestLog(hub);
    assert.deepEqual(await loadInNode(repo), IDS, "second load");
    assert.deepEqual(await hubRequests(), [], "requests the Hub logged for the second load");

    await hub.stop();
    try {
      assert.deepEqual(await loadInNode(repo), IDS, "third load, with the Hub stopped");
    } finally {
      hub = await startHub();
    }
  });

  test("Chromium: a page loads the tokenizer, reloads, and loads it again with no Hub request", { timeout: 120_000 }, async () => {
    const repo = await tokenizerRepo(hub);
    // The page's server: hubwasm's build and the library's browser bundle, nothing else.
    const site = await mkdtemp(join(tmpdir(), "hubwasm-tfjs-site-"));
    await symlink(join(jsRoot, "dist"), join(site, "dist"));
    await symlink(join(jsRoot, "wasm"), join(site, "wasm"));
    await symlink(join(libDir, "node_modules/@huggingface/transformers/dist/transformers.js"), join(site, "transformers.js"));
    await writeFile(join(site, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module">
      try {
        const { AutoTokenizer, env } = await import("/transformers.js");
        const { transformersCache } = await import("/dist/index.js");
        const q = new URLSearchParams(location.search);
        env.remoteHost = q.get("hub") + "/";
        env.allowLocalModels = false;
        env.useBrowserCache = false;
        env.useWasmCache = false;
        env.useCustomCache = true;
        env.customCache = transformersCache({ hubUrl: q.get("hub") });
        const tokenizer = await AutoTokenizer.from_pretrained(q.get("repo"));
        window.__result = { ids: Array.from(tokenizer.encode(q.get("text"), { add_special_tokens: false })) };
      } catch (e) {
        window.__result = { error: String(e && e.stack || e) };
      }
    </script>\n`);
    const server = await serveDir(site);
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      const load = async (what) => {
        const result = await (await page.waitForFunction(() => window.__result, null, { timeout: 60_000 })).jsonValue();
        assert.equal(result.error, undefined, `${what}: ${result.error}`);
        assert.deepEqual(result.ids, IDS, what);
      };
      await clearRequestLog(hub);
      const query = new URLSearchParams({ hub: hub.url, repo, text: TEXT });
      await page.goto(`http://127.0.0.1:${server.address().port}/index.html?${query}`);
      await load("first load");
      assert.ok((await hubRequests()).some((r) => r.path.endsWith("/resolve/main/tokenizer.json")), "the first load fetched tokenizer.json from the Hub");
      await clearRequestLog(hub);
      await page.reload();
      await load("after a reload");
      assert.deepEqual(await requestLog(hub), [], "requests the Hub logged after the reload (preflights included)");
    } finally {
      await browser.close();
      server.closeAllConnections();
      server.close();
      await rm(site, { recursive: true, force: true });
    }
  });
});
