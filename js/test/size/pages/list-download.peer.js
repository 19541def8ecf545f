// The same page with @huggingface/hub.
import { downloadFile, listFiles } from "@huggingface/hub";

const q = new URLSearchParams(location.search);
const opts = { repo: q.get("repo"), hubUrl: q.get("hub"), accessToken: location.hash.slice(1) };
const paths = [];
for await (const f of listFiles(opts)) paths.push(f.path);
const blob = await downloadFile({ ...opts, path: "config.json" });
window.__result = { paths, text: await blob.text() };
