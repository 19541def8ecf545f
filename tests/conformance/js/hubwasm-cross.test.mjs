// hubwasm against the official Python client on one local Hub: what hubwasm commits (inline,
// LFS basic, LFS multipart), `huggingface_hub` downloads byte for byte, and what
// `huggingface_hub` uploads, hubwasm downloads byte for byte.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT, startHub, CHUNK_SIZE } from "./hubserver.mjs";
import * as hubwasm from "../../../js/dist/node.js";

const PYTHON = join(REPO_ROOT, ".venv", "bin", "python");
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

function bytes(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

let hub, home;

/** Runs a Python snippet with the official client pointed at the local Hub; returns its JSON. */
function python(code, args) {
  const r = spawnSync(PYTHON, ["-c", code, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      HF_ENDPOINT: hub.url,
      HF_TOKEN: hub.token,
      HF_HOME: home,
      HF_HUB_DISABLE_XET: "1",
      HF_HUB_DISABLE_TELEMETRY: "1",
    },
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `python failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

before(async () => {
  hub = await startHub();
  home = mkdtempSync(join(tmpdir(), "hubwasm-cross-"));
});
after(async () => {
  await hub?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

test("files committed by hubwasm are downloaded byte for byte by huggingface_hub", async () => {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/from-hubwasm`;
  await hubwasm.createRepo({ ...c, repo });
  const files = {
    "config.json": Buffer.from('{"model_type": "cross"}\n'),
    "small.bin": bytes(200_000, 5),
    "big.safetensors": bytes(2 * CHUNK_SIZE + 12345, 6),
  };
  const out = await hubwasm.uploadFiles({ ...c, repo, files: Object.entries(files).map(([path, content]) => ({ path, content })) });
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  const log = await hub.requests();
  assert.ok(log.filter((r) => r.method === "PUT" && hub.isStorage(r)).length >= 3, "the big file went up in parts");
  const got = python(
    `import hashlib, json, sys
from huggingface_hub import hf_hub_download
repo, rev, *paths = sys.argv[1:]
print(json.dumps({p: hashlib.sha256(open(hf_hub_download(repo, p, revision=rev), "rb").read()).hexdigest() for p in paths}))`,
    [repo, out.commit.oid, ...Object.keys(files)],
  );
  for (const [path, content] of Object.entries(files)) assert.equal(got[path], sha256(content), path);
});

test("files uploaded by huggingface_hub are downloaded byte for byte by hubwasm", async () => {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/from-python`;
  const dir = mkdtempSync(join(tmpdir(), "hubwasm-cross-up-"));
  const files = { "notes.txt": Buffer.from("written by python\n"), "weights.bin": bytes(CHUNK_SIZE + 777, 9) };
  for (const [p, b] of Object.entries(files)) writeFileSync(join(dir, p), b);
  try {
    python(
      `import json, sys
from huggingface_hub import HfApi
api = HfApi()
repo, folder = sys.argv[1:]
api.create_repo(repo)
api.upload_folder(repo_id=repo, folder_path=folder)
print(json.dumps({"ok": True}))`,
      [repo, dir],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [path, content] of Object.entries(files)) {
    const blob = await hubwasm.downloadFile({ ...c, repo, path });
    assert.ok(blob, path);
    assert.equal(sha256(Buffer.from(await blob.arrayBuffer())), sha256(content), path);
    const info = await hubwasm.fileDownloadInfo({ ...c, repo, path });
    assert.equal(info.size, content.length, `${path} size`);
  }
  const tree = [];
  for await (const e of hubwasm.listFiles({ ...c, repo, recursive: true })) tree.push(e);
  assert.equal(tree.find((e) => e.path === "weights.bin")?.lfs?.oid, sha256(files["weights.bin"]), "LFS oid");
});

test("refs and history: hubwasm and huggingface_hub see the same branches, tags and commits", async () => {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/refs-cross`;
  await hubwasm.createRepo({ ...c, repo });
  const first = await hubwasm.uploadFile({ ...c, repo, file: { path: "a.txt", content: "a\n" }, commitTitle: "add a" });
  await hubwasm.uploadFile({ ...c, repo, file: { path: "b.txt", content: "b\n" }, commitTitle: "add b" });
  await hubwasm.createBranch({ ...c, repo, branch: "dev", revision: first.commit.oid });
  await hubwasm.createTag({ ...c, repo, tag: "v1", tagMessage: "one", revision: "dev" });
  // Python adds a branch and a tag of its own, then reports everything it sees.
  const py = python(
    `import json, sys
from huggingface_hub import HfApi
api = HfApi()
repo = sys.argv[1]
api.create_branch(repo, branch="py-branch", revision="main")
api.create_tag(repo, tag="py-tag", tag_message="from python", revision="dev")
refs = api.list_repo_refs(repo, include_pull_requests=True)
ref = lambda r: {"name": r.name, "ref": r.ref, "targetCommit": r.target_commit}
commits = api.list_repo_commits(repo)
print(json.dumps({
  "branches": sorted([ref(r) for r in refs.branches], key=lambda r: r["name"]),
  "tags": sorted([ref(r) for r in refs.tags], key=lambda r: r["name"]),
  "pullRequests": [ref(r) for r in refs.pull_requests],
  "commits": [{"oid": x.commit_id, "title": x.title, "authors": x.authors} for x in commits],
  "dev": api.list_repo_commits(repo, revision="dev")[0].commit_id,
}))`,
    [repo],
  );
  const refs = await hubwasm.listRepoRefs({ ...c, repo, includePullRequests: true });
  const byName = (a, b) => (a.name < b.name ? -1 : 1);
  assert.deepEqual([...refs.branches].sort(byName), py.branches, "branches");
  assert.deepEqual([...refs.tags].sort(byName), py.tags, "tags");
  assert.deepEqual(refs.pullRequests, py.pullRequests, "pull requests");
  const history = [];
  for await (const x of hubwasm.listCommits({ ...c, repo, batchSize: 1 })) history.push(x);
  assert.deepEqual(history.map((x) => ({ oid: x.oid, title: x.title, authors: x.authors.map((a) => a.username) })), py.commits, "history");
  assert.equal(await hubwasm.countCommits({ ...c, repo }), py.commits.length, "count");
  assert.equal(await hubwasm.resolveRevision({ ...c, repo, revision: "dev" }), py.dev, "dev");
  assert.equal(await hubwasm.resolveRevision({ ...c, repo, revision: "py-tag" }), first.commit.oid, "Python's tag");
  await hubwasm.deleteBranch({ ...c, repo, branch: "py-branch" });
  await hubwasm.deleteTag({ ...c, repo, tag: "py-tag" });
  const after = python(
    `import json, sys
from huggingface_hub import HfApi
refs = HfApi().list_repo_refs(sys.argv[1])
print(json.dumps({"branches": sorted(r.name for r in refs.branches), "tags": sorted(r.name for r in refs.tags)}))`,
    [repo],
  );
  assert.deepEqual(after, { branches: ["dev", "main"], tags: ["v1"] }, "what hubwasm deleted is gone for Python");
});

test("info, search and likes: hubwasm and huggingface_hub give the same answers", async () => {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const tag = `cross-${Date.now().toString(36)}`;
  const names = [];
  for (const [i, downloads] of [[0, 7], [1, 30], [2, 12]]) {
    const repo = `${hub.user}/${tag}-${i}`;
    await hubwasm.createRepo({ ...c, repo });
    const card = `---\ntags: [${tag}]\nlicense: mit\nlibrary_name: transformers\npipeline_tag: ${i === 1 ? "fill-mask" : "text-generation"}\n---\n# ${i}\n`;
    await hubwasm.uploadFile({ ...c, repo, file: { path: "README.md", content: card } });
    const r = await fetch(`${hub.url}/__admin/stats`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ repo, type: "model", downloads }) });
    assert.ok(r.ok, `admin stats: ${r.status}`);
    names.push(repo);
  }
  await hubwasm.like({ ...c, repo: names[2] });
  const py = python(
    `import json, sys
from huggingface_hub import HfApi
api = HfApi()
tag, first = sys.argv[1], sys.argv[2]
info = api.model_info(first, expand=["cardData", "tags", "pipeline_tag", "library_name", "likes", "downloads", "sha", "private", "gated", "lastModified"])
found = api.list_models(filter=tag, sort="downloads", expand=["downloads", "pipeline_tag", "likes"])
print(json.dumps({
  "info": {"name": info.id, "sha": info.sha, "task": info.pipeline_tag, "library": info.library_name, "license": info.card_data.license, "tags": sorted(info.tags), "likes": info.likes, "downloads": info.downloads},
  "found": [[m.id, m.downloads, m.pipeline_tag, m.likes] for m in found],
  "masks": [m.id for m in api.list_models(filter=tag, pipeline_tag="fill-mask")],
  "likers": [u.username for u in api.list_repo_likers(sys.argv[3])],
}))`,
    [tag, names[0], names[2]],
  );
  const info = await hubwasm.modelInfo({ ...c, name: names[0], additionalFields: ["cardData", "tags", "library_name", "sha"] });
  assert.deepEqual(
    { name: info.name, sha: info.sha, task: info.task, library: info.library_name, license: info.cardData.license, tags: [...info.tags].sort(), likes: info.likes, downloads: info.downloads },
    py.info,
    "modelInfo",
  );
  const found = [];
  for await (const m of hubwasm.listModels({ ...c, search: { tags: [tag] }, sort: "downloads" })) found.push([m.name, m.downloads, m.task, m.likes]);
  assert.deepEqual(found, py.found, "listModels by downloads");
  const masks = [];
  for await (const m of hubwasm.listModels({ ...c, search: { tags: [tag], task: "fill-mask" } })) masks.push(m.name);
  assert.deepEqual(masks, py.masks, "listModels by task");
  const likers = [];
  for await (const u of hubwasm.listRepoLikers({ ...c, repo: names[2] })) likers.push(u.username);
  assert.deepEqual(likers, py.likers, "likers");
  // What Python takes back, hubwasm no longer sees.
  python(`import sys\nfrom huggingface_hub import HfApi\nHfApi().unlike(sys.argv[1])\nprint("{}")`, [names[2]]);
  assert.equal((await hubwasm.modelInfo({ ...c, name: names[2] })).likes, 0, "unliked by Python");
});

test("uploadFolder and upload_folder: the same folder and patterns leave the same files", async () => {
  const o = { hubUrl: hub.url, accessToken: hub.token };
  const folder = mkdtempSync(join(tmpdir(), "hubwasm-cross-folder-"));
  const files = {
    "a.txt": "A", "sub/b.bin": "B", "logs/run.txt": "L", "notes.md": "N", "weird name.txt": "W",
    ".git/HEAD": "ref", "sub/.git/config": "c", ".cache/huggingface/x": "m",
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, p)), { recursive: true });
    writeFileSync(join(folder, p), text);
  }
  const seed = ["ckpt/old.bin", "ckpt/keep.txt", "ckpt/a.txt", "other/x.bin", "ckpt/deep/y.bin"];
  const run = Date.now().toString(36);
  const ours = `${hub.user}/cross-folder-js-${run}`;
  const theirs = `${hub.user}/cross-folder-py-${run}`;
  for (const repo of [ours, theirs]) {
    await hubwasm.createRepo({ ...o, repo });
    await hubwasm.uploadFiles({ ...o, repo, files: seed.map((path) => ({ path, content: new Blob([path]) })) });
  }
  const patterns = { allow: ["*.txt", "*.bin"], ignore: "logs/", del: "*.bin" };
  await hubwasm.uploadFolder({ ...o, repo: ours, folder, pathInRepo: "ckpt", allowPatterns: patterns.allow, ignorePatterns: patterns.ignore, deletePatterns: patterns.del });
  python(
    `import json, sys
from huggingface_hub import HfApi
HfApi().upload_folder(repo_id=sys.argv[1], folder_path=sys.argv[2], path_in_repo="ckpt",
    allow_patterns=json.loads(sys.argv[3]), ignore_patterns=sys.argv[4], delete_patterns=sys.argv[5])
print(json.dumps(True))`,
    [theirs, folder, JSON.stringify(patterns.allow), patterns.ignore, patterns.del],
  );
  const list = (repo) => python(
    `import json, sys
from huggingface_hub import HfApi
print(json.dumps(sorted(HfApi().list_repo_files(sys.argv[1]))))`,
    [repo],
  );
  const [a, b] = [list(ours), list(theirs)];
  assert.deepEqual(a, b, "the same files");
  assert.deepEqual(a, [".gitattributes", "ckpt/a.txt", "ckpt/keep.txt", "ckpt/sub/b.bin", "ckpt/weird name.txt", "other/x.bin"]);
  rmSync(folder, { recursive: true, force: true });
});
