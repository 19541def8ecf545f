// A Cloudflare Worker that serves a Hub repo's files through the Workers Cache API: a small
// caching proxy / model gallery.
//
//   GET /                         this help
//   GET /{ns}/{repo}/             an HTML index of the repo's files (add ?revision=…)
//   GET /{ns}/{repo}/{path}       the file, from the edge cache when it is there (add ?revision=…)
//
// Files at a 40-hex commit are immutable and cached for a year; files at a branch or tag for
// MAX_AGE seconds. The `X-Cache` header says HIT or MISS. Configure with `HUB_URL` (a var,
// default https://huggingface.co) and `HF_TOKEN` (a secret, for private or gated repos).
import { downloadFile, fileDownloadInfo, HubError, listFiles } from "hubwasm";

const MAX_AGE = 300;
const COMMIT = /^[0-9a-f]{40}$/;

export default {
	async fetch(request, env, ctx) {
		const url = new URL(request.url);
		if (request.method !== "GET" && request.method !== "HEAD") return text("only GET and HEAD", 405);
		const [ns, name, ...rest] = url.pathname.split("/").slice(1).map(decodeURIComponent);
		if (!ns || !name) return text(HELP);
		const params = {
			repo: `${ns}/${name}`,
			revision: url.searchParams.get("revision") ?? "main",
			hubUrl: env.HUB_URL || undefined,
			accessToken: env.HF_TOKEN || undefined,
		};
		try {
			const path = rest.join("/");
			return path ? await file(request, params, path, ctx) : await index(params);
		} catch (err) {
			if (err instanceof HubError) {
				const status = err.code === "RepoNotFound" || err.code === "RevisionNotFound" ? 404 : err.status ?? 502;
				return text(`${err.code}: ${err.message}`, status);
			}
			throw err;
		}
	},
};

/** One file, through `caches.default`: the Hub is asked only on a miss. */
async function file(request, params, path, ctx) {
	const cache = caches.default;
	// The cache key is this URL; a private file must not land in a shared cache.
	const cacheable = !params.accessToken;
	if (cacheable) {
		const hit = await cache.match(request.url);
		if (hit) return withHeader(hit, "x-cache", "HIT");
	}
	const info = await fileDownloadInfo({ ...params, path });
	if (!info) return text(`${path}: no such file in ${params.repo}@${params.revision}`, 404);
	const body = await downloadFile({ ...params, path, stream: true });
	if (!body) return text(`${path}: no such file`, 404);
	const immutable = COMMIT.test(params.revision);
	const response = new Response(request.method === "HEAD" ? null : body, {
		headers: {
			"content-type": contentType(path),
			"content-length": String(info.size),
			etag: info.etag,
			"cache-control": `public, max-age=${immutable ? 31536000 : MAX_AGE}${immutable ? ", immutable" : ""}`,
			...(info.commitOid ? { "x-repo-commit": info.commitOid } : {}),
			"x-cache": "MISS",
		},
	});
	if (!cacheable || request.method === "HEAD") return response;
	// Stream to the client and into the cache at once.
	ctx.waitUntil(cache.put(request.url, response.clone()));
	return response;
}

/** An HTML list of the repo's files, each linking to its cached URL. */
async function index(params) {
	const rows = [];
	for await (const f of listFiles({ ...params, recursive: true })) {
		if (f.type !== "file") continue;
		const href = `/${params.repo}/${f.path.split("/").map(encodeURIComponent).join("/")}` +
			(params.revision === "main" ? "" : `?revision=${encodeURIComponent(params.revision)}`);
		rows.push(`<tr><td><a href="${escape(href)}">${escape(f.path)}</a></td><td>${f.size}</td><td>${f.lfs ? "LFS" : ""}</td></tr>`);
	}
	const title = `${params.repo}@${params.revision}`;
	return new Response(
		`<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1>` +
			`<table><thead><tr><th>file</th><th>bytes</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`,
		{ headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
	);
}

const HELP = `hubwasm Hub proxy

GET /{ns}/{repo}/          the repo's files, as an HTML index
GET /{ns}/{repo}/{path}    one file, cached at the edge (X-Cache: HIT|MISS)
?revision=<branch|tag|commit> on either
`;

const TYPES = { json: "application/json", txt: "text/plain; charset=utf-8", md: "text/markdown; charset=utf-8", html: "text/html; charset=utf-8", png: "image/png", jpg: "image/jpeg", wasm: "application/wasm", onnx: "application/octet-stream", safetensors: "application/octet-stream" };
const contentType = (path) => TYPES[path.split(".").pop().toLowerCase()] ?? "application/octet-stream";
const text = (body, status = 200) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function withHeader(response, name, value) {
	const r = new Response(response.body, response);
	r.headers.set(name, value);
	return r;
}
