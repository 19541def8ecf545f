import { body, cachedDownload, checkDownload, wireRange, type DownloadFileWithInfoParams } from "./download-cached.js";
import { splitRepo } from "./params.js";
import { filesCall } from "./module-files.js";

export interface DownloadFileParams extends DownloadFileWithInfoParams {
	/** Return the body as a `ReadableStream` instead of a `Blob`. With a cache, the stream reads the
	 * stored file as it is consumed; in Workers that is the Cache API's response body (its `Blob`
	 * would be the whole file in memory), so `new Response(stream)` passes on a file larger than
	 * the isolate. */
	stream?: boolean;
}

/**
 * Downloads a file. Returns a `Blob` (or, with `stream: true`, a `ReadableStream`), or `null`
 * when the file does not exist. With a cache (the default in browsers) the `Blob` is backed by
 * the cache and verified; see `downloadFileWithInfo` for the rules. The body is never copied
 * into WebAssembly memory, and the access token goes to the Hub only, never to storage hosts.
 */
export async function downloadFile(params: DownloadFileParams & { stream: true }): Promise<ReadableStream<Uint8Array> | null>;
export async function downloadFile(params: DownloadFileParams & { stream?: false }): Promise<Blob | null>;
export async function downloadFile(params: DownloadFileParams): Promise<Blob | ReadableStream<Uint8Array> | null>;
export async function downloadFile(params: DownloadFileParams): Promise<Blob | ReadableStream<Uint8Array> | null> {
	const store = checkDownload("downloadFile", params);
	if (store || params.offline) {
		const r = await cachedDownload(params, store, undefined, params.stream);
		if (!r) return null;
		return params.stream ? (r.blob.stream() as ReadableStream<Uint8Array>) : r.blob;
	}
	const { wire, fetch, signal } = splitRepo(params, {
		path: params.path,
		raw: params.raw ?? false,
		range: wireRange(params.range),
	});
	const resp = await filesCall("downloadFile", wire, fetch, signal);
	if (!resp) {
		return null;
	}
	return body(resp, { wire, fetch, signal }, params.stream);
}
