// FileSystemCache (dist/cache/filesystem.js) and the official Python client (huggingface_hub from
// the conformance venv) read each other's cache, against the local Hub.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importBuilt } from "./support/runner.mjs";
import { clearRequestLog, requestLog, startHub } from "./support/hub.mjs";
import { bytes, gitSha1, put, removeTemps, sha256, tempDir } from "./support/fs-cache.mjs";
import { ensurePython, pythonEnv, venvPython } from "./support/python.mjs";

const { FileSystemCache } = await importBuilt(
  new URL("../dist/cache/filesystem.js", import.meta.url),
  "build the package first (`make build-js`, or `npx tsc -p tsconfig.json` in js/).",
);

after(removeTemps);

// One Python process per step: reads a JSON list of operations, prints a JSON list of results.
const PY = String.raw`
import hashlib, json, os, sys
from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download, try_to_load_from_cache
from huggingface_hub.file_download import repo_folder_name
from huggingface_hub._tree_cache import read_tree_cache

def digest(path):
    with open(path, "rb") as f:
        data = f.read()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

out = []
for op in json.loads(sys.argv[1]):
    kind = op.pop("op")
    try:
        if kind == "download":
            p = hf_hub_download(**op)
            out.append({"path": p, "islink": os.path.islink(p), "target": os.readlink(p) if os.path.islink(p) else None, **digest(p)})
        elif kind == "try_cache":
            p = try_to_load_from_cache(**op)
            out.append({"path": p if isinstance(p, str) else None})
        elif kind == "snapshot":
            d = snapshot_download(**op)
            files = sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs)
            out.append({"path": d, "files": files})
        elif kind == "scan":
            info = scan_cache_dir(op["cache_dir"])
            repos = []
            for r in info.repos:
                revs = sorted(
                    ({"commit": v.commit_hash, "refs": sorted(v.refs),
                      "files": sorted((f.file_name if False else str(f.file_path.relative_to(v.snapshot_path)), f.size_on_disk, f.blob_path.name) for f in v.files)}
                     for v in r.revisions), key=lambda x: x["commit"])
                repos.append({"repo_id": r.repo_id, "repo_type": r.repo_type, "revisions": revs, "size": r.size_on_disk})
            out.append({"repos": sorted(repos, key=lambda x: x["repo_id"]), "warnings": [str(w) for w in info.warnings],
                        "size": info.size_on_disk})
        elif kind == "tree":
            folder = os.path.join(op["cache_dir"], repo_folder_name(repo_id=op["repo_id"], repo_type=op.get("repo_type", "model")))
            t = read_tree_cache(folder, op["commit"])
            out.append(None if t is None else {k: {"size": v.size, "blob_id": v.blob_id, "lfs_sha256": v.lfs_sha256, "lfs_size": v.lfs_size} for k, v in t.items()})
        else:
            raise ValueError(kind)
    except Exception as e:
        out.append({"error": type(e).__name__, "message": str(e)})
print(json.dumps(out))
`;

/** Runs PY with a clean huggingface_hub environment (no token file, no proxies, no xet). */
function python(ops, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(venvPython, ["-c", PY, JSON.stringify(ops)], { cwd: tmpdir(), env: pythonEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`python exited ${code}\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`python printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}

describe("FileSystemCache ↔ huggingface_hub (Python)", () => {
  let hub;
  let hubApi;
  let repoId;
  let commit;
  let prCommit;
  const regular = bytes('{"model_type": "interop"}\n');
  // A zero byte makes the local Hub (like the real one) store it with LFS.
  const lfs = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
  const prFile = bytes("only on the pull request\n");
  const files = {
    "config.json": { data: regular, etag: gitSha1(regular) },
    "weights/model.bin": { data: lfs, etag: sha256(lfs) },
  };

  before(async () => {
    ensurePython();
    hubApi = await importBuilt(new URL("../dist/node.js", import.meta.url), "build the package first (dist/ and wasm/ in js/).");
    hub = await startHub();
    const name = `cache-interop-${Date.now().toString(36)}`;
    repoId = `${hub.user}/${name}`;
    const common = { hubUrl: hub.url, accessToken: hub.token, repo: { type: "model", name: repoId } };
    await hubApi.createRepo(common);
    const out = await hubApi.uploadFiles({
      ...common,
      files: Object.entries(files).map(([path, f]) => ({ path, content: new Blob([f.data]) })),
    });
    commit = out.commit.oid;
    const pr = await hubApi.uploadFiles({ ...common, isPullRequest: true, files: [{ path: "pr.txt", content: new Blob([prFile]) }] });
    prCommit = pr.commit.oid;
    assert.match(commit, /^[0-9a-f]{40}$/);
    assert.match(prCommit, /^[0-9a-f]{40}$/);
  });
  after(() => hub?.stop());

  test("the fixture: one regular file, one LFS file (etag = sha256), one file on refs/pr/1", async () => {
    const info = await hubApi.pathsInfo({ hubUrl: hub.url, accessToken: hub.token, repo: repoId, paths: Object.keys(files) });
    const byPath = Object.fromEntries(info.map((e) => [e.path, e]));
    assert.equal(byPath["config.json"].oid, files["config.json"].etag);
    assert.equal(byPath["config.json"].lfs, undefined);
    assert.equal(byPath["weights/model.bin"].lfs?.oid, files["weights/model.bin"].etag);
    const pr = await hubApi.pathsInfo({ hubUrl: hub.url, accessToken: hub.token, repo: repoId, revision: "refs/pr/1", paths: ["pr.txt"] });
    assert.equal(pr[0]?.oid, gitSha1(prFile));
  });

  test("Python downloads (online), then FileSystemCache reads Python's cache with no network", async () => {
    const home = await tempDir("hubwasm-hfhome-");
    const env = { HF_HOME: home, HF_ENDPOINT: hub.url, HF_TOKEN: hub.token };
    const got = await python(
      [
        { op: "download", repo_id: repoId, filename: "config.json", revision: "main" },
        { op: "download", repo_id: repoId, filename: "weights/model.bin" },
        { op: "download", repo_id: repoId, filename: "pr.txt", revision: "refs/pr/1" },
        { op: "snapshot", repo_id: repoId, revision: commit },
      ],
      env,
    );
    for (const r of got) assert.equal(r.error, undefined, JSON.stringify(r));
    assert.equal(got[0].target, `../../blobs/${files["config.json"].etag}`, "Python's link, as we write it");
    assert.equal(got[1].target, `../../../blobs/${files["weights/model.bin"].etag}`);

    // From here on only the files: FileSystemCache has no network code at all.
    const cache = new FileSystemCache({ env: { HF_HOME: home } });
    assert.equal(cache.root, join(home, "hub"));
    assert.deepEqual((await cache.getRef(`models/${repoId}`, "main"))?.commit, commit);
    assert.deepEqual((await cache.getRef(`models/${repoId}`, "refs/pr/1"))?.commit, prCommit, "refs/refs/pr/1 written by Python");
    for (const [path, f] of Object.entries(files)) {
      const entry = await cache.getEntry(`models/${repoId}`, commit, path);
      assert.deepEqual(entry, { etag: f.etag, size: f.data.length }, path);
      const blob = await cache.readBlob(entry.etag, entry.size);
      assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), f.data, path);
    }
    const pr = await cache.getEntry(`models/${repoId}`, prCommit, "pr.txt");
    assert.deepEqual(pr, { etag: gitSha1(prFile), size: prFile.length });

    // snapshot_download cached the commit's tree listing: we read Python's trees/<commit>.json.
    const listing = await cache.getTree(`models/${repoId}`, commit);
    assert.ok(listing, "trees/<commit>.json from snapshot_download");
    const byPath = Object.fromEntries(listing.map((f) => [f.path, f]));
    assert.equal(byPath["config.json"].oid, files["config.json"].etag);
    assert.equal(byPath["weights/model.bin"].lfs?.oid, files["weights/model.bin"].etag);
    assert.equal(byPath["weights/model.bin"].size, lfs.length);

    const listed = await cache.list();
    assert.deepEqual(
      listed.filter((e) => e.commitOid === commit && e.path in files).map((e) => [e.path, e.revisions, e.etag]).sort(),
      [["config.json", ["main"], files["config.json"].etag], ["weights/model.bin", ["main"], files["weights/model.bin"].etag]],
    );

    // Python's filelock leaves empty lock files behind; they must not block our writers.
    const lock = join(home, "hub", ".locks", `models--${repoId.replace("/", "--")}`, `${files["config.json"].etag}.lock`);
    assert.equal(await readFile(lock, "utf8"), "", "Python left its (empty) lock file");
    const w = await Promise.race([
      cache.openWriter(files["config.json"].etag, regular.length),
      new Promise((_, rej) => setTimeout(() => rej(new Error("blocked by Python's lock file")), 5000)),
    ]);
    assert.equal(w.offset, 0);
    await w.abort(true);
  });

  test("FileSystemCache writes (refs, links, blobs, tree), then Python finds every file offline", async () => {
    const home = await tempDir("hubwasm-hfhome-");
    const cache = new FileSystemCache({ env: { HF_HOME: home } });
    const repo = `models/${repoId}`;
    // What the download code does: ref, entry, blob (verified), in that order.
    await cache.putRef(repo, "main", commit);
    await cache.putRef(repo, "refs/pr/1", prCommit);
    for (const [path, f] of Object.entries(files)) {
      await cache.putEntry(repo, commit, path, { etag: f.etag, size: f.data.length });
      await put(cache, f.etag, f.data, 3);
    }
    await cache.putEntry(repo, prCommit, "pr.txt", { etag: gitSha1(prFile), size: prFile.length });
    await put(cache, gitSha1(prFile), prFile);
    await cache.putTree(repo, commit, [
      { path: "config.json", size: regular.length, oid: files["config.json"].etag },
      { path: "weights/model.bin", size: lfs.length, oid: "0".repeat(40), lfs: { oid: files["weights/model.bin"].etag, size: lfs.length } },
    ]);

    // No network: HF_HUB_OFFLINE=1 and an endpoint nobody listens on.
    const env = { HF_HOME: home, HF_HUB_OFFLINE: "1", HF_ENDPOINT: "http://127.0.0.1:9" };
    const got = await python(
      [
        { op: "download", repo_id: repoId, filename: "config.json" },
        { op: "download", repo_id: repoId, filename: "weights/model.bin", revision: "main", local_files_only: true },
        { op: "download", repo_id: repoId, filename: "config.json", revision: commit, local_files_only: true },
        { op: "download", repo_id: repoId, filename: "pr.txt", revision: "refs/pr/1", local_files_only: true },
        { op: "try_cache", repo_id: repoId, filename: "weights/model.bin" },
        { op: "snapshot", repo_id: repoId, revision: "main", local_files_only: true },
        { op: "scan", cache_dir: join(home, "hub") },
        { op: "tree", cache_dir: join(home, "hub"), repo_id: repoId, commit },
        { op: "download", repo_id: repoId, filename: "not-cached.txt", local_files_only: true },
      ],
      env,
    );
    const [cfg, model, cfgAtCommit, pr, tried, snap, scan, tree, missing] = got;
    for (const r of got.slice(0, 8)) assert.equal(r?.error, undefined, JSON.stringify(r));
    assert.deepEqual([cfg.sha256, cfg.size], [sha256(regular), regular.length]);
    assert.deepEqual([model.sha256, model.size], [sha256(lfs), lfs.length]);
    assert.equal(model.path, join(home, "hub", `models--${repoId.replace("/", "--")}`, "snapshots", commit, "weights", "model.bin"));
    assert.equal(cfgAtCommit.sha256, sha256(regular));
    assert.equal(pr.sha256, sha256(prFile));
    assert.equal(tried.path, model.path);
    assert.deepEqual(snap.files, ["config.json", join("weights", "model.bin")]);
    assert.equal(missing.error, "LocalEntryNotFoundError", "and a file we never cached is not invented");

    // Python's cache scanner sees a healthy cache: no warnings, refs and sizes as written.
    assert.deepEqual(scan.warnings, []);
    assert.equal(scan.repos.length, 1);
    const [r] = scan.repos;
    assert.equal(r.repo_id, repoId);
    assert.deepEqual(r.revisions.map((v) => [v.commit, v.refs]).sort(), [[commit, ["main"]], [prCommit, ["refs/pr/1"]]].sort());
    const atCommit = r.revisions.find((v) => v.commit === commit);
    assert.deepEqual(atCommit.files, [
      ["config.json", regular.length, files["config.json"].etag],
      [join("weights", "model.bin"), lfs.length, files["weights/model.bin"].etag],
    ]);
    assert.equal(scan.size, await cache.size());

    // Python reads our trees/<commit>.json.
    assert.deepEqual(tree, {
      "config.json": { size: regular.length, blob_id: files["config.json"].etag, lfs_sha256: null, lfs_size: null },
      "weights/model.bin": { size: lfs.length, blob_id: "0".repeat(40), lfs_sha256: files["weights/model.bin"].etag, lfs_size: lfs.length },
    });
  });
  test("a store that fails to write is a Storage error, not a cut connection: the file is fetched once", async () => {
    const cache = new FileSystemCache({ env: { HF_HOME: await tempDir("hubwasm-hfhome-") } });
    const open = cache.openWriter.bind(cache);
    cache.openWriter = async (etag, size) => {
      const w = await open(etag, size);
      // As a full disk would: the write itself fails, with no quota in its name.
      w.write = async () => {
        throw new Error("ENOSPC: no space left on device");
      };
      return w;
    };
    await clearRequestLog(hub);
    const err = await hubApi.downloadFileWithInfo({ hubUrl: hub.url, accessToken: hub.token, repo: repoId, path: "weights/model.bin", cache }).then(
      () => null,
      (e) => e,
    );
    assert.equal(err?.code, "Storage", String(err));
    assert.match(err.message, /ENOSPC/);
    const gets = (await requestLog(hub)).filter((x) => x.origin === "storage" && x.method === "GET");
    assert.equal(gets.length, 1, JSON.stringify(gets));
  });

  test("hubwasm's own downloads (downloadFileWithInfo, snapshotDownload) into FileSystemCache are found by Python offline", async () => {
    const home = await tempDir("hubwasm-hfhome-");
    const cache = new FileSystemCache({ env: { HF_HOME: home } });
    const common = { hubUrl: hub.url, accessToken: hub.token, repo: repoId, cache };
    const lfsPath = "weights/model.bin";
    const first = await hubApi.downloadFileWithInfo({ ...common, path: lfsPath });
    assert.equal(first.source, "network");
    assert.equal(first.etag, files[lfsPath].etag);
    assert.deepEqual(new Uint8Array(await first.blob.arrayBuffer()), lfs);
    const snap = await hubApi.snapshotDownload({ ...common, revision: "refs/pr/1" });
    assert.equal(snap.commitOid, prCommit);

    // At a commit, a cached file costs no request at all.
    await clearRequestLog(hub);
    const again = await hubApi.downloadFileWithInfo({ ...common, path: lfsPath, revision: commit });
    assert.equal(again.source, "cache");
    assert.deepEqual(await requestLog(hub), []);

    const folder = join(home, "hub", `models--${repoId.replace("/", "--")}`);
    assert.deepEqual(await readdir(join(home, "hub", ".locks")), [`models--${repoId.replace("/", "--")}`], "no staging: blobs went to the repo");
    assert.ok((await readdir(join(folder, "blobs"))).every((n) => !n.includes(".")), "no partials left");

    const env = { HF_HOME: home, HF_HUB_OFFLINE: "1", HF_ENDPOINT: "http://127.0.0.1:9" };
    const [model, pr, cfg, scan] = await python(
      [
        { op: "download", repo_id: repoId, filename: lfsPath, revision: "main" },
        { op: "download", repo_id: repoId, filename: "pr.txt", revision: "refs/pr/1" },
        { op: "download", repo_id: repoId, filename: "config.json", revision: prCommit },
        { op: "scan", cache_dir: join(home, "hub") },
      ],
      env,
    );
    assert.equal(model.sha256, sha256(lfs), JSON.stringify(model));
    assert.equal(pr.sha256, sha256(prFile), JSON.stringify(pr));
    assert.equal(cfg.sha256, sha256(regular), JSON.stringify(cfg));
    assert.deepEqual(scan.warnings, []);
    assert.deepEqual(scan.repos[0].revisions.map((v) => [v.commit, v.refs]).sort(), [[commit, ["main"]], [prCommit, ["refs/pr/1"]]].sort());
  });
});
