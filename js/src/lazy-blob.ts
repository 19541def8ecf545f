/**
 * A `Blob` of a remote file that fetches its bytes as they are read, for uncached downloads in
 * Node: a 10 GB file costs no memory until it is read, and then only what the reader holds.
 * `slice()` costs nothing; reading a slice asks for its bytes alone (`Range`). The first read of
 * the whole file uses the response the download already opened; every later read is a new
 * `downloadFile` call (through the Hub, so a signed URL that expired is signed again) that must
 * answer with the same strong `ETag` — a file that changed in between is an `Integrity` error,
 * never a mix of two versions. Cuts are resumed as in `download-body.ts`.
 *
 * Node's own `Blob` code reads a `Blob`'s internal bytes, which this one does not have: `new
 * Blob([b])`, `new File([b])` and `FormData.append(name, b)` see an empty file there. Reading
 * through the methods (`stream`, `arrayBuffer`, `text`, `bytes`, `slice`) and `new Response(b)`
 * work. Only Node gets it: in workerd, Deno and Bun even `new Response(b)` would be empty.
 */
import { HubError } from "./error.js";
import type { BodySource, Deps } from "./download-body.js";

/** Opens a stream over `[start, end)` of the file (the download's first response when it fits). */
export type Opener = (start: number, end: number) => Promise<ReadableStream<Uint8Array>>;

export class LazyBlob extends Blob {
	readonly #start: number;
	readonly #end: number;
	readonly #open: Opener;

	constructor(open: Opener, start: number, end: number, type: string) {
		super([], { type });
		this.#open = open;
		this.#start = start;
		this.#end = end;
	}

	override get size(): number {
		return this.#end - this.#start;
	}

	override slice(start?: number, end?: number, type?: string): Blob {
		const at = (n: number | undefined, dflt: number) => {
			const v = n === undefined || Number.isNaN(n) ? dflt : Math.trunc(n);
			return Math.min(Math.max(v < 0 ? this.size + v : v, 0), this.size);
		};
		const s = at(start, 0);
		const e = Math.max(at(end, this.size), s);
		return new LazyBlob(this.#open, this.#start + s, this.#start + e, type ?? "");
	}

	override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
		let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
		const empty = this.size === 0;
		return new ReadableStream<Uint8Array<ArrayBuffer>>(
			{
				pull: async (controller) => {
					if (empty) return controller.close();
					reader ??= (await this.#open(this.#start, this.#end)).getReader();
					const r = await reader.read();
					if (r.done) controller.close();
					else controller.enqueue(r.value as Uint8Array<ArrayBuffer>);
				},
				cancel: (reason) => reader?.cancel(reason),
			},
			// Two chunks read ahead: the network and the reader overlap (1 GiB in Node, Blob read to
			// the end: 491 -> 667 MB/s, bench/download-node.mjs), still a bounded queue.
			{ highWaterMark: 2 },
		);
	}

	override async arrayBuffer(): Promise<ArrayBuffer> {
		return (await this.bytes()).buffer;
	}

	/** The bytes, read into one buffer of the Blob's size. */
	override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
		const out = new Uint8Array(this.size);
		let n = 0;
		const reader = this.stream().getReader();
		for (let r = await reader.read(); !r.done; r = await reader.read()) {
			out.set(r.value, n);
			n += r.value.length;
		}
		return out;
	}

	override async text(): Promise<string> {
		return new TextDecoder().decode(await this.bytes());
	}
}

/** `bytes a-b/total` → [a, b + 1, total]. */
function window(resp: Response): [number, number, string] | undefined {
	const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(resp.headers.get("content-range")?.trim() ?? "");
	return m ? [+m[1]!, +m[2]! + 1, m[3]!] : undefined;
}

/**
 * The opener of a file whose first response (`first`: bytes `[from, to)` of a file of `total`
 * bytes, with strong ETag `etag`) is still unread: it serves the first read of exactly those
 * bytes, then asks again with a range.
 */
export function opener(
	first: Response,
	[from, to]: [number, number],
	total: number | undefined,
	etag: string,
	src: BodySource,
	deps: Deps,
	stream: (resp: Response, src: BodySource) => ReadableStream<Uint8Array>,
): Opener {
	let unread: Response | undefined = first;
	const url = deps.redact(first.url || src.wire.path);
	return async (start, end) => {
		if (unread && start === from && end === to) {
			const resp = unread;
			unread = undefined;
			return stream(resp, src);
		}
		if (unread) {
			// The first response cannot serve a part: let its connection go.
			unread.body?.cancel().catch(() => {});
			unread = undefined;
		}
		const range: [number, number] = [start, end];
		const at: BodySource = { ...src, wire: { ...src.wire, range } };
		const resp = await deps.filesCall("downloadFile", at.wire, src.fetch, src.signal);
		const got = resp && window(resp);
		const same = resp?.headers.get("etag") === etag;
		const whole = resp?.status === 200 && start === 0 && end === total;
		if (!resp || !same || !(whole || (resp.status === 206 && got?.[0] === start && got[1] === end && (got[2] === "*" || total === undefined || +got[2] === total)))) {
			resp?.body?.cancel().catch(() => {});
			throw new HubError({
				code: resp ? "Integrity" : "EntryNotFound",
				message: resp
					? `${url} changed since it was opened: bytes ${start}-${end - 1} came back as ${resp.status} ${resp.headers.get("content-range") ?? ""} with ETag ${resp.headers.get("etag")} (it was ${etag})`
					: `${src.wire.path} disappeared after it was opened`,
				url,
			});
		}
		return stream(resp, at);
	};
}
