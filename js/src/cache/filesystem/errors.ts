/**
 * File-system failures as `HubError`s. Every `FileSystemCache` method and every blob writer method
 * runs its disk work through `guarded`, so a caller never sees a raw Node errno error: a name too
 * long, a file where a folder is needed (or the reverse), a permission refused, a full disk, a
 * cacheDir that is no folder (`/dev/null`) are `Storage` errors naming the path; a path Node refuses
 * outright (`ERR_INVALID_ARG_*`, a NUL byte) is `InvalidInput`. `HubError`s and `AbortError`s pass
 * through untouched.
 */
import { HubError } from "../../error.js";
import { code } from "./files.js";

/** What an errno means for the cache, in words. */
const WHY: Record<string, string> = {
	ENAMETOOLONG: "a name is too long for the file system",
	ENOENT: "no such file or folder (and none can be made there)",
	ENOTDIR: "a file is where a folder is needed",
	EISDIR: "a folder is where a file is needed",
	EACCES: "permission denied",
	EPERM: "operation not permitted",
	ENOSPC: "no space left on the device",
	EDQUOT: "the disk quota is exceeded",
	EROFS: "the file system is read-only",
	EMFILE: "too many open files",
	ENFILE: "too many open files",
	ELOOP: "too many levels of symbolic links",
	EIO: "an input/output error",
	EFBIG: "the file is too large for the file system",
	EXDEV: "a link across file systems",
	EBUSY: "the file is busy",
};

const isAbort = (e: unknown) => (e as { name?: unknown } | null)?.name === "AbortError";

/** `e` (caught while the cache worked on `where`) as the error a caller sees. */
export function storageError(e: unknown, where: string): unknown {
	if (e instanceof HubError || isAbort(e)) return e;
	const c = code(e);
	const err = e as (NodeJS.ErrnoException & { dest?: string }) | null;
	const detail = err instanceof Error ? err.message : String(e);
	if (typeof c === "string" && c.startsWith("ERR_INVALID_ARG")) {
		return new HubError({ code: "InvalidInput", message: `invalid path for the file cache ${JSON.stringify(where)}: ${detail}`, cause: e });
	}
	let why = (c && WHY[c]) ?? "it failed";
	if (c === "EEXIST") why = err?.syscall === "mkdir" ? "a file is where a folder is needed" : "a file is in the way";
	return new HubError({ code: "Storage", message: `the file cache failed at ${where}: ${why} (${detail})`, cause: e });
}

/** Runs `work`, turning what it throws into `storageError(e, where())` (`where` is only called on
 * failure; when it throws itself, `fallback` names the place). */
export async function guarded<T>(where: () => string, fallback: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (e) {
		let place = fallback;
		try {
			place = where();
		} catch {
			// an invalid name: the root says where
		}
		throw storageError(e, place);
	}
}
