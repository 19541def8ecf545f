// SHA-256 of a 256 MiB Blob in Node: hubwasm (wasm, and the node:crypto path its Node entry
// uses) against @huggingface/hub's own hashing, hash-wasm, node:crypto and one-shot WebCrypto.
import { createHash, webcrypto } from "node:crypto";
import { __internal_sha256 as hfSha256 } from "@huggingface/hub";
import { createSHA256 } from "hash-wasm";
import "../js/dist/node.js";
import { platformHasher } from "../js/dist/hashers.js";
import { wasmHasher } from "../js/dist/worker-pool.js";
import { makeData, measure, table } from "./lib.mjs";

const SIZE = Number(process.env.BENCH_SHA_MIB ?? 256) * 1048576;
const blob = new Blob([makeData(SIZE)]);
const hex = (buf) => Buffer.from(buf).toString("hex");

async function drainGen(gen) {
  let r;
  while (!(r = await gen.next()).done);
  return r.value;
}

const rows = [];
const add = async (name, fn, note) => rows.push({ name, note, ...(await measure(SIZE, fn)) });

await add("hubwasm (wasm, BYOB Blob reads)", () => wasmHasher(blob, () => {}));
await add("hubwasm (Node entry: node:crypto, slices)", () => platformHasher()(blob, () => {}));
await add("@huggingface/hub __internal_sha256", () => drainGen(hfSha256(blob)));
await add("hash-wasm (Blob.stream())", async () => {
  const h = await createSHA256();
  h.init();
  for await (const chunk of blob.stream()) h.update(chunk);
  return h.digest("hex");
});
await add("node:crypto (Blob.stream())", async () => {
  const h = createHash("sha256");
  for await (const chunk of blob.stream()) h.update(chunk);
  return h.digest("hex");
});
await add("WebCrypto one-shot (whole file in memory)", async () => hex(await webcrypto.subtle.digest("SHA-256", await blob.arrayBuffer())));

table(`SHA-256, ${SIZE / 1048576} MiB Blob, Node ${process.version} (best of 3)`, rows, "@huggingface/hub __internal_sha256");
