/**
 * The Web Worker behind `useWebWorkers` and off-thread download verification: hashes the Blobs
 * it is sent, or a stream of byte batches, with the hash module (only that one: a worker loads no
 * other).
 */
import initWasm, { Sha256 } from "../wasm/hash.js";
import { sha256Of } from "./sha256-stream.js";

/** A whole Blob to hash; or one batch of a stream (`bytes`), or its end (`end`). */
type Request = { id: number; blob?: Blob; bytes?: ArrayBuffer; end?: boolean };

interface Scope {
	onmessage: ((e: MessageEvent<Request>) => void) | null;
	postMessage(message: unknown, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as Scope;
// The bytes, not the Response: the glue compiles a Response as it is (scripts/trim-glue.mjs), and
// a server may serve the file with another Content-Type; the module is small.
const ready = initWasm({
	module_or_path: fetch(new URL("../wasm/hash_bg.wasm", import.meta.url)).then((r) => {
		if (!r.ok) throw new Error(`the hash module answered ${r.status}`);
		return r.arrayBuffer();
	}),
});
// Says when the module is usable, so a caller can fall back to its own thread if not.
ready.then(
	() => scope.postMessage({ ready: true }),
	(err: unknown) => scope.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) }),
);

/** Streams being hashed, by id. */
const streams = new Map<number, Sha256>();

scope.onmessage = async (e) => {
	const { id, blob, bytes, end } = e.data;
	try {
		await ready;
		if (blob) {
			const hash = await sha256Of(() => new Sha256(), blob, (done) => scope.postMessage({ id, done }));
			scope.postMessage({ id, hash });
			return;
		}
		let h = streams.get(id);
		if (!h) streams.set(id, (h = new Sha256()));
		if (bytes) {
			h.update(new Uint8Array(bytes));
			// Sent back for the next batch: a fresh buffer would cost page faults every time.
			scope.postMessage({ id, hashed: bytes.byteLength, bytes }, [bytes]);
		}
		if (end) {
			streams.delete(id);
			scope.postMessage({ id, hash: h.digest() });
			h.free();
		}
	} catch (err) {
		try {
			streams.get(id)?.free();
		} catch {
			// A trapped module may fail here too; the reply below matters more.
		}
		streams.delete(id);
		scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
};
