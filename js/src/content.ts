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

/** Bytes already in memory, shaped like a Blob for the wasm layer: slices are views, reads resolve
 * at once. `source` is the `File` they were read from, which still names them (remembered hashes).
 * The wasm layer reads `data` directly, with no promise per read. */
export class BytesContent implements BlobLike {
	constructor(
		readonly data: Uint8Array,
		readonly source?: Blob,
	) {}

	get size(): number {
		return this.data.length;
	}

	slice(start?: number, end?: number): BytesContent {
		return new BytesContent(this.data.subarray(start, end));
	}

	arrayBuffer(): Promise<ArrayBuffer> {
		return Promise.resolve(this.data.slice().buffer);
	}
}

/** Files up to this size are read whole, once, before a commit (see `readSmallFiles`). */
export const SMALL_FILE = 1 << 20;
/** What `readSmallFiles` may hold in memory at most (Workers have 128 MiB per isolate). */
const SMALL_FILES_TOTAL = 16 << 20;
/** Files read together as one `Blob`, and how many such reads run at once. */
const GROUP_FILES = 64;
const GROUP_BYTES = 2 << 20;
const READS_AT_ONCE = 4;

/**
 * Reads small `Blob`s into memory before a commit. A commit reads a small file twice (a sample
 * for preupload, then all of it for the commit body), and each read of a `Blob` has a fixed cost
 * (about half a millisecond in browsers, tens of microseconds in Node) whatever its size. So
 * files are read once, and many at a time as one `Blob` of them all, then cut apart.
 */
export async function readSmallFiles(contents: (Blob | RemoteBlob | undefined)[]): Promise<(BlobLike | undefined)[]> {
	const out: (BlobLike | undefined)[] = [...contents];
	const groups: number[][] = [];
	let total = 0;
	let bytes = GROUP_BYTES;
	contents.forEach((c, i) => {
		if (!(c instanceof Blob) || c.size > SMALL_FILE || total + c.size > SMALL_FILES_TOTAL) return;
		total += c.size;
		const last = groups[groups.length - 1];
		if (last && last.length < GROUP_FILES && bytes + c.size <= GROUP_BYTES) {
			last.push(i);
			bytes += c.size;
		} else {
			groups.push([i]);
			bytes = c.size;
		}
	});
	const read = async (i: number) => {
		try {
			const blob = contents[i] as Blob;
			out[i] = new BytesContent(new Uint8Array(await blob.arrayBuffer()), blob);
		} catch {
			// Left as it is: the commit reads it again and reports the failure in its terms.
		}
	};
	let next = 0;
	const worker = async () => {
		while (next < groups.length) {
			const group = groups[next++]!;
			const blobs = group.map((i) => contents[i] as Blob);
			const all = await new Blob(blobs).arrayBuffer().then(
				(b) => new Uint8Array(b),
				() => undefined,
			);
			if (all?.length !== blobs.reduce((n, b) => n + b.size, 0)) {
				// One unreadable file (changed on disk, say) fails the whole read: read them one by one.
				for (const i of group) await read(i);
				continue;
			}
			let at = 0;
			group.forEach((i, k) => {
				const size = blobs[k]!.size;
				out[i] = new BytesContent(all.subarray(at, at + size), blobs[k]!);
				at += size;
			});
		}
	};
	await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, groups.length) }, worker));
	return out;
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
