/**
 * `snapshots/<commit>/<path>`: the entries. Each is a relative symlink to `../../blobs/<etag>` (as
 * `huggingface_hub` makes them, so Python follows ours), or a copy where symlinks fail, whose etag
 * then comes from the commit's tree listing.
 */
import { copyFile, readlink, rename, symlink, unlink } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { code, hex8, lstatOrUndefined, makeDirs, statOrUndefined } from "./files.js";
import { storageError } from "./errors.js";
import { segments } from "./layout.js";
import { treeEtags } from "./trees.js";

/** What one snapshot file resolves to. */
export interface EntryFile {
	etag: string;
	size: number;
	atimeMs: number;
}

/**
 * Reads the entry at `file` (`snapshots/<commit>/<path>` of `repoDir`): only when it resolves to a
 * file whose etag is known. `tree` is the commit's listing when the caller already read it.
 */
export async function readEntry(
	repoDir: string,
	commit: string,
	path: string,
	file: string,
	tree?: Map<string, string>,
): Promise<EntryFile | undefined> {
	const l = await lstatOrUndefined(file);
	if (!l) return undefined;
	let etag: string | undefined;
	if (l.isSymbolicLink()) {
		const target = await readlink(file);
		if (basename(dirname(target)) === "blobs") etag = basename(target);
	} else if (!l.isFile()) {
		return undefined;
	}
	const st = await statOrUndefined(file); // follows the link: a dangling link is no entry
	if (!st?.isFile()) return undefined;
	// A copied file (no symlinks) or a foreign link: the tree listing names its content.
	etag ??= (tree ?? (await treeEtags(repoDir, commit))).get(path);
	return etag ? { etag, size: st.size, atimeMs: st.atimeMs } : undefined;
}

/**
 * `snapshots/<commit>/<path>` → `blobs/<etag>`, relative, replaced atomically (a reader sees the
 * old entry or the new one); a copy of the blob where symlinks fail. A failure is a `HubError`
 * naming the entry, and leaves no temporary behind.
 */
export async function linkEntry(repoDir: string, commit: string, path: string, etag: string): Promise<void> {
	const linkPath = join(repoDir, "snapshots", commit, ...segments(path, "path"));
	const blobPath = join(repoDir, "blobs", etag);
	const target = relative(dirname(linkPath), blobPath);
	try {
		if ((await readlink(linkPath)) === target) return;
	} catch {
		// missing or not a link: (re)create below
	}
	// A short temporary name beside it: a file name that fits fits with no suffix added.
	const tmp = join(dirname(linkPath), `.${hex8()}.tmp`);
	try {
		await makeDirs(dirname(linkPath));
		try {
			await symlink(target, tmp);
		} catch (e) {
			if (!["EPERM", "EACCES", "EOPNOTSUPP", "ENOSYS", "EINVAL"].includes(code(e) ?? "")) throw e;
			await copyFile(blobPath, tmp);
		}
		await rename(tmp, linkPath);
	} catch (e) {
		await unlink(tmp).catch(() => {});
		throw storageError(e, linkPath);
	}
}

/** Makes the folder an entry goes in before its blob is downloaded (as `huggingface_hub` does), so
 * a file where a folder is needed fails before the download rather than after it. */
export async function entryFolder(repoDir: string, commit: string, path: string): Promise<void> {
	const linkPath = join(repoDir, "snapshots", commit, ...segments(path, "path"));
	await makeDirs(dirname(linkPath)).catch((e) => {
		throw storageError(e, linkPath);
	});
}
