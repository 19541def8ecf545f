/** The Web Worker behind `useWebWorkers`: hashes the Blobs it is sent with the wasm module. */
import initWasm, { hashSha256 } from "../wasm/hubwasm.js";

interface Scope {
	onmessage: ((e: MessageEvent<{ id: number; blob: Blob }>) => void) | null;
	postMessage(message: unknown): void;
}

const scope = globalThis as unknown as Scope;
const ready = initWasm({ module_or_path: new URL("../wasm/hubwasm_bg.wasm", import.meta.url) });

scope.onmessage = async (e) => {
	const { id, blob } = e.data;
	try {
		await ready;
		let last = 0;
		const hash = (await hashSha256(blob, undefined, (done: number) => {
			// Report at most every 8 MiB read (the slice size) so messages stay few.
			if (done > last) {
				last = done;
				scope.postMessage({ id, done });
			}
		})) as string;
		scope.postMessage({ id, hash });
	} catch (err) {
		scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
};
