// SHA-256 of a 256 MiB Blob in headless Chromium: hubwasm against @huggingface/hub's browser
// hashing, hash-wasm and one-shot WebCrypto; and the Worker pool's speed-up across files.
import { fileURLToPath } from "node:url";
import { launchChromium, serveDir } from "../js/test/support/browser.mjs";
import { table } from "./lib.mjs";

const MIB = Number(process.env.BENCH_SHA_MIB ?? 256);
const root = fileURLToPath(new URL("../", import.meta.url));
const server = await serveDir(root, ["/bench/", "/js/dist/", "/js/wasm/"]);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/sha256.html`);
  await page.waitForFunction(() => window.ready);
  const { rows, pool, cores } = await page.evaluate((mib) => window.run(mib), MIB);
  const version = browser.version();
  table(`SHA-256, ${MIB} MiB Blob, Chromium ${version} (best of 3)`, rows, "@huggingface/hub __internal_sha256");
  table(`Worker pool, 4 files of ${MIB / 8} MiB, ${cores} cores`, pool, "4 files, one after another, main thread");
} finally {
  await browser.close();
  server.close();
}
