// The same page with @huggingface/hub.
import { uploadFiles } from "@huggingface/hub";

const q = new URLSearchParams(location.search);
const opts = { repo: q.get("repo"), hubUrl: q.get("hub"), accessToken: location.hash.slice(1) };
const lfs = new Uint8Array(4096).map((_, i) => (i * 31) & 255);
const out = await uploadFiles({ ...opts, files: [new File(["hello\n"], "hello.txt"), new File([lfs], "weights.bin")] });
window.__result = { commit: out.commit.oid };
