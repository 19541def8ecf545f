/**
 * The body of an uncached download, read so that a cut is never a file: when the connection
 * drops or the body ends before its announced length, the rest is asked for again with
 * `Range: bytes=N-` (the `downloadFile` call with a range, so through the Hub and a fresh signed
 * URL) after the wait the retry policy says, and taken only if it is provably the rest of the same
 * file: a 206 starting at byte N, of the same total length, with the same strong `ETag`. When the
 * policy gives up, or the rest cannot be checked, the body fails with a `HubError` `Network`
 * (never a raw `TypeError`, never a short `Blob`). A resumed whole file whose `ETag` from the Hub
 * names its hash (git blob SHA-1, or SHA-256) is verified before the `Blob` is returned.
 *
 * Loaded with the first uncached download only (the cache has its own resuming writer). It
 * imports nothing the page's main chunk holds: what it needs of those modules comes in `deps`,
 * so a bundler keeps it one lazy chunk instead of moving the shared modules into a chunk of their
 * own that every page then fetches (`make size`).
 */
import { HubError } from "./error.js";
import { LazyBlob, opener } from "./lazy-blob.js";
import type * as Drive from "./drive.js";
import type * as Files from "./module-files.js";
import type * as Read from "./read-stream.js";
import type { RetryOptions } from "./types.js";
import type * as Verify from "./verify.js";
import type { FileOptions } from "./wire.js";

/** What the reader uses of the modules the page has loaded already. */
export interface Deps {
	filesCall: typeof Files.filesCall;
	files: typeof Files.files;
	retryDelay: typeof Drive.retryDelay;
	sleep: typeof Drive.sleep;
	isAbort: typeof Drive.isAbort;
	redact: typeof Drive.redact;
	verifier: typeof Verify.verifier;
	readBlob: typeof Read.readBlob;
}

/** What the download was asked with, to ask for the rest. */
export interface BodySource {
	wire: FileOptions & { retry?: RetryOptions };
	fetch: typeof fetch;
	signal: AbortSignal | undefined;
}

/** A Blob is built of pieces of this size (Node's `Response.blob()` holds a body twice and reads
 * back slowly; a Blob of pieces reads back at memory speed). */
const PIECE = 16 << 20;

/** `bytes a-b/total` → [a, b + 1, total] (total `undefined` for `*`). */
function contentRange(resp: Response): [number, number, number | undefined] | undefined {
	const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(resp.headers.get("content-range")?.trim() ?? "");
	return m ? [+m[1]!, +m[2]! + 1, m[3] === "*" ? undefined : +m[3]!] : undefined;
}

/** A strong validator, or nothing (a weak one may name other bytes at the same offsets). */
function strongEtag(resp: Response): string | undefined {
	const e = resp.headers.get("etag") ?? undefined;
	return e && !e.startsWith("W/") ? e : undefined;
}

class Resuming {
	/** Where the bytes of the current answer start in the file, where they end (exclusive, when
	 * known) and the file's whole length (when known). */
	private start = 0;
	private end: number | undefined;
	private total: number | undefined;
	private etag: string | undefined;
	/** Bytes read from `start` on. */
	got = 0;
	resumed = false;
	private retry = 0;
	private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	private byob: ReadableStreamBYOBReader | undefined;
	/** With `reuse`, the buffer a BYOB read fills (the read moves it; the answer gives it back). */
	private scratch: ArrayBuffer | undefined;
	readonly url: string;

	constructor(
		private resp: Response,
		private readonly src: BodySource,
		private readonly deps: Deps,
	) {
		this.url = deps.redact(resp.url || src.wire.path);
		this.adopt(resp);
	}

	/** Takes an answer's window: the first one, or a fresh one when nothing was read yet. */
	private adopt(resp: Response): void {
		const range = contentRange(resp);
		const encoded = (resp.headers.get("content-encoding") ?? "identity") !== "identity";
		const length = resp.headers.get("content-length");
		if (resp.status === 206 && range) {
			[this.start, this.end, this.total] = range;
		} else {
			// A 200 is the whole file; its length counts only where it is the file's, not an encoding's.
			this.start = 0;
			this.end = this.total = resp.status === 200 && !encoded && length !== null ? +length : undefined;
		}
		this.etag = strongEtag(resp);
		this.resp = resp;
	}

	/**
	 * The next bytes, or `undefined` at the end of the file. With `reuse`, where the body is a byte
	 * stream, the bytes are read into one buffer reused from read to read (valid until the next
	 * read): no new buffer per chunk for the garbage collector (`bodyBlob` copies them out).
	 */
	async read(reuse = false): Promise<Uint8Array | undefined> {
		for (;;) {
			let cause: unknown;
			try {
				if (!this.reader && !this.byob && this.resp.body) {
					if (reuse) {
						try {
							this.byob = this.resp.body.getReader({ mode: "byob" });
						} catch {
							// Not a byte stream: its own chunks.
						}
					}
					if (!this.byob) this.reader = this.resp.body.getReader();
				}
				let r: ReadableStreamReadResult<Uint8Array>;
				if (this.byob) {
					// A failed read keeps the buffer it was given: the next one starts a fresh one.
					const left = this.end === undefined ? Infinity : this.end - this.start - this.got;
					const buf = this.scratch ?? new ArrayBuffer(Math.max(1, Math.min(1 << 20, left)));
					this.scratch = undefined;
					r = await this.byob.read(new Uint8Array(buf));
					if (r.value) this.scratch = r.value.buffer as ArrayBuffer;
				} else if (this.reader) r = await this.reader.read();
				else r = { done: true, value: undefined };
				if (!r.done) {
					this.got += r.value.length;
					return r.value;
				}
				if (this.end === undefined || this.start + this.got >= this.end) return undefined;
			} catch (e) {
				if (this.deps.isAbort(e) || this.src.signal?.aborted) throw e;
				cause = e;
			}
			await this.resume(cause);
		}
	}

	/** After a cut (`cause`) or an early end: waits, then asks for the rest, or throws `Network`. */
	private async resume(cause: unknown): Promise<void> {
		const at = this.start + this.got;
		const fail = (why: string) =>
			new HubError({
				code: "Network",
				message: `the download of ${this.url} broke off at byte ${at}${this.end === undefined ? "" : ` of ${this.end}`}: ${why}`,
				url: this.url,
				cause,
			});
		this.cancel(cause);
		// Bytes already read can only be continued when the rest can be checked to belong to them.
		if (this.got > 0 && (this.etag === undefined || this.end === undefined)) throw fail("no ETag and length to resume against");
		const gaveUp = fail("the retries were used up");
		const { retryDelay, files, sleep, filesCall } = this.deps;
		const ms = retryDelay({ m: await files(), policy: this.src.wire.retry, signal: this.src.signal }, this.retry++, gaveUp);
		if (ms < 0) throw gaveUp;
		await sleep(ms, this.src.signal);
		const end = this.got > 0 ? this.end : this.src.wire.range?.[1];
		// Nothing read yet: the same request again.
		const range: [number] | [number, number] | undefined = this.got === 0 && !this.src.wire.range ? undefined : end === undefined ? [at] : [at, end];
		let resp: Response | null;
		try {
			resp = await filesCall("downloadFile", { ...this.src.wire, range }, this.src.fetch, this.src.signal);
		} catch (e) {
			throw e instanceof HubError && e.code === "Network" ? fail(e.message) : e;
		}
		if (!resp) throw new HubError({ code: "EntryNotFound", message: `${this.src.wire.path} disappeared during the download`, url: this.url });
		if (this.got === 0) return this.adopt(resp);
		const r = contentRange(resp);
		if (resp.status !== 206 || !r || r[0] !== at || r[1] !== this.end || (this.total !== undefined && r[2] !== undefined && r[2] !== this.total) || strongEtag(resp) !== this.etag) {
			resp.body?.cancel().catch(() => {});
			throw fail(`the rest (${resp.status} ${resp.headers.get("content-range") ?? ""}, ETag ${resp.headers.get("etag")}) is not of the same file`);
		}
		this.resumed = true;
		this.resp = resp;
	}

	/** The hash the Hub named the whole file by, if this is the whole file and the Hub said. */
	hash(hub: string): string | undefined {
		const e = this.etag?.replace(/"/g, "").toLowerCase();
		const fromHub = this.resp.url !== "" && new URL(this.resp.url).origin === new URL(hub).origin;
		return fromHub && this.start === 0 && this.end === this.total && e && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(e) ? e : undefined;
	}

	cancel(reason: unknown): void {
		(this.byob ?? this.reader)?.cancel(reason).catch(() => {});
		this.reader = this.byob = undefined;
	}
}

/** Node proper (not Deno or Bun, which pose as Node but whose `Response` would not read a
 * `LazyBlob`). */
function isNode(): boolean {
	const g = globalThis as { process?: { release?: { name?: string } }; Deno?: unknown; Bun?: unknown };
	return g.process?.release?.name === "node" && g.Deno === undefined && g.Bun === undefined;
}

/**
 * In Node, a file larger than one piece whose bytes can be asked for again (a strong ETag, a
 * known length, no encoding) becomes a `LazyBlob`: read from the network as it is read.
 */
function lazily(resp: Response, src: BodySource, deps: Deps, type: string): Blob | undefined {
	const etag = strongEtag(resp);
	const length = Number(resp.headers.get("content-length") ?? NaN);
	const encoded = (resp.headers.get("content-encoding") ?? "identity") !== "identity";
	if (!isNode() || !etag || encoded || !(length > PIECE)) return undefined;
	const r = contentRange(resp);
	const span: [number, number] | undefined = resp.status === 200 ? [0, length] : resp.status === 206 && r ? [r[0], r[1]] : undefined;
	if (!span || span[1] - span[0] !== length) return undefined;
	const total = resp.status === 200 ? length : r![2];
	return new LazyBlob(opener(resp, span, total, etag, src, deps, (re, s) => bodyStream(re, s, deps)), span[0], span[1], type);
}

/** The whole body of `resp` as a `Blob`, cuts resumed (see the module's doc). */
export async function bodyBlob(resp: Response, src: BodySource, deps: Deps): Promise<Blob> {
	const type = resp.headers.get("content-type") ?? "";
	const lazy = lazily(resp, src, deps, type);
	if (lazy) return lazy;
	const body = new Resuming(resp, src, deps);
	// Chunks are read into one reused buffer and copied into one reused piece, a Blob made of
	// each full piece: the page makes no garbage per chunk (in Chromium, a 1 GiB download grew
	// the renderer by 545 MiB of chunks waiting for a collection).
	const length = Number(resp.headers.get("content-length"));
	const piece = new Uint8Array(length > 0 ? Math.min(PIECE, length) : PIECE);
	const pieces: Blob[] = [];
	let n = 0;
	for (let c = await body.read(true); c; c = await body.read(true)) {
		for (let at = 0; at < c.length; ) {
			const take = Math.min(piece.length - n, c.length - at);
			piece.set(c.subarray(at, at + take), n);
			n += take;
			at += take;
			if (n === piece.length) {
				pieces.push(new Blob([piece]));
				n = 0;
			}
		}
	}
	pieces.push(new Blob([piece.subarray(0, n)]));
	const blob = new Blob(pieces, { type });
	const hash = body.resumed ? body.hash(src.wire.hubUrl ?? "https://huggingface.co") : undefined;
	if (hash) {
		const v = await deps.verifier(hash, blob.size, src.signal);
		try {
			await deps.readBlob(blob, (c) => v.update(c), src.signal);
			if ((await v.matches()) === false) {
				throw new HubError({ code: "Integrity", message: `the resumed download of ${body.url} does not match its ETag ${hash}`, url: body.url });
			}
		} finally {
			v.free();
		}
	}
	return blob;
}

/** The body of `resp` as a stream that resumes cuts; it fails with the `HubError` when it cannot. */
export function bodyStream(resp: Response, src: BodySource, deps: Deps): ReadableStream<Uint8Array> {
	const body = new Resuming(resp, src, deps);
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const c = await body.read();
				if (c) controller.enqueue(c);
				else controller.close();
			},
			cancel(reason) {
				body.cancel(reason);
			},
		},
		// Two chunks read ahead, as lazy-blob.ts: the next read overlaps the caller's work.
		{ highWaterMark: 2 },
	);
}
