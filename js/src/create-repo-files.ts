/**
 * The files of `createRepo`, read and base64-encoded for the create request (loaded by the
 * first call that has files: most pages never do). `invalid` is handed in, as importing it would
 * split `check.js` into a chunk of its own (see `lazy.ts`).
 */
import type { invalid as Invalid } from "./check.js";
import type { CreateRepoParams } from "./create-repo.js";

/** Standard base64 of bytes, a slice at a time (all of a file's characters at once would overflow the call stack). */
function base64(bytes: Uint8Array): string {
	let s = "";
	for (let i = 0; i < bytes.length; i += 24576) s += btoa(String.fromCharCode(...bytes.subarray(i, i + 24576)));
	return s;
}

/** `files` as the core takes them; a bad entry, or one over 10 MiB, is `InvalidInput` before anything is read. */
export async function encode(files: NonNullable<CreateRepoParams["files"]>, invalid: typeof Invalid): Promise<{ path: string; content: string }[]> {
	const expected = "an array of { path, content } with content a Blob, bytes or a string";
	if (!Array.isArray(files)) throw invalid("createRepo", "files", expected, files);
	const blobs = files.map((f, i) => {
		const c: unknown = f?.content;
		if (typeof f?.path !== "string" || !(c instanceof Blob || c instanceof ArrayBuffer || ArrayBuffer.isView(c) || typeof c === "string")) {
			throw invalid("createRepo", `files[${i}]`, expected, f);
		}
		return { path: f.path, blob: new Blob([c as BlobPart]) };
	});
	// The core refuses more than 10 MiB a file too; this stops a huge Blob before it is read.
	const big = blobs.find((f) => f.blob.size > 10 << 20);
	if (big) throw invalid("createRepo", `files (${big.path})`, "10 MiB at most: create the repo, then upload larger files (by LFS)", `${big.blob.size} bytes`);
	return Promise.all(blobs.map(async (f) => ({ path: f.path, content: base64(new Uint8Array(await f.blob.arrayBuffer())) })));
}
