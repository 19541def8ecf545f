// Cross-check helper run by the Python suite: the official @huggingface/hub client uploads a
// local file to, or downloads a file from, the hub-server at $HUB_URL (token $HUB_TOKEN).
//   node cross.mjs download <repo> <path> <out-file>   → {"size":…,"sha256":…}
//   node cross.mjs upload   <repo> <path> <in-file>    → {"commit":…}
//   node cross.mjs cache    <repo> <path> <cache-dir> [revision]  → {"file":…} (HF cache layout)
//   node cross.mjs snapshot <repo> -    <cache-dir>   → {"folder":…} (whole repo into the cache)
// The last stdout line is the JSON result.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { downloadFile, downloadFileToCacheDir, snapshotDownload, uploadFile } from "@huggingface/hub";

const [cmd, repo, path, file, revision] = process.argv.slice(2);
const hubUrl = process.env.HUB_URL;
const accessToken = process.env.HUB_TOKEN;
if (!hubUrl || !accessToken || !cmd || !repo || !path || !file) {
  console.error("usage: HUB_URL=… HUB_TOKEN=… node cross.mjs download|upload <repo> <path> <file>");
  process.exit(2);
}

if (cmd === "download") {
  const blob = await downloadFile({ repo, path, hubUrl, accessToken });
  if (!blob) throw new Error(`${repo}/${path}: not found`);
  const bytes = Buffer.from(await blob.arrayBuffer());
  await writeFile(file, bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  console.log(JSON.stringify({ size: bytes.length, sha256 }));
} else if (cmd === "upload") {
  const content = new Blob([await readFile(file)]);
  const out = await uploadFile({
    repo,
    file: { path, content },
    hubUrl,
    accessToken,
    commitTitle: `Upload ${path} from @huggingface/hub`,
  });
  console.log(JSON.stringify({ commit: out?.commit?.oid ?? null }));
} else if (cmd === "cache") {
  const out = await downloadFileToCacheDir({ repo, path, hubUrl, accessToken, cacheDir: file, revision });
  console.log(JSON.stringify({ file: out }));
} else if (cmd === "snapshot") {
  const folder = await snapshotDownload({ repo, hubUrl, accessToken, cacheDir: file, revision });
  console.log(JSON.stringify({ folder }));
} else {
  console.error(`unknown command ${cmd}`);
  process.exit(2);
}
