// List a repo and download its files with hubwasm from Node.
//
//   HF_ENDPOINT=http://127.0.0.1:PORT HF_TOKEN=hf_... node examples/node/list-and-download.mjs user/repo
//
// In your own project, import from "hubwasm" instead of the relative path.
import { downloadFile, fileDownloadInfo, listFiles } from "../../js/dist/node.js";

/** Lists every file of `repo` and downloads each one; returns what happened, with timings. */
export async function listAndDownload({ repo, hubUrl, accessToken, revision = "main" }) {
	const params = { repo, hubUrl, accessToken, revision };
	const t0 = performance.now();
	const files = [];
	for await (const entry of listFiles({ ...params, recursive: true })) {
		if (entry.type === "file") files.push(entry);
	}
	const listMs = performance.now() - t0;
	const downloads = [];
	for (const f of files) {
		const t = performance.now();
		const info = await fileDownloadInfo({ ...params, path: f.path });
		const blob = await downloadFile({ ...params, path: f.path });
		downloads.push({
			path: f.path,
			size: blob?.size ?? 0,
			etag: info?.etag,
			ms: performance.now() - t,
			blob,
		});
	}
	return { files, listMs, downloads };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const repo = process.argv[2];
	if (!repo) {
		console.error("usage: node examples/node/list-and-download.mjs <namespace/repo>");
		process.exit(2);
	}
	const r = await listAndDownload({
		repo,
		hubUrl: process.env.HF_ENDPOINT ?? "https://huggingface.co",
		accessToken: process.env.HF_TOKEN,
	});
	console.log(`listed ${r.files.length} files in ${r.listMs.toFixed(1)} ms`);
	for (const d of r.downloads) console.log(`${d.path}\t${d.size} B\t${d.ms.toFixed(1)} ms`);
}
