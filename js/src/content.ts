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
export async function readSmallFiles(contents: (Blob | BlobLike | undefined)[]): Promise<(BlobLike | undefined)[]> {
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
/**
 * Whether `v` can be a file's content. URLs only with `http:`, `https:` or `blob:` (a page's own
 * objects): `file:`, `data:` or `javascript:` contents are never fetched.
 */
export function isContent(v: unknown): v is ContentSource {
	if (v instanceof URL) return /^(https?|blob):$/.test(v.protocol) && !v.username && !v.password;
	return typeof v === "string" || v instanceof Blob || v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

export async function toBlobLike(content: ContentSource, fetchFn: typeof fetch): Promise<Blob | BlobLike> {
	if (content instanceof Blob) return content;
	// Loaded only by a commit with a URL content: pages that upload local files never fetch it.
	if (content instanceof URL) return (await import("./remote-blob.js")).RemoteBlob.open(content, fetchFn);
	if (typeof content === "string") return new Blob([content]);
	if (content instanceof ArrayBuffer) return new Blob([content]);
	if (ArrayBuffer.isView(content)) {
		return new Blob([new Uint8Array(content.buffer, content.byteOffset, content.byteLength) as Uint8Array<ArrayBuffer>]);
	}
	throw new HubError({ code: "InvalidInput", message: "file content must be a Blob, File, ArrayBuffer, typed array, string or URL" });
}
