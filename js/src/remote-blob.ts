/** Remote files as commit contents, read a slice at a time. */
import type { BlobLike } from "./content.js";
import { HubError } from "./error.js";

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
		/** The whole file's size, as its HEAD said. */
		private readonly total: number,
	) {}

	/** Learns the size with a `HEAD` request. */
	static async open(url: URL, fetchFn: typeof fetch): Promise<RemoteBlob> {
		let resp: Response;
		try {
			resp = await fetchFn(url.href, { method: "HEAD" });
		} catch (cause) {
			throw new HubError({
				code: "Network",
				message: `cannot read ${url.href}: the request failed (a URL on another origin must allow CORS)`,
				url: url.href,
				cause,
			});
		}
		if (!resp.ok) {
			throw new HubError({
				code: resp.status >= 500 ? "Http" : "InvalidInput",
				message: `cannot read ${url.href}: HEAD answered ${resp.status}`,
				status: resp.status,
				url: url.href,
			});
		}
		const length = resp.headers.get("content-length");
		const size = length === null || length.trim() === "" ? NaN : Number(length);
		// Without a length we cannot know what to commit: refuse rather than guess 0.
		if (!Number.isSafeInteger(size) || size < 0) {
			throw new HubError({
				code: "InvalidInput",
				message: `cannot read ${url.href}: HEAD gave no usable Content-Length (a cross-origin server must also expose it)`,
				url: url.href,
			});
		}
		return new RemoteBlob(url.href, fetchFn, 0, size, size);
	}

	get size(): number {
		return this.end - this.start;
	}

	slice(start = 0, end = this.size): RemoteBlob {
		const s = Math.min(Math.max(start, 0), this.size);
		const e = Math.min(Math.max(end, s), this.size);
		return new RemoteBlob(this.url, this.fetchFn, this.start + s, this.start + e, this.total);
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		if (this.size === 0) return new ArrayBuffer(0);
		const last = this.end - 1;
		const resp = await this.fetchFn(this.url, { headers: { Range: `bytes=${this.start}-${last}` } });
		const range = resp.headers.get("content-range");
		// A server may ignore Range for a read from the start and send the whole file.
		const whole = resp.status === 200 && this.start === 0;
		if (!whole && !(resp.status === 206 && (range === null || range.replace(/\s+/g, " ").startsWith(`bytes ${this.start}-${last}/`)))) {
			throw new HubError({
				code: resp.status >= 500 ? "Http" : "InvalidInput",
				message: `cannot read bytes ${this.start}-${last} of ${this.url}: status ${resp.status}${range ? `, Content-Range ${range}` : ""}`,
				status: resp.status,
				url: this.url,
			});
		}
		const buf = await resp.arrayBuffer();
		// Exactly the slice, or exactly the whole file: anything else means the file changed since
		// its size was read, and a cut or padded copy must never be committed.
		if (buf.byteLength !== (whole ? this.total : this.size)) {
			throw new HubError({
				code: "InvalidInput",
				message: `${this.url} changed while it was being read (${buf.byteLength} bytes where ${whole ? this.total : this.size} were expected)`,
				url: this.url,
			});
		}
		return whole ? buf.slice(0, this.end) : buf;
	}
}

