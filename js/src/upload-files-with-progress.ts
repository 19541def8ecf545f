import { commitAs, type CommitOutput, type CommitProgressEvent } from "./commit.js";
import { commitParams, type UploadFilesParams } from "./upload-files.js";

/** `uploadFilesWithProgress`'s options: those of `uploadFiles`. */
export interface UploadFilesWithProgressParams extends UploadFilesParams {}

/**
 * Uploads files in one commit, yielding progress events as they happen (a bar per file:
 * hashing, uploading, committed), and returns the commit.
 */
export async function* uploadFilesWithProgress(
	params: UploadFilesWithProgressParams,
): AsyncGenerator<CommitProgressEvent, CommitOutput> {
	const events: CommitProgressEvent[] = [];
	let wake: (() => void) | undefined;
	const notify = () => {
		wake?.();
		wake = undefined;
	};
	let settled = false;
	const done = commitAs("uploadFilesWithProgress", {
		...commitParams("uploadFilesWithProgress", params),
		onProgress: (e) => {
			events.push(e);
			params.onProgress?.(e);
			notify();
		},
	}).finally(() => {
		settled = true;
		notify();
	});
	// Keep an unobserved failure from becoming an unhandled rejection while we are yielding.
	done.catch(() => {});
	while (!settled || events.length) {
		const e = events.shift();
		if (e) {
			yield e;
		} else if (!settled) {
			await new Promise<void>((r) => (wake = r));
		}
	}
	return await done;
}
