/** Turning every accepted kind of file content into something the wasm layer can slice. */
import { HubError } from "./error.js";

/** What a file's content can be given as. */
export type ContentSource = Blob | ArrayBuffer | ArrayBufferView | string | URL;

/** The shape the wasm layer reads: `size`, `slice()` and `arrayBuffer()` on slices. */
export interface BlobLike {
	readonly size: number;
	slice(start?: number, end?: number): BlobLike;
	arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A remote file read lazily with `Range` requests: nothing is downloaded until a slice is read,
 * and then only that slice.
 */
export class RemoteBlob implements BlobLike {
	private constructor(
		private readonly url: string,
		private readonly fetchFn: typeof fetch,
		private readonly start: number,
		private readonly end: number,
	) {}

	/** Learns the size with a `HEAD` request. */
	static async open(url: URL, fetchFn: typeof fetch): Promise<RemoteBlob> {
		let resp: Response;
		try {
			resp = await fetchFn(url.href, { method: "HEAD" });
		} catch (cause) {
			throw new HubError({
				code: "InvalidInput",
				message: `cannot read ${url.href}: the request failed (a URL on another origin must allow CORS)`,
				url: url.href,
				cause,
			});
		}
		const size = Number(resp.headers.get("content-length"));
		if (!resp.ok || !Number.isSafeInteger(size) || size < 0) {
			throw new HubError({
				code: "InvalidInput",
				message: `cannot read ${url.href}: HEAD answered ${resp.status} without a usable Content-Length`,
				status: resp.status,
				url: url.href,
			});
		}
		return new RemoteBlob(url.href, fetchFn, 0, size);
	}

	get size(): number {
		return this.end - this.start;
	}

	slice(start = 0, end = this.size): RemoteBlob {
		const s = Math.min(Math.max(start, 0), this.size);
		const e = Math.min(Math.max(end, s), this.size);
		return new RemoteBlob(this.url, this.fetchFn, this.start + s, this.start + e);
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		if (this.size === 0) return new ArrayBuffer(0);
		const resp = await this.fetchFn(this.url, { headers: { Range: `bytes=${this.start}-${this.end - 1}` } });
		if (resp.status !== 206 && !(resp.status === 200 && this.start === 0)) {
			throw new HubError({
				code: "InvalidInput",
				message: `cannot read bytes ${this.start}-${this.end - 1} of ${this.url}: status ${resp.status}`,
				status: resp.status,
				url: this.url,
			});
		}
		const buf = await resp.arrayBuffer();
		return buf.byteLength === this.size ? buf : buf.slice(0, this.size);
	}
}

/** A `Blob` or a `RemoteBlob` for any accepted content. */
export async function toBlobLike(content: ContentSource, fetchFn: typeof fetch): Promise<Blob | RemoteBlob> {
	if (content instanceof Blob) return content;
	if (content instanceof URL) return RemoteBlob.open(content, fetchFn);
	if (typeof content === "string") return new Blob([content]);
	if (content instanceof ArrayBuffer) return new Blob([content]);
	if (ArrayBuffer.isView(content)) {
		return new Blob([new Uint8Array(content.buffer, content.byteOffset, content.byteLength) as Uint8Array<ArrayBuffer>]);
	}
	throw new HubError({ code: "InvalidInput", message: "file content must be a Blob, File, ArrayBuffer, typed array, string or URL" });
}
