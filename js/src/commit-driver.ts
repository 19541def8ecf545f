/**
 * Driving the core's commit state machine (the `commit` module, `src/web/commit.rs`) with the
 * caller's `fetch`: reading contents a slice at a time, hashing with the chosen hasher, running
 * requests a few at a time, retrying idempotent steps as the core's policy says, reporting
 * progress, and stopping everything at once on abort or on the first failure.
 */
import { BytesContent, type BlobLike } from "./content.js";
import { discard, headOf, readBody, retrying, send, unwrap, type WireRequest } from "./drive.js";
import { HubError, type HubErrorInit } from "./error.js";
import type { Hasher } from "./hashers.js";
import { commitModule } from "./module-commit.js";
import type { CommitProgressEvent } from "./commit.js";
import type { CommitOptions, CommitResult } from "./wire.js";

export interface CommitRun {
	/** The options for the module (checked there). */
	wire: CommitOptions;
	/** `contents[i]` is the content of `wire.operations[i]` when it adds a file. */
	contents: (BlobLike | undefined)[];
	fetch: typeof fetch;
	signal?: AbortSignal;
	onProgress?: (e: CommitProgressEvent) => void;
	hasher: Hasher;
	files: number;
	parts: number;
	hashing: number;
}

type Module = Awaited<ReturnType<typeof commitModule>>;
type File = { index: number; path: string; size: number };

/** Inline content is folded into a `Blob` every this many bytes, so the JS heap never holds the
 * whole commit body as strings; lines are joined into strings of about `PIECE` (Node sends each
 * part of a body as its own write). */
const FOLD = 16 << 20;
const PIECE = 1 << 20;
const PREUPLOADS_AT_ONCE = 4;

/** Rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<never> {
	return new Promise((_, reject) => {
		if (signal.aborted) reject(signal.reason);
		else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
	});
}

/**
 * Runs `task(0)` … `task(n - 1)`, at most `limit` at a time, until all succeed or one fails; a
 * failure aborts `stop`, so the others' requests end too.
 */
async function bounded(limit: number, n: number, stop: AbortController, task: (i: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < n && !stop.signal.aborted) await task(next++);
	};
	try {
		await Promise.all(Array.from({ length: Math.min(Math.max(limit, 1), n) }, worker));
	} catch (e) {
		stop.abort(e);
		throw e;
	}
	// Stopped between tasks (an abort while none was in flight): the abort is the outcome, never
	// a stage that moves on with tasks not run.
	if (stop.signal.aborted) throw stop.signal.reason;
}

function storage(message: string, cause: unknown): unknown {
	if ((cause as { name?: unknown } | null)?.name === "AbortError") return cause;
	return new HubError({ code: "Storage", message, cause });
}

/** Bytes `[start, end)` of `c` as a request body: the slice itself when it is a real `Blob` (the
 * browser streams it from disk), else its bytes (a copy: `data` may be a view into shared bytes). */
async function bodyOf(c: BlobLike, start: number, end: number): Promise<BodyInit> {
	if (c instanceof Blob) return c.slice(start, end);
	if (c instanceof BytesContent) return c.data.slice(start, end);
	try {
		return new Uint8Array(await c.slice(start, end).arrayBuffer());
	} catch (e) {
		throw storage("cannot read the content (was the file moved or changed?)", e);
	}
}

async function read(c: BlobLike, start: number, end: number): Promise<Uint8Array> {
	if (c instanceof BytesContent) return c.data.subarray(start, end);
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await c.slice(start, end).arrayBuffer());
	} catch (e) {
		throw storage("cannot read the content (was the file moved or changed?)", e);
	}
	if (bytes.length !== end - start) {
		throw new HubError({ code: "Storage", message: `read ${bytes.length} bytes where ${end - start} were expected: did the file change while uploading?` });
	}
	return bytes;
}

export async function runCommit(run: CommitRun): Promise<CommitResult> {
	const m = await commitModule();
	const stop = new AbortController();
	const outer = run.signal;
	const onAbort = () => stop.abort(outer!.reason);
	if (outer?.aborted) throw outer.reason;
	outer?.addEventListener("abort", onAbort, { once: true });
	const adds = run.contents.filter((c): c is BlobLike => c !== undefined);
	const sizes = Float64Array.from(run.wire.operations, (_, i) => run.contents[i]?.size ?? 0);
	const started = unwrap<{ id: number; files: File[]; gitAttributes: number | null }>(m.commitStart(JSON.stringify(run.wire), sizes));
	const id = started.id;
	const progress = (path: string, state: "hashing" | "uploading" | "committed", loaded: number, total: number) =>
		run.onProgress?.({ event: "fileProgress", path, state, progress: total === 0 ? 1 : loaded / total, loaded, total, bytes: loaded });
	const phase = (p: "preuploading" | "hashing" | "uploadingLargeFiles" | "committing") => run.onProgress?.({ event: "phase", phase: p });
	const policy = run.wire.retry;

	/** Sends `req` until `answer` takes the reply, a failure is final, or the policy gives up
	 * (`retrying`: the same policy as every other call's). */
	const sendRetrying = (
		req: WireRequest,
		kind: { commit?: boolean; body?: () => Promise<BodyInit> | BodyInit; storage?: boolean },
		answer: (head: string, body: Uint8Array) => string,
	): Promise<unknown> =>
		retrying({ m, policy, commit: kind.commit, signal: stop.signal }, async () => {
			const resp = await send(req, run.fetch, stop.signal, kind.body && (await kind.body()));
			const head = headOf(resp, req.url);
			// Storage hosts send nothing worth reading for a successful upload.
			const skip = kind.storage && resp.ok;
			if (skip) discard(resp);
			const out = JSON.parse(answer(head, skip ? new Uint8Array(0) : await readBody(resp, req.url))) as { error?: HubErrorInit; done?: unknown };
			if (out.error) throw new HubError(out.error);
			return out.done;
		});

	try {
		// 1. Preupload: the Hub decides regular vs LFS for every added file.
		phase("preuploading");
		const samples = await Promise.all(started.files.map((f) => read(adds[f.index]!, 0, Math.min(f.size, 512))));
		const lengths = Uint32Array.from(samples, (s) => s.length);
		const joined = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
		samples.reduce((at, s) => (joined.set(s, at), at + s.length), 0);
		const ga = started.gitAttributes === null ? undefined : new TextDecoder().decode(await read(adds[started.gitAttributes]!, 0, started.files[started.gitAttributes]!.size));
		const pre = unwrap<{ requests: WireRequest[] }>(m.commitPreupload(id, joined, lengths, ga));
		await bounded(PREUPLOADS_AT_ONCE, pre.requests.length, stop, (k) =>
			sendRetrying(pre.requests[k]!, {}, (h, b) => m.commitAnswer(id, k, h, b)).then(() => {}),
		);
		const next = unwrap<{ hash: File[] } | { ready: true }>(m.commitNext(id));
		if ("hash" in next) await storeLfsFiles(next.hash);

		// 4. The commit itself, its body built from pieces.
		phase("committing");
		if (stop.signal.aborted) throw stop.signal.reason;
		const plan = unwrap<{ request: WireRequest; lines: ({ text: string } | { index: number; prefix: string; suffix: string })[]; committed: File[] }>(m.commitBody(id));
		const body = await commitBody(plan.lines);
		const result = (await sendRetrying(plan.request, { commit: true, body: () => body }, (h, b) => m.commitAnswer(id, 0, h, b))) as CommitResult;
		for (const f of plan.committed) progress(f.path, "committed", f.size, f.size);
		return result;
	} finally {
		outer?.removeEventListener("abort", onAbort);
		m.commitEnd(id);
	}

	/** 2. Hash the LFS files, 3. ask the LFS batch and upload what the Hub lacks. */
	async function storeLfsFiles(files: File[]): Promise<void> {
		phase("hashing");
		await bounded(run.hashing, files.length, stop, async (k) => {
			const f = files[k]!;
			progress(f.path, "hashing", 0, f.size);
			let oid: string;
			try {
				const work = run.hasher(adds[f.index]!, (done) => progress(f.path, "hashing", done, f.size), stop.signal, f.path);
				// An abort ends the wait at once, whether or not the hasher listens to the signal.
				oid = await Promise.race([work, aborted(stop.signal)]);
			} catch (e) {
				throw storage(`hashing ${f.path} failed`, e);
			}
			unwrap(m.commitSetSha256(id, k, oid));
			progress(f.path, "hashing", f.size, f.size);
		});
		phase("uploadingLargeFiles");
		const batch = unwrap<{ requests: WireRequest[] }>(m.commitNext(id));
		for (let k = 0; k < batch.requests.length; k++) {
			await sendRetrying(batch.requests[k]!, {}, (h, b) => m.commitAnswer(id, k, h, b));
		}
		const { uploads } = unwrap<{ uploads: File[] }>(m.commitNext(id));
		await bounded(run.files, uploads.length, stop, (u) => upload(u, uploads[u]!));
		unwrap(m.commitNext(id));
	}

	/** Runs upload `u` stage by stage until the object is stored. */
	async function upload(u: number, f: File): Promise<void> {
		const content = adds[f.index]!;
		let sent = 0;
		let reported = false;
		for (;;) {
			const step = unwrap<{ done: true } | { send: { request: WireRequest; content: [number, number] | null }[] }>(m.uploadAdvance(id, u));
			if ("done" in step) {
				// Stored already (nothing was sent, and nothing needed to be), or stored now.
				if (!reported) progress(f.path, "uploading", f.size, f.size);
				return;
			}
			if (!reported) progress(f.path, "uploading", 0, f.size);
			reported = true;
			await bounded(run.parts, step.send.length, stop, async (i) => {
				const t = step.send[i]!;
				const range = t.content;
				await sendRetrying(t.request, range ? { storage: true, body: () => bodyOf(content, range[0], range[1]) } : {}, (h, b) =>
					m.uploadAnswer(id, u, i, h, b),
				);
				if (range) {
					sent += range[1] - range[0];
					progress(f.path, "uploading", sent, f.size);
				}
			});
		}
	}

	async function commitBody(lines: ({ text: string } | { index: number; prefix: string; suffix: string })[]): Promise<Blob> {
		let folded: Blob | undefined;
		let parts: (string | Blob)[] = [];
		let piece = "";
		let pending = 0;
		const push = (line: string) => {
			pending += line.length;
			if (line.length >= PIECE) {
				if (piece) parts.push(piece);
				piece = "";
				parts.push(line);
			} else {
				piece += line;
				if (piece.length >= PIECE) {
					parts.push(piece);
					piece = "";
				}
			}
			if (pending >= FOLD) {
				folded = new Blob(folded ? [folded, ...parts, piece] : [...parts, piece]);
				parts = [];
				piece = "";
				pending = 0;
			}
		};
		for (const line of lines) {
			if ("text" in line) push(line.text);
			else {
				const c = adds[line.index]!;
				push(line.prefix + m.base64(await read(c, 0, c.size)) + line.suffix);
			}
		}
		return new Blob(folded ? [folded, ...parts, piece] : [...parts, piece], { type: "application/x-ndjson" });
	}
}
