// Node: `downloadFileToCacheDir` (as in @huggingface/hub) returns the file's path in the
// huggingface_hub cache folder; a second call at that commit makes no request.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearRequestLog, requestLog, startHub } from "./support/hub.mjs";
import * as hubwasm from "../dist/node.js";

const dir = mkdtempSync(join(tmpdir(), "hubwasm-to-cache-dir-"));
let hub;
after(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("downloadFileToCacheDir returns the snapshot path, a link to the verified blob", async () => {
  hub = await startHub();
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/to-cache-dir`;
  await hubwasm.createRepo({ ...c, repo });
  const { commit } = await hubwasm.uploadFiles({ ...c, repo, files: [{ path: "dir/a.txt", content: "hello" }] });
  const p = await hubwasm.downloadFileToCacheDir({ ...c, repo, path: "dir/a.txt", cacheDir: dir });
  assert.equal(p, join(dir, "models--test-user--to-cache-dir", "snapshots", commit.oid, "dir", "a.txt"));
  assert.equal(readFileSync(p, "utf8"), "hello");
  assert.ok(lstatSync(p).isSymbolicLink(), "a link into blobs/, as huggingface_hub lays it out");
  await clearRequestLog(hub);
  const again = await hubwasm.downloadFileToCacheDir({ ...c, repo, revision: commit.oid, path: "dir/a.txt", cacheDir: dir });
  assert.equal(again, p);
  assert.deepEqual(await requestLog(hub), [], "no request at a cached commit");
  await assert.rejects(hubwasm.downloadFileToCacheDir({ ...c, repo, path: "missing.txt", cacheDir: dir }), (e) => e.code === "EntryNotFound");
});

test("snapshotDownload in Node defaults to the huggingface_hub folder and names the snapshot folder", async () => {
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/to-cache-dir`;
  const r = await hubwasm.snapshotDownload({ ...c, repo, cacheDir: dir });
  assert.equal(r.folder, join(dir, "models--test-user--to-cache-dir", "snapshots", r.commitOid));
  assert.equal(readFileSync(join(r.folder, "dir", "a.txt"), "utf8"), "hello");
  assert.deepEqual(r.files.map((f) => f.path), [".gitattributes", "dir/a.txt"]);
});
