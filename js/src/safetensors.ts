/**
 * Reading safetensors headers with Range requests (loaded by the first
 * `parseSafetensorsMetadata` call). A safetensors file is an 8-byte little-endian header length
 * N, N bytes of JSON naming each tensor's dtype, shape and byte span, then the weights: the
 * header says a model's size and dtypes without a byte of weights downloaded. One ranged request
 * reads the first 100 kB, which holds the whole header of most files; a longer header costs one
 * more request for the rest. A sharded model's `*.safetensors.index.json` names its shards,
 * whose headers are then read a few at a time. `downloadFile` is handed in by the caller: a
 * lazily loaded module that imported it would make a bundler move it and what it uses into a
 * chunk of its own, which every page would then fetch (`make size`).
 */
import type { downloadFile as DownloadFile } from "./download-file.js";
import type { fileExists as FileExists } from "./file-exists.js";
import { HubError } from "./error.js";
import type { ParseSafetensorsMetadataParams, SafetensorsHeader, SafetensorsIndex, SafetensorsParseResult, TensorInfo } from "./parse-safetensors-metadata.js";

/** The first read: enough for the whole header of most files. */
const FIRST_READ = 100_000;
/** A header longer than this is refused (as `@huggingface/hub`). */
const MAX_HEADER = 25_000_000;
/** Shard headers read at once. */
const AT_ONCE = 8;

/** Bytes per element of the dtypes whose size is a whole number of bytes. */
const DTYPE_BYTES: Record<string, number> = {
	F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
	F8_E4M3: 1, F8_E5M2: 1, F8_E8M0: 1, C64: 8,
};

const name = (p: ParseSafetensorsMetadataParams) => (typeof p.repo === "string" ? p.repo : p.repo.name);

const bad = (path: string, why: string) =>
	new HubError({ code: "MalformedResponse", message: `${path} is not a safetensors file the client can read: ${why}` });

type Get = typeof DownloadFile;

async function bytes(get: Get, params: ParseSafetensorsMetadataParams, path: string, range: [number, number]): Promise<Uint8Array> {
	const blob = await get({ ...params, path, range, cache: false });
	if (!blob) throw new HubError({ code: "EntryNotFound", message: `${path} does not exist in ${name(params)}` });
	return new Uint8Array(await blob.arrayBuffer());
}

/** Checks one tensor's entry: a dtype, a shape of whole numbers, a byte span that fits it. */
function tensor(path: string, name: string, v: unknown): TensorInfo {
	const t = v as Partial<TensorInfo> | null;
	if (!t || typeof t !== "object" || typeof t.dtype !== "string") throw bad(path, `tensor ${name} has no dtype`);
	if (!Array.isArray(t.shape) || !t.shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw bad(path, `tensor ${name} has no shape of whole numbers`);
	const o = t.data_offsets;
	if (!Array.isArray(o) || o.length !== 2 || !o.every((n) => Number.isSafeInteger(n) && n >= 0) || o[1]! < o[0]!) {
		throw bad(path, `tensor ${name} has no [begin, end] data_offsets`);
	}
	const size = DTYPE_BYTES[t.dtype];
	const count = t.shape.reduce((a, b) => a * b, 1);
	if (size !== undefined && count * size !== o[1]! - o[0]!) throw bad(path, `tensor ${name}: ${count} × ${t.dtype} is not ${o[1]! - o[0]!} bytes`);
	return t as TensorInfo;
}

/** Reads the header of one file: one ranged request, two for a header past the first read. */
async function header(get: Get, params: ParseSafetensorsMetadataParams, path: string): Promise<SafetensorsHeader> {
	let head = await bytes(get, params, path, [0, FIRST_READ - 1]);
	if (head.length < 8) throw bad(path, "it is shorter than its 8-byte header length");
	const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
	if (n === 0n || n > BigInt(MAX_HEADER)) throw bad(path, `its header length is ${n} bytes (at most ${MAX_HEADER})`);
	const end = 8 + Number(n);
	if (head.length < end) {
		const rest = await bytes(get, params, path, [head.length, end - 1]);
		const whole = new Uint8Array(end);
		whole.set(head);
		whole.set(rest, head.length);
		if (head.length + rest.length !== end) throw bad(path, `it ends inside its ${n}-byte header`);
		head = whole;
	}
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(8, end)));
	} catch {
		throw bad(path, "its header is not JSON");
	}
	if (!json || typeof json !== "object" || Array.isArray(json)) throw bad(path, "its header is not a JSON object");
	for (const [name, v] of Object.entries(json)) if (name !== "__metadata__") tensor(path, name, v);
	return json as SafetensorsHeader;
}

/** Parameters per dtype of some headers. */
function count(headers: SafetensorsHeader[]): { parameterCount: Record<string, number>; parameterTotal: number } {
	const parameterCount: Record<string, number> = {};
	let parameterTotal = 0;
	for (const h of headers) {
		for (const [name, t] of Object.entries(h)) {
			if (name === "__metadata__") continue;
			const n = (t as TensorInfo).shape.reduce((a, b) => a * b, 1);
			parameterCount[(t as TensorInfo).dtype] = (parameterCount[(t as TensorInfo).dtype] ?? 0) + n;
			parameterTotal += n;
		}
	}
	return { parameterCount, parameterTotal };
}

/** A single file's header, or a sharded model's index and every shard's header. */
export async function parse(get: Get, exists: typeof FileExists, params: ParseSafetensorsMetadataParams): Promise<SafetensorsParseResult> {
	let path = params.path;
	let sharded = path !== undefined && /\.safetensors\.index\.json$/.test(path);
	if (path !== undefined && !sharded && !/\.safetensors$/.test(path)) {
		throw new HubError({ code: "InvalidInput", message: `parseSafetensorsMetadata: path must name a .safetensors or .safetensors.index.json file, not ${JSON.stringify(path)}` });
	}
	if (path === undefined) {
		if (await exists({ ...params, path: "model.safetensors" })) path = "model.safetensors";
		else if (await exists({ ...params, path: "model.safetensors.index.json" })) [path, sharded] = ["model.safetensors.index.json", true];
		else throw new HubError({ code: "EntryNotFound", message: `${name(params)} has neither model.safetensors nor model.safetensors.index.json` });
	}
	if (!sharded) {
		const h = await header(get, params, path);
		return { sharded: false, header: h, filepaths: [path], ...count([h]) };
	}
	const blob = await get({ ...params, path, cache: false });
	if (!blob) throw new HubError({ code: "EntryNotFound", message: `${path} does not exist in ${name(params)}` });
	let index: SafetensorsIndex;
	try {
		index = JSON.parse(await blob.text()) as SafetensorsIndex;
	} catch {
		throw bad(path, "the index is not JSON");
	}
	const map = index?.weight_map;
	if (!map || typeof map !== "object" || !Object.values(map).every((f) => typeof f === "string" && /\.safetensors$/.test(f) && !f.split("/").includes(".."))) {
		throw bad(path, "the index has no weight_map of tensor → shard file");
	}
	// Shards are named relative to the index's folder.
	const folder = path.slice(0, path.lastIndexOf("/") + 1);
	const shards = [...new Set(Object.values(map))].sort();
	const headers: Record<string, SafetensorsHeader> = {};
	let next = 0;
	const worker = async () => {
		while (next < shards.length) {
			const shard = shards[next++]!;
			headers[shard] = await header(get, params, folder + shard);
		}
	};
	await Promise.all(Array.from({ length: Math.min(AT_ONCE, shards.length) }, worker));
	return { sharded: true, index, headers, filepaths: shards.map((s) => folder + s), ...count(shards.map((s) => headers[s]!)) };
}
