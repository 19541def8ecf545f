import { splitRepo } from "./params.js";
import type { RepoParams } from "./types.js";
import { wasm } from "./wasm.js";

export interface DownloadFileParams extends RepoParams {
	path: string;
	/** Download the raw git file (the pointer, for LFS files). */
	raw?: boolean;
	/** Only bytes `[start, end)`; `end` omitted means to the end of the file. */
	range?: [number, number?];
	/** Return the body as a `ReadableStream` instead of a `Blob`. */
	stream?: boolean;
}

/**
 * Downloads a file. Returns a `Blob` (or, with `stream: true`, a `ReadableStream`), or `null`
 * when the file does not exist. The body is streamed from the network, never copied into
 * WebAssembly memory, and the access token is sent to the Hub only, never to storage hosts.
 */
export async function downloadFile(params: DownloadFileParams & { stream: true }): Promise<ReadableStream<Uint8Array> | null>;
export async function downloadFile(params: DownloadFileParams & { stream?: false }): Promise<Blob | null>;
export async function downloadFile(params: DownloadFileParams): Promise<Blob | ReadableStream<Uint8Array> | null>;
export async function downloadFile(params: DownloadFileParams): Promise<Blob | ReadableStream<Uint8Array> | null> {
	const { wire, fetch, signal } = splitRepo(params, {
		path: params.path,
		raw: params.raw ?? false,
		range: params.range?.filter((n) => n !== undefined),
	});
	const w = await wasm();
	const resp = (await w.downloadFile(wire, fetch, signal)) as Response | null;
	if (!resp) {
		return null;
	}
	if (params.stream) {
		return resp.body ?? new Blob([]).stream();
	}
	return resp.blob();
}
