/**
 * Deletion and eviction. Both remove snapshot links before blobs, so no entry ever dangles. Eviction
 * keeps refs and (possibly empty) snapshot folders, so every ref still names a snapshot, as Python's
 * cache scanner requires; deleting a commit takes its refs, listing and absence markers with it.
 */
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { RepoKey } from "../store.js";
import type { BlobPlaces, PendingLink } from "./blobs.js";
import { lstatOrUndefined, pruneEmpty, readdirOrEmpty, statOrUndefined } from "./files.js";
import { repoFolderName, repoFolders, segment, segments, STAGING } from "./layout.js";
import { refsByCommit } from "./refs.js";
import { blobBytes, blobFiles, folderEntries, type EntryOnDisk } from "./scan.js";

export interface DeleteFilter {
	repo?: RepoKey;
	commit?: string;
	path?: string;
}

/** Deletes the entries the filter names (all without one), then the blobs no entry uses. */
export async function deleteEntries(root: string, places: BlobPlaces, filter: DeleteFilter): Promise<void> {
	const only = filter.repo === undefined ? undefined : repoFolderName(filter.repo);
	if (filter.commit !== undefined) segment(filter.commit, "commit");
	const pathSegs = filter.path === undefined ? undefined : segments(filter.path, "path");
	places.dropPending(
		(l: PendingLink) =>
			(only === undefined || l.folder === only) &&
			(filter.commit === undefined || l.commit === filter.commit) &&
			(filter.path === undefined || l.path === filter.path),
	);
	const folders = only === undefined ? await repoFolders(root) : [only];
	if (filter.commit === undefined && filter.path === undefined) {
		// Whole repos (or everything): their folders, locks and, for everything, staging.
		for (const f of folders) {
			await rm(join(root, f), { recursive: true, force: true });
			await rm(join(root, ".locks", f), { recursive: true, force: true });
		}
		if (only === undefined) await rm(join(root, STAGING), { recursive: true, force: true });
		places.forgetFolders(folders);
		return;
	}
	for (const folder of folders) {
		const repoDir = join(root, folder);
		const snapDir = join(repoDir, "snapshots");
		const commits = filter.commit === undefined ? await readdirOrEmpty(snapDir) : [filter.commit];
		let touched = false;
		for (const commit of commits) {
			if (pathSegs) {
				const file = join(snapDir, commit, ...pathSegs);
				if (!(await lstatOrUndefined(file))) continue;
				await rm(file, { force: true });
				await pruneEmpty(dirname(file), join(snapDir, commit));
				touched = true;
				continue;
			}
			// A whole commit: its snapshot, listing, absence markers and the refs that named it.
			const refs = await refsByCommit(repoDir);
			await rm(join(snapDir, commit), { recursive: true, force: true });
			await rm(join(repoDir, "trees", `${commit}.json`), { force: true });
			await rm(join(repoDir, ".no_exist", commit), { recursive: true, force: true });
			for (const rev of refs.get(commit) ?? []) {
				await rm(join(repoDir, "refs", ...rev.split("/")), { force: true });
				await pruneEmpty(dirname(join(repoDir, "refs", ...rev.split("/"))), join(repoDir, "refs"));
			}
			touched = true;
		}
		if (touched) await collectBlobs(root, places, folder);
	}
	await pruneStaging(root);
}

/** Drops staging names of blobs that a repo already holds (hard links: no bytes are freed). */
async function pruneStaging(root: string): Promise<void> {
	const dir = join(root, STAGING);
	for (const name of await readdirOrEmpty(dir)) {
		if (name.includes(".")) continue; // partials, locks
		const st = await statOrUndefined(join(dir, name));
		if (st && st.nlink > 1) await rm(join(dir, name), { force: true });
	}
}

/** Deletes the complete blobs of a repo folder that no snapshot entry links to any more. */
async function collectBlobs(root: string, places: BlobPlaces, folder: string): Promise<void> {
	const used = new Set((await folderEntries(root, folder)).map((e) => e.etag));
	const wanted = places.wantedIn(folder);
	const dir = join(root, folder, "blobs");
	for (const name of await readdirOrEmpty(dir)) {
		if (name.includes(".")) continue; // partials and temporaries: not entries' blobs
		if (used.has(name) || wanted.has(name)) continue;
		await rm(join(dir, name), { force: true });
	}
}

/** What eviction needs to know about writers: which are open here, and how old a lock may get. */
export interface EvictGuard {
	/** etags with a writer open in this process. */
	writing: ReadonlySet<string>;
	/** A partial touched more recently than this may have a writer in another process. */
	lockStaleMs: number;
}

/**
 * Evicts least recently accessed blobs (all copies of an etag at once) and old partials until at
 * most `bytes` remain, never a blob in `keep` nor a partial a writer may still be appending to.
 */
export async function evictTo(root: string, bytes: number, keep: ReadonlySet<string> | undefined, guard: EvictGuard): Promise<void> {
	let total = await blobBytes(root);
	if (total <= bytes) return;
	const files = await blobFiles(root);
	// One candidate per etag (all its copies), or per partial file.
	interface Candidate {
		etag: string | undefined;
		paths: string[];
		size: number;
		lastAccess: number;
	}
	const byKey = new Map<string, Candidate & { inodes: Set<string> }>();
	const staleBefore = Date.now() - guard.lockStaleMs;
	for (const f of files) {
		const partial = f.name.endsWith(".incomplete");
		const etag = partial ? undefined : f.name;
		if (etag !== undefined && keep?.has(etag)) continue;
		if (partial) {
			const base = f.name.split(".")[0]!;
			// Never pull a partial from under a live writer (ours, or a recent one elsewhere).
			if (guard.writing.has(base) || f.st.mtimeMs > staleBefore) continue;
		}
		const key = etag ?? f.path;
		const c = byKey.get(key) ?? { etag, paths: [], size: 0, lastAccess: 0, inodes: new Set<string>() };
		c.paths.push(f.path);
		const id = `${f.st.dev}:${f.st.ino}`;
		if (!c.inodes.has(id)) {
			c.inodes.add(id);
			c.size += f.st.size;
		}
		c.lastAccess = Math.max(c.lastAccess, partial ? f.st.mtimeMs : f.st.atimeMs);
		byKey.set(key, c);
	}
	const order = [...byKey.values()].sort((a, b) => a.lastAccess - b.lastAccess);
	let links: Map<string, EntryOnDisk[]> | undefined;
	for (const c of order) {
		if (total <= bytes) break;
		if (c.etag) {
			if (!links) {
				links = new Map();
				for (const folder of await repoFolders(root)) {
					for (const e of await folderEntries(root, folder)) {
						links.set(e.etag, [...(links.get(e.etag) ?? []), e]);
					}
				}
			}
			// The snapshot links first, so no entry ever dangles.
			// Empty commit folders stay: refs keep naming an existing snapshot, as Python expects.
			for (const { file, commitDir } of links.get(c.etag) ?? []) {
				await rm(file, { force: true });
				await pruneEmpty(dirname(file), commitDir);
			}
		}
		for (const p of c.paths) await rm(p, { force: true });
		total -= c.size;
	}
}
