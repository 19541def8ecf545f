/** The Web Worker behind `useWebWorkers`: hashes the Blobs it is sent with the wasm module. */
import initWasm, { Sha256 } from "../wasm/hubwasm.js";
import { sha256Of } from "./sha256-stream.js";

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
		const hash = await sha256Of(() => new Sha256(), blob, (done) => scope.postMessage({ id, done }));
		scope.postMessage({ id, hash });
	} catch (err) {
		scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
};
