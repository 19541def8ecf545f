// Node: a Blob that downloadFile returned from the file cache stays readable when a later
// download evicts to a byte budget (eviction spares files handed out to this process).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytes } from "./support/data.mjs";
import { startHub } from "./support/hub.mjs";
import * as hubwasm from "../dist/node.js";

const dir = mkdtempSync(join(tmpdir(), "hubwasm-pin-"));
let hub;
after(async () => {
  await hub?.stop();
  await hubwasm.setCacheBudget({ bytes: undefined });
  rmSync(dir, { recursive: true, force: true });
});

test("eviction never deletes a file whose Blob this process still holds", async () => {
  hub = await startHub();
  const c = { hubUrl: hub.url, accessToken: hub.token };
  const repo = `${hub.user}/pin`;
  await hubwasm.createRepo({ ...c, repo });
  const x = bytes(3 << 20, 1);
  const y = bytes(3 << 20, 2);
  await hubwasm.uploadFiles({ ...c, repo, files: [{ path: "x.bin", content: x }, { path: "y.bin", content: y }] });
  const cache = new hubwasm.FileSystemCache({ cacheDir: dir });
  const held = await hubwasm.downloadFile({ ...c, repo, path: "x.bin", cache });
  await hubwasm.setCacheBudget({ bytes: 4 << 20, cache });
  const other = await hubwasm.downloadFile({ ...c, repo, path: "y.bin", cache });
  assert.equal(Buffer.compare(Buffer.from(await other.arrayBuffer()), y), 0);
  assert.equal(Buffer.compare(Buffer.from(await held.arrayBuffer()), x), 0, "the held Blob still reads");
});
