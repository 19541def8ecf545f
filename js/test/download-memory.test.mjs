// Large downloads in Node hold no file in memory: a child process downloads a 512 MiB LFS file
// from the local Hub, reads it to the end and reports its peak RSS (the kernel's VmHWM, so no
// sampling can miss a peak) and the file's SHA-256. Memory is asserted, time is not.
// Also: an uncached Blob's slice asks for its bytes alone, with one ranged request.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MIB = 1 << 20;
const SIZE = 512 * MIB;
/** The bound the issue sets for a 1 GiB file, held here for half of it. */
const LIMIT_MIB = 256;
const variant = process.argv[2];

if (variant) {
  // Child: one download, read to the end; prints { bytes, sha256, peakMiB }.
  const { HUB_URL: hubUrl, HUB_TOKEN: accessToken, REPO: repo, CACHE_DIR: cacheDir } = process.env;
  const hubwasm = await import("../dist/node.js");
  const at = { hubUrl, accessToken, repo, path: "big.bin" };
  const open = {
    blob: () => hubwasm.downloadFile({ ...at, cache: false }),
    stream: () => hubwasm.downloadFile({ ...at, cache: false, stream: true }),
    cache: () => hubwasm.downloadFile({ ...at, cache: new hubwasm.FileSystemCache({ cacheDir }) }),
  }[variant];
  const got = await open();
  const h = createHash("sha256");
  let bytes = 0;
  for await (const chunk of got instanceof Blob ? got.stream() : got) {
    h.update(chunk);
    bytes += chunk.length;
  }
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
  console.log(JSON.stringify({ bytes, sha256: h.digest("hex"), peakMiB: hwm, blob: got instanceof Blob }));
} else {
  const { startHub, requestLog, clearRequestLog } = await import("./support/hub.mjs");
  const hubwasm = await import("../dist/node.js");
  let hub, repo, sha256, cacheDir, data;

  const child = (name) => {
    const env = { ...process.env, HUB_URL: hub.url, HUB_TOKEN: hub.token, REPO: repo, CACHE_DIR: cacheDir };
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], { env, encoding: "utf8" });
    assert.equal(r.status, 0, `the ${name} child failed:\n${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop());
  };

  describe("node: large downloads at bounded memory", () => {
    before(async () => {
      hub = await startHub({ args: ["--multipart-threshold", String(64 * MIB), "--chunk-size", String(64 * MIB)] });
      cacheDir = mkdtempSync(join(tmpdir(), "hubwasm-memory-"));
      repo = `${hub.user}/memory-${process.pid}`;
      const c = { hubUrl: hub.url, accessToken: hub.token };
      await hubwasm.createRepo({ ...c, repo });
      data = new Uint8Array(SIZE);
      // Bytes that differ everywhere (xorshift), so a misplaced range cannot pass for the right one.
      const words = new Uint32Array(data.buffer);
      let x = 0x9e3779b9;
      for (let i = 0; i < words.length; i++) {
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        words[i] = x;
      }
      sha256 = createHash("sha256").update(data).digest("hex");
      await hubwasm.uploadFile({ ...c, repo, file: { path: "big.bin", content: new Blob([data]) } });
    });
    after(async () => {
      await hub?.stop();
      if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    });

    for (const [name, what] of [
      ["blob", "downloadFile without a cache returns a Blob read from the network as it is read"],
      ["stream", "downloadFile({ stream: true }) without a cache"],
      ["cache", "downloadFile with a FileSystemCache, cold (into the folder)"],
      ["cache", "downloadFile with a FileSystemCache, warm (a disk-backed Blob)"],
    ]) {
      test(`${what}: 512 MiB read to the end with peak RSS under ${LIMIT_MIB} MiB`, (t) => {
        const r = child(name);
        t.diagnostic(`peak RSS ${r.peakMiB.toFixed(0)} MiB`);
        assert.equal(r.bytes, SIZE);
        assert.equal(r.sha256, sha256);
        assert.ok(r.peakMiB < LIMIT_MIB, `peak RSS ${r.peakMiB.toFixed(0)} MiB`);
      });
    }

    test("slice(a, b) of an uncached Blob sends one ranged request, for exactly those bytes", async () => {
      const blob = await hubwasm.downloadFile({ hubUrl: hub.url, accessToken: hub.token, repo, path: "big.bin", cache: false });
      assert.ok(blob instanceof Blob);
      assert.equal(blob.size, SIZE);
      await clearRequestLog(hub);
      const [a, b] = [300 * MIB + 12345, 300 * MIB + 12345 + 4 * MIB];
      const part = blob.slice(a, b);
      assert.equal(part.size, b - a);
      assert.deepEqual(new Uint8Array(await part.arrayBuffer()), data.subarray(a, b));
      const ranged = (await requestLog(hub)).filter((r) => r.range);
      // One request for the bytes: the Hub's resolve answers with a redirect (no body), the
      // storage host with the 4 MiB.
      const storage = ranged.filter((r) => r.status === 206);
      assert.equal(storage.length, 1, JSON.stringify(ranged));
      assert.equal(storage[0].range, `bytes=${a}-${b - 1}`);
      // A slice of a slice, and text(), read through the same path.
      const small = part.slice(10, 20);
      assert.deepEqual(new Uint8Array(await small.arrayBuffer()), data.subarray(a + 10, a + 20));
      assert.equal((await blob.slice(-5).arrayBuffer()).byteLength, 5);
      assert.equal(blob.slice(5, 2).size, 0);
    });

    test("a Blob whose file changed on the Hub since it was opened fails with Integrity, never mixes versions", async () => {
      const c = { hubUrl: hub.url, accessToken: hub.token };
      await hubwasm.uploadFile({ ...c, repo, file: { path: "moving.bin", content: new Blob([data.subarray(0, 32 * MIB)]) } });
      const blob = await hubwasm.downloadFile({ ...c, repo, path: "moving.bin", cache: false });
      await hubwasm.uploadFile({ ...c, repo, file: { path: "moving.bin", content: new Blob([data.subarray(MIB, 33 * MIB)]) } });
      await assert.rejects(blob.slice(0, 10).arrayBuffer(), (e) => e.name === "HubError" && e.code === "Integrity");
    });
  });
}
