// parseSafetensorsMetadata (issue 18): safetensors headers read with Range requests, single and
// sharded, with parameter counts; the same in Node, Chromium and workerd.
import { assert, eq, expectHubError, freshRepo, type C, type Hub, refusingFetch } from "./helpers.js";
import type { Case } from "./support/types.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });

/** A safetensors file: the header for `tensors` (name → [dtype, shape, bytes per element]), zeros as weights. */
function safetensors(tensors: Record<string, [string, number[], number]>, metadata?: Record<string, string>): Uint8Array<ArrayBuffer> {
	const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
	let at = 0;
	for (const [name, [dtype, shape, size]] of Object.entries(tensors)) {
		const n = shape.reduce((a, b) => a * b, 1) * size;
		header[name] = { dtype, shape, data_offsets: [at, at + n] };
		at += n;
	}
	const json = new TextEncoder().encode(JSON.stringify(header));
	const out = new Uint8Array(8 + json.length + at);
	new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
	out.set(json, 8);
	return out;
}

/** A fetch that records each request's URL and Range header. */
function recording(): { fetch: typeof fetch; seen: { url: string; range: string | null }[] } {
	const seen: { url: string; range: string | null }[] = [];
	const f: typeof fetch = (input, init) => {
		const url = String(input instanceof Request ? input.url : input);
		seen.push({ url, range: new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get("range") });
		return globalThis.fetch(input, init);
	};
	return { fetch: f, seen };
}

const content = (b: Uint8Array<ArrayBuffer>) => new Blob([b]);

/** The Range headers of the file reads, each once (in browsers the driver's first request with a
 * new `fetch` is sent twice: it learns there that redirects are hidden from it). */
const ranges = (seen: { url: string; range: string | null }[]) => [...new Set(seen.filter((r) => r.url.includes("/resolve/")).map((r) => r.range))];

export const safetensorsCases: Case<Hub>[] = [
	{
		name: "parseSafetensorsMetadata: model.safetensors found and read with one ranged request, parameters per dtype",
		async run(c) {
			const repo = await freshRepo(c, "st-single");
			const file = safetensors({ "a.weight": ["F32", [2, 3], 4], "b.bias": ["BF16", [4], 2], "c.idx": ["I64", [5], 8] }, { format: "pt" });
			await c.hub.uploadFiles({ ...auth(c), repo, files: [{ path: "model.safetensors", content: content(file) }, { path: "config.json", content: new Blob(["{}"]) }] });
			const { fetch, seen } = recording();
			const out = await c.hub.parseSafetensorsMetadata({ ...auth(c), repo, fetch });
			assert(!out.sharded, "a single file");
			eq(out.header["a.weight"], { dtype: "F32", shape: [2, 3], data_offsets: [0, 24] }, "a tensor");
			eq(out.header.__metadata__, { format: "pt" }, "metadata");
			eq(out.parameterCount, { F32: 6, BF16: 4, I64: 5 }, "per dtype");
			eq(out.parameterTotal, 15, "total");
			eq(out.filepaths, ["model.safetensors"], "files");
			eq(ranges(seen), ["bytes=0-99999"], "one ranged read of the file");
		},
	},
	{
		name: "parseSafetensorsMetadata: a header past the first 100 kB takes one more ranged request; a sharded model in a folder",
		async run(c) {
			const repo = await freshRepo(c, "st-sharded");
			const many: Record<string, [string, number[], number]> = {};
			for (let i = 0; i < 2500; i++) many[`layers.${i}.mlp.weight`] = ["F16", [1, 3], 2];
			const big = safetensors(many);
			assert(big.length > 100_000 + 50_000, "the header is past the first read");
			const s1 = safetensors({ "x.weight": ["F32", [10, 10], 4] });
			const s2 = safetensors({ "y.weight": ["BF16", [7], 2], "z.weight": ["F32", [3], 4] });
			const index = { metadata: { total_size: 0 }, weight_map: { "x.weight": "model-00001-of-00002.safetensors", "y.weight": "model-00002-of-00002.safetensors", "z.weight": "model-00002-of-00002.safetensors" } };
			await c.hub.uploadFiles({
				...auth(c),
				repo,
				files: [
					{ path: "big.safetensors", content: content(big) },
					{ path: "sub/model-00001-of-00002.safetensors", content: content(s1) },
					{ path: "sub/model-00002-of-00002.safetensors", content: content(s2) },
					{ path: "sub/model.safetensors.index.json", content: new Blob([JSON.stringify(index)]) },
				],
			});
			const { fetch, seen } = recording();
			const one = await c.hub.parseSafetensorsMetadata({ ...auth(c), repo, path: "big.safetensors", fetch });
			eq(one.parameterTotal, 7500, "2500 tensors of 3");
			eq(ranges(seen).map((r) => r?.split("-")[0]), ["bytes=0", "bytes=100000"], "the rest asked for from where the first read ended");
			const sh = await c.hub.parseSafetensorsMetadata({ ...auth(c), repo, path: "sub/model.safetensors.index.json" });
			assert(sh.sharded, "sharded");
			eq(Object.keys(sh.headers).sort(), ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], "one header per shard");
			eq(sh.filepaths, ["sub/model-00001-of-00002.safetensors", "sub/model-00002-of-00002.safetensors"], "paths from the index's folder");
			eq(sh.parameterCount, { F32: 103, BF16: 7 }, "per dtype across shards");
			eq(sh.index.weight_map["x.weight"], "model-00001-of-00002.safetensors", "the index");
		},
	},
	{
		name: "parseSafetensorsMetadata: no safetensors is EntryNotFound, a broken header MalformedResponse, a wrong path InvalidInput",
		async run(c) {
			const repo = await freshRepo(c, "st-bad");
			const long = new Uint8Array(16);
			new DataView(long.buffer).setBigUint64(0, 30_000_000n, true);
			const notJson = safetensors({});
			notJson.set(new TextEncoder().encode("{x"), 8);
			const lying = safetensors({ "w": ["F32", [4], 4] });
			const text = new TextDecoder().decode(lying.subarray(8));
			lying.set(new TextEncoder().encode(text.replace("[4]", "[5]")), 8);
			await c.hub.uploadFiles({
				...auth(c),
				repo,
				files: [
					{ path: "long.safetensors", content: content(long) },
					{ path: "notjson.safetensors", content: content(notJson) },
					{ path: "lying.safetensors", content: content(lying) },
					{ path: "tiny.safetensors", content: new Blob(["abc"]) },
				],
			});
			await expectHubError(c.hub.parseSafetensorsMetadata({ ...auth(c), repo }), c.hub, "EntryNotFound", "no model.safetensors");
			await expectHubError(c.hub.parseSafetensorsMetadata({ ...auth(c), repo, path: "missing.safetensors" }), c.hub, "EntryNotFound", "a missing file");
			for (const path of ["long.safetensors", "notjson.safetensors", "lying.safetensors", "tiny.safetensors"]) {
				await expectHubError(c.hub.parseSafetensorsMetadata({ ...auth(c), repo, path }), c.hub, "MalformedResponse", path);
			}
			await expectHubError(c.hub.parseSafetensorsMetadata({ ...auth(c), repo, path: "config.json", fetch: refusingFetch }), c.hub, "InvalidInput", "not a safetensors path");
			await expectHubError((c.hub as any).parseSafetensorsMetadata({ ...auth(c), repo, path: 3, fetch: refusingFetch }), c.hub, "InvalidInput", "a path that is not a string");
		},
	},
];
