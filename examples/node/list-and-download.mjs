// List a repo and download its files with hubwasm from Node.
//
//   HF_ENDPOINT=http://127.0.0.1:PORT HF_TOKEN=hf_... node examples/node/list-and-download.mjs user/repo
//
// In your own project, import from "hubwasm" instead of the relative path.
import { downloadFile, downloadFileWithInfo, fileDownloadInfo, listFiles, snapshotDownload } from "../../js/dist/node.js";

/**
 * Lists every file of `repo` and downloads each one; returns what happened, with timings. With a
 * `cache` (e.g. `new FileSystemCache()`), the listing and the files come from the cache when they
 * are there: a second run at a commit makes no request at all.
 */
export async function listAndDownload({ repo, hubUrl, accessToken, revision = "main", cache }) {
	const params = { repo, hubUrl, accessToken, revision };
	if (cache) {
		const t0 = performance.now();
		const snap = await snapshotDownload({ ...params, cache });
		const listMs = performance.now() - t0;
		const downloads = [];
		for (const f of snap.files) {
			const t = performance.now();
			const r = await downloadFileWithInfo({ ...params, revision: snap.commitOid, path: f.path, cache });
			downloads.push({ path: f.path, size: r.size, etag: r.etag, ms: performance.now() - t, blob: r.blob, source: f.source });
		}
		return { files: snap.files, listMs, downloads };
	}
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
			source: "network",
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
