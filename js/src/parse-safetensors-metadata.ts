import { check, STRING } from "./check.js";
import { downloadFile } from "./download-file.js";
import { fileExists } from "./file-exists.js";
import type { RepoParams } from "./types.js";

/** One tensor in a safetensors header. */
export interface TensorInfo {
	dtype: string;
	shape: number[];
	/** Its bytes after the header: `[begin, end)`. */
	data_offsets: [number, number];
}

/** A safetensors header: tensors by name, and the free-form `__metadata__`. */
export type SafetensorsHeader = Record<string, TensorInfo> & { __metadata__?: Record<string, string> };

/** `model.safetensors.index.json`: which shard holds each tensor. */
export interface SafetensorsIndex {
	metadata?: Record<string, unknown>;
	weight_map: Record<string, string>;
}

interface Counts {
	/** Parameters (tensor elements) per dtype, e.g. `{ BF16: 7241732096 }`. */
	parameterCount: Record<string, number>;
	parameterTotal: number;
	/** The files read, from the repo's root. */
	filepaths: string[];
}

export type SafetensorsParseResult =
	| ({ sharded: false; header: SafetensorsHeader } & Counts)
	| ({ sharded: true; index: SafetensorsIndex; headers: Record<string, SafetensorsHeader> } & Counts);

export interface ParseSafetensorsMetadataParams extends RepoParams {
	/** A `.safetensors` file or a `.safetensors.index.json`; without it, `model.safetensors`, else
	 * `model.safetensors.index.json`. */
	path?: string;
}

/**
 * A model's safetensors headers, read with Range requests (no weights downloaded): every
 * tensor's dtype, shape and byte span, and the parameters per dtype, for one file or a sharded
 * model (its index, then each shard's header). A model page can show size and dtypes at once.
 * The code is loaded by the first call. Not a safetensors model: `EntryNotFound`; a header the
 * client cannot read (too long, not JSON, spans that do not fit): `MalformedResponse`.
 */
export async function parseSafetensorsMetadata(params: ParseSafetensorsMetadataParams): Promise<SafetensorsParseResult> {
	check("parseSafetensorsMetadata", params, { path: STRING }, ["repo"]);
	return (await import("./safetensors.js")).parse(downloadFile, fileExists, params);
}
