/**
 * What the cache holds: its entries (for `list`, deletion and eviction) and its blob files (for
 * `size` and eviction). Read from the folders every time, because Python and other processes
 * change them too.
 */
import type { Stats } from "node:fs";
import { join } from "node:path";
import type { CacheEntryInfo } from "../store.js";
import { lstatOrUndefined, readdirOrEmpty, statOrUndefined, walkFiles } from "./files.js";
import { folderRepo, repoFolders, STAGING, TMP_SUFFIX } from "./layout.js";
import { refsByCommit } from "./refs.js";
import { readEntry } from "./snapshots.js";
import { treeEtags } from "./trees.js";

/** A listed entry with where it lies: its snapshot file and that commit's snapshot folder. */
export type EntryOnDisk = CacheEntryInfo & { file: string; commitDir: string };

/** A blob file, complete (`name` = the etag) or partial; `folder` undefined for staging. */
export interface BlobFile {
	path: string;
	name: string;
	st: Stats;
	folder: string | undefined;
}

/** Every resolvable snapshot entry of one repo folder, by commit then path. */
export async function folderEntries(root: string, folder: string): Promise<EntryOnDisk[]> {
	const repo = folderRepo(folder)!;
	const repoDir = join(root, folder);
	const refs = await refsByCommit(repoDir);
	const snapDir = join(repoDir, "snapshots");
	const out: EntryOnDisk[] = [];
	for (const commit of (await readdirOrEmpty(snapDir)).sort()) {
		let tree: Map<string, string> | undefined;
		for (const path of (await walkFiles(join(snapDir, commit))).sort()) {
			if (TMP_SUFFIX.test(path)) continue;
			const file = join(snapDir, commit, ...path.split("/"));
			const l = await lstatOrUndefined(file);
			if (!l) continue;
			if (!l.isSymbolicLink()) tree ??= await treeEtags(repoDir, commit);
			const e = await readEntry(repoDir, commit, path, file, tree ?? new Map());
			if (!e) continue;
			out.push({
				repo,
				revisions: refs.get(commit) ?? [],
				commitOid: commit,
				commit,
				path,
				etag: e.etag,
				size: e.size,
				lastAccess: Math.round(e.atimeMs),
				file,
				commitDir: join(snapDir, commit),
			});
		}
	}
	return out;
}

/** Every entry of every repo. */
export async function listEntries(root: string): Promise<CacheEntryInfo[]> {
	const out: CacheEntryInfo[] = [];
	for (const folder of await repoFolders(root)) {
		for (const { file: _f, commitDir: _d, ...info } of await folderEntries(root, folder)) out.push(info);
	}
	return out;
}

/** Blob files (complete and partial) with their stats, across repos and staging. */
export async function blobFiles(root: string): Promise<BlobFile[]> {
	const out: BlobFile[] = [];
	const dirs: [string, string | undefined][] = (await repoFolders(root)).map((f) => [join(root, f, "blobs"), f]);
	dirs.push([join(root, STAGING), undefined]);
	for (const [dir, folder] of dirs) {
		for (const name of await readdirOrEmpty(dir)) {
			if (/\.(lock|stale|draft)$/.test(name) || TMP_SUFFIX.test(name)) continue;
			const path = join(dir, name);
			// Follows links: Python may link a repo blob to its shared store.
			const st = await statOrUndefined(path);
			if (st?.isFile()) out.push({ path, name, st, folder });
		}
	}
	return out;
}

/** Bytes on disk of complete and partial blobs; hard links (one etag in two repos) count once. */
export async function blobBytes(root: string): Promise<number> {
	const seen = new Set<string>();
	let total = 0;
	for (const { st } of await blobFiles(root)) {
		const id = `${st.dev}:${st.ino}`;
		if (seen.has(id)) continue;
		seen.add(id);
		total += st.size;
	}
	return total;
}
