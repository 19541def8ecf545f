// Shared by the FileSystemCache tests (cache-filesystem*.test.mjs, cache-lock.test.mjs).
import { createHash } from "node:crypto";
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const C1 = "1".repeat(40);
export const C2 = "2".repeat(40);
export const REPO = "models/me/tiny";
export const FOLDER = "models--me--tiny";

const enc = new TextEncoder();
export const bytes = (s) => enc.encode(s);
export const exists = (p) => lstat(p).then(() => true, () => false);
export const gitSha1 = (b) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
export const sha256 = (b) => createHash("sha256").update(b).digest("hex");

const temps = [];
/** A fresh folder under the OS temp dir, removed by `removeTemps()`. */
export async function tempDir(prefix = "hubwasm-fscache-") {
  const d = await mkdtemp(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
export const removeTemps = () => Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));

/** Writes a whole blob through the store's writer (resuming where it left off), in `chunks` writes. */
export async function put(store, etag, data, chunks = 1) {
  const w = await store.openWriter(etag, data.length);
  const step = Math.max(1, Math.ceil((data.length - w.offset) / chunks));
  for (let i = w.offset; i < data.length; i += step) await w.write(data.subarray(i, i + step));
  await w.complete();
}

/** Every path below dir (files, links, folders), sorted, relative. */
export async function tree(dir) {
  return (await readdir(dir, { recursive: true })).sort();
}
