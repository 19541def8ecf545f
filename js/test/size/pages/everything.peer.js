// The same page with @huggingface/hub.
import * as hub from "@huggingface/hub";

const q = new URLSearchParams(location.search);
const opts = { repo: q.get("repo"), hubUrl: q.get("hub"), accessToken: location.hash.slice(1) };
const paths = [];
for await (const f of hub.listFiles(opts)) paths.push(f.path);
const blob = await hub.downloadFile({ ...opts, path: "config.json" });
const out = await hub.uploadFiles({ ...opts, files: [new File(["hello\n"], "everything.txt")] });
window.__result = { paths, text: await blob.text(), commit: out.commit.oid, functions: Object.entries(hub).filter(([k, v]) => typeof v === "function" && !k.startsWith("__") && !/^class\b/.test(Function.prototype.toString.call(v))).length, exports: Object.keys(hub) };
