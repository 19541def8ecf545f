/**
 * The Node download cache, on disk in exactly the `huggingface_hub` layout, so Python and Node
 * share one cache:
 *
 * ```text
 * <root>/                                   cacheDir, $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub
 *   CACHEDIR.TAG
 *   models--{ns}--{name}/                   "{type}s--" + repo id with "/" → "--"
 *     blobs/<etag>                          content (git blob sha1 or LFS sha256)
 *     blobs/<etag>.incomplete               a partial download (resumed from its size)
 *     refs/<revision>                       the 40-hex commit, no newline (refs/pr/1 → refs/refs/pr/1)
 *     snapshots/<commit>/<path>             relative symlink → ../../blobs/<etag> (a copy where symlinks fail)
 *     trees/<commit>.json                   {"format_version":1,"files":{…}}
 *   .locks/models--{ns}--{name}/<etag>.lock
 * ```
 *
 * Blobs live per repo (as in Python), but the store interface names blobs by etag only. The repo
 * folder a new blob is written to is, in this order: the repo of a `putEntry` still waiting for
 * that etag (its snapshot link is created when the blob completes), the repo whose tree listing or
 * entry named the etag, the repo of a partial download of it, and else the repo this store was
 * last asked about (`getRef`/`getEntry`/…, which is what a download does just before writing).
 * A store that was never asked about any repo writes to `.locks/.hubwasm-staging/` (invisible to
 * Python's cache scanner). `putEntry` then hard-links the blob into its repo's `blobs/` if it is
 * elsewhere (copies where hard links fail): the same bytes in two repos take the space once, and
 * a `Blob` already handed out keeps working because no file is moved.
 *
 * Locks: a writer holds `.locks/{folder}/<etag>.lock`, created exclusively and refreshed while the
 * writer is open; a lock older than `lockStaleMs`, or left by a dead local process, is taken over.
 * This does not interoperate with Python's `flock`-based locks (Python leaves empty lock files
 * behind, which this store treats as free) beyond never corrupting the cache: this store writes
 * only to `blobs/<etag>.incomplete`, Python only to `blobs/<etag>.<random>.incomplete`, and both
 * publish with an atomic rename, so the worst case is one file downloaded twice.
 *
 * Writers: `openWriter` waits for any other writer of the etag (in this process, then the lock
 * file), and resumes from `blobs/<etag>.incomplete` (`offset` = its size, `prefix()` = its bytes).
 * It always returns a writer, even when the blob was completed meanwhile (check `readBlob` after
 * opening to skip the download); completing a blob that exists keeps the existing file.
 * `readBlob` returns `fs.openAsBlob` (read lazily from disk; reading fails if the file is evicted
 * or deleted afterwards) and sets the file's atime, the LRU clock that Python's `scan_cache_dir`
 * reports too. Eviction keeps refs and (possibly empty) snapshot folders, so every ref still names
 * a snapshot, as Python's cache scanner requires.
 */
import { openAsBlob } from "node:fs";
import {
	copyFile,
	link,
	lstat,
	mkdir,
	open,
	readdir,
	readFile,
	readlink,
	rename,
	rm,
	rmdir,
	stat,
	symlink,
	truncate,
	unlink,
	utimes,
	writeFile,
	type FileHandle,
} from "node:fs/promises";
import type { Stats } from "node:fs";
import { randomBytes } from "node:crypto";
import { homedir, hostname } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { HubError } from "../error.js";
import type { BlobWriter, CacheEntryInfo, CacheStore, EntryRecord, RefRecord, RepoKey, TreeFile } from "./store.js";

/** One file of a cached tree listing (`trees/<commit>.json`): `oid` = `blob_id`, `lfs` =
 * `lfs_sha256`/`lfs_size`, `xetHash` = `xet_hash`. */
export type { TreeFile };

export interface FileSystemCacheOptions {
	/** The cache root (the folder holding `models--…`). Default: `$HF_HUB_CACHE`, else `$HF_HOME/hub`,
	 * else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (as `huggingface_hub`). */
	cacheDir?: string;
	/** Environment to read the variables above from (default `process.env`). */
	env?: Record<string, string | undefined>;
	/** A lock not refreshed for this long is taken over (default 30 s; holders refresh every third). */
	lockStaleMs?: number;
	/** How often a waiting writer checks the lock again (default 100 ms). */
	lockPollMs?: number;
	/** Clock for access times and ref times (ms since epoch; default `Date.now`). */
	now?: () => number;
}

const TREE_FORMAT_VERSION = 1;
const STAGING = join(".locks", ".hubwasm-staging");
const REPO_FOLDER = /^(models|datasets|spaces)--(.+)$/;
const TMP_SUFFIX = /\.[0-9a-f]{8}\.tmp$/;
const XET_HASH = /^[0-9a-f]{64}$/;
const CACHEDIR_TAG =
	"Signature: 8a477f597d28d172789f06886806bc55\n" +
	"# This file is a cache directory tag created by hubwasm (huggingface_hub cache layout).\n" +
	"# For information about cache directory tags, see:\n" +
	"#\thttps://bford.info/cachedir/\n";

/** Resolves the cache root the way `huggingface_hub` does (`~` and `$VAR` expanded). */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
	const expand = (p: string) =>
		p
			.replace(/^~(?=$|[/\\])/, homedir())
			.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a?: string, b?: string) => env[(a ?? b)!] ?? m);
	const hubCache = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
	if (hubCache) return expand(hubCache);
	const home = env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "huggingface");
	return join(expand(home), "hub");
}

function invalid(message: string): HubError {
	return new HubError({ code: "InvalidInput", message });
}

/** Path segments of a revision or file path; refuses anything that could leave its folder. */
function segments(p: string, what: string): string[] {
	const parts = p.split("/");
	for (const s of parts) {
		if (!s || s === "." || s === ".." || s.includes("\0") || s.includes("\\")) {
			throw invalid(`invalid ${what} for the file cache: ${JSON.stringify(p)}`);
		}
	}
	return parts;
}

function segment(s: string, what: string): string {
	const [one, ...more] = segments(s, what);
	if (more.length) throw invalid(`invalid ${what} for the file cache: ${JSON.stringify(s)}`);
	return one!;
}

/** `models/ns/name` → `models--ns--name`. */
export function repoFolderName(repo: RepoKey): string {
	const m = /^(models|datasets|spaces)\/(.+)$/.exec(repo);
	if (!m) throw invalid(`invalid repo key ${JSON.stringify(repo)}: expected models|datasets|spaces/<ns>/<name>`);
	const id = segments(m[2]!, "repo id");
	if (id.length > 2 || id.some((s) => s.includes("--"))) throw invalid(`invalid repo key ${JSON.stringify(repo)}`);
	return [m[1], ...id].join("--");
}

function folderRepo(folder: string): RepoKey | undefined {
	const m = REPO_FOLDER.exec(folder);
	return m ? `${m[1]}/${m[2]!.replace(/--/g, "/")}` : undefined;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code;
const isMissing = (e: unknown) => code(e) === "ENOENT" || code(e) === "ENOTDIR";
const hex8 = () => randomBytes(4).toString("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function statOrUndefined(p: string): Promise<Stats | undefined> {
	try {
		return await stat(p);
	} catch (e) {
		if (isMissing(e)) return undefined;
		throw e;
	}
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
	try {
		return await lstat(p);
	} catch (e) {
		if (isMissing(e)) return undefined;
		throw e;
	}
}

async function readdirOrEmpty(p: string): Promise<string[]> {
	try {
		return await readdir(p);
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
}

/** Every non-directory below `dir`, as `/`-joined paths relative to it. */
async function walkFiles(dir: string, prefix = ""): Promise<string[]> {
	const out: string[] = [];
	let names: import("node:fs").Dirent[];
	try {
		names = await readdir(dir, { withFileTypes: true });
	} catch (e) {
		if (isMissing(e)) return out;
		throw e;
	}
	for (const d of names) {
		const rel = prefix ? `${prefix}/${d.name}` : d.name;
		if (d.isDirectory()) out.push(...(await walkFiles(join(dir, d.name), rel)));
		else out.push(rel);
	}
	return out;
}

/** Removes empty folders from `dir` up to, not including, `stop`. */
async function pruneEmpty(dir: string, stop: string): Promise<void> {
	while (dir.length > stop.length && dir.startsWith(stop)) {
		try {
			await rmdir(dir);
		} catch {
			return;
		}
		dir = dirname(dir);
	}
}

interface PendingLink {
	folder: string;
	commit: string;
	path: string;
	size: number;
}

interface HeldLock {
	release(): Promise<void>;
}

export class FileSystemCache implements CacheStore {
	readonly kind = "filesystem" as const;
	/** The cache root (the folder holding `models--…`, `.locks`, `CACHEDIR.TAG`). */
	readonly root: string;
	private readonly lockStaleMs: number;
	private readonly lockPollMs: number;
	private readonly now: () => number;
	/** The repo folder this store was last asked about: where a blob of unknown repo goes. */
	private recentFolder: string | undefined;
	/** etag → repo folders known to hold or want it (most recent last). */
	private readonly hints = new Map<string, string[]>();
	/** etag → snapshot links to create once the blob is complete. */
	private readonly pending = new Map<string, PendingLink[]>();
	/** etag → tail of the chain of writers in this process. */
	private readonly writerChain = new Map<string, Promise<void>>();
	/** etags with a writer open in this process. */
	private readonly writing = new Set<string>();
	private rootReady: Promise<void> | undefined;

	constructor(options: FileSystemCacheOptions = {}) {
		this.root = options.cacheDir ?? defaultCacheDir(options.env ?? process.env);
		this.lockStaleMs = options.lockStaleMs ?? 30_000;
		this.lockPollMs = options.lockPollMs ?? 100;
		this.now = options.now ?? Date.now;
	}

	/** The folder of a repo key, remembered as the most recent repo. */
	private folderOf(repo: RepoKey): string {
		const folder = repoFolderName(repo);
		this.recentFolder = folder;
		return folder;
	}

	// ---- refs ----

	async getRef(repo: RepoKey, revision: string): Promise<RefRecord | undefined> {
		const file = join(this.root, this.folderOf(repo), "refs", ...segments(revision, "revision"));
		try {
			const [text, st] = await Promise.all([readFile(file, "utf8"), stat(file)]);
			const commit = text.trim();
			return commit ? { commit, at: Math.round(st.mtimeMs) } : undefined;
		} catch (e) {
			if (isMissing(e) || code(e) === "EISDIR") return undefined;
			throw e;
		}
	}

	async putRef(repo: RepoKey, revision: string, commit: string): Promise<void> {
		const folder = this.folderOf(repo);
		const rev = segments(revision, "revision");
		segment(commit, "commit");
		await this.ensureRoot();
		// Python's cache scanner wants every ref to name an existing snapshot folder.
		await mkdir(join(this.root, folder, "snapshots", commit), { recursive: true });
		if (revision === commit) return; // like Python: a commit is not a ref
		const file = join(this.root, folder, "refs", ...rev);
		const t = this.now() / 1000;
		let current: string | undefined;
		try {
			current = await readFile(file, "utf8");
		} catch (e) {
			if (!isMissing(e)) throw e;
		}
		if (current === commit) {
			// Unchanged: only record when we learnt it (best effort: the cache may be read-only).
			await utimes(file, t, t).catch(() => {});
			return;
		}
		await mkdir(dirname(file), { recursive: true });
		const tmp = `${file}.${hex8()}.tmp`;
		try {
			await writeFile(tmp, commit);
			await utimes(tmp, t, t);
			await rename(tmp, file);
		} catch (e) {
			await unlink(tmp).catch(() => {});
			throw e;
		}
	}

	// ---- entries ----

	async getEntry(repo: RepoKey, commit: string, path: string): Promise<EntryRecord | undefined> {
		const folder = this.folderOf(repo);
		const p = join(this.root, folder, "snapshots", segment(commit, "commit"), ...segments(path, "path"));
		const found = await this.readEntry(folder, commit, path, p);
		if (found) this.hint(found.etag, folder);
		return found ? { etag: found.etag, size: found.size } : undefined;
	}

	/** Reads one snapshot entry: only when it resolves to a file. */
	private async readEntry(
		folder: string,
		commit: string,
		path: string,
		p: string,
		tree?: Map<string, string>,
	): Promise<{ etag: string; size: number; atimeMs: number } | undefined> {
		const l = await lstatOrUndefined(p);
		if (!l) return undefined;
		let etag: string | undefined;
		if (l.isSymbolicLink()) {
			const target = await readlink(p);
			if (basename(dirname(target)) === "blobs") etag = basename(target);
		} else if (!l.isFile()) {
			return undefined;
		}
		const st = await statOrUndefined(p); // follows the link: a dangling link is no entry
		if (!st?.isFile()) return undefined;
		// A copied file (no symlinks) or a foreign link: the tree listing names its content.
		etag ??= (tree ?? (await this.treeEtags(folder, commit))).get(path);
		return etag ? { etag, size: st.size, atimeMs: st.atimeMs } : undefined;
	}

	async putEntry(repo: RepoKey, commit: string, path: string, entry: EntryRecord): Promise<void> {
		const folder = this.folderOf(repo);
		segment(commit, "commit");
		segments(path, "path");
		segment(entry.etag, "etag");
		await this.ensureRoot();
		this.hint(entry.etag, folder);
		// A path put again with another etag forgets the older pending link.
		for (const [etag, links] of this.pending) {
			const rest = links.filter((l) => !(l.folder === folder && l.commit === commit && l.path === path));
			if (rest.length !== links.length) {
				if (rest.length) this.pending.set(etag, rest);
				else this.pending.delete(etag);
			}
		}
		if (await this.claimBlob(folder, entry.etag, entry.size)) {
			await this.linkEntry(folder, commit, path, entry.etag);
			return;
		}
		const links = this.pending.get(entry.etag) ?? [];
		links.push({ folder, commit, path, size: entry.size });
		this.pending.set(entry.etag, links);
	}

	/** `snapshots/<commit>/<path>` → `blobs/<etag>`, relative, replaced atomically; a copy where symlinks fail. */
	private async linkEntry(folder: string, commit: string, path: string, etag: string): Promise<void> {
		const repoDir = join(this.root, folder);
		const linkPath = join(repoDir, "snapshots", commit, ...segments(path, "path"));
		const blobPath = join(repoDir, "blobs", etag);
		const target = relative(dirname(linkPath), blobPath);
		try {
			if ((await readlink(linkPath)) === target) return;
		} catch {
			// missing or not a link: (re)create below
		}
		await mkdir(dirname(linkPath), { recursive: true });
		const tmp = `${linkPath}.${hex8()}.tmp`;
		try {
			try {
				await symlink(target, tmp);
			} catch (e) {
				if (!["EPERM", "EACCES", "EOPNOTSUPP", "ENOSYS", "EINVAL"].includes(code(e) ?? "")) throw e;
				await copyFile(blobPath, tmp);
			}
			await rename(tmp, linkPath);
		} catch (e) {
			await unlink(tmp).catch(() => {});
			throw e;
		}
	}

	// ---- trees ----

	/** The cached file listing of a commit (`trees/<commit>.json`), if any. */
	async getTree(repo: RepoKey, commit: string): Promise<TreeFile[] | undefined> {
		const folder = this.folderOf(repo);
		const tree = await this.readTree(folder, commit);
		for (const f of tree ?? []) this.hint(f.lfs?.oid ?? f.oid, folder);
		return tree;
	}

	private async readTree(folder: string, commit: string): Promise<TreeFile[] | undefined> {
		const file = join(this.root, folder, "trees", `${segment(commit, "commit")}.json`);
		let data: unknown;
		try {
			data = JSON.parse(await readFile(file, "utf8"));
		} catch (e) {
			if (isMissing(e) || e instanceof SyntaxError) return undefined;
			throw e;
		}
		const d = data as { format_version?: unknown; files?: unknown };
		if (d?.format_version !== TREE_FORMAT_VERSION || typeof d.files !== "object" || !d.files) return undefined;
		const out: TreeFile[] = [];
		for (const [path, raw] of Object.entries(d.files as Record<string, Record<string, unknown>>)) {
			if (typeof raw?.size !== "number" || typeof raw.blob_id !== "string") return undefined;
			const f: TreeFile = { path, size: raw.size, oid: raw.blob_id };
			if (typeof raw.lfs_sha256 === "string") {
				f.lfs = { oid: raw.lfs_sha256, size: typeof raw.lfs_size === "number" ? raw.lfs_size : raw.size };
			}
			if (typeof raw.xet_hash === "string") f.xetHash = raw.xet_hash;
			out.push(f);
		}
		return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	}

	/** Writes `trees/<commit>.json` as `huggingface_hub` does (format_version 1, sorted, atomic). */
	async putTree(repo: RepoKey, commit: string, files: TreeFile[]): Promise<void> {
		const folder = this.folderOf(repo);
		const dir = join(this.root, folder, "trees");
		segment(commit, "commit");
		for (const f of files) this.hint(f.lfs?.oid ?? f.oid, folder);
		const byPath: Record<string, Record<string, unknown>> = {};
		for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
			segments(f.path, "path");
			const info: Record<string, unknown> = { size: f.size, blob_id: f.oid };
			if (f.lfs) {
				info.lfs_sha256 = f.lfs.oid;
				info.lfs_size = f.lfs.size;
			}
			// Python drops the whole listing if one xet hash is malformed: never write one.
			if (f.xetHash && XET_HASH.test(f.xetHash)) info.xet_hash = f.xetHash;
			byPath[f.path] = info;
		}
		await this.ensureRoot();
		await mkdir(dir, { recursive: true });
		const file = join(dir, `${commit}.json`);
		const tmp = `${file}.${hex8()}.tmp`;
		try {
			await writeFile(tmp, JSON.stringify({ format_version: TREE_FORMAT_VERSION, files: byPath }, null, 1));
			await rename(tmp, file);
		} catch (e) {
			await unlink(tmp).catch(() => {});
			throw e;
		}
	}

	/** path → etag (LFS sha256, else git sha1) from the commit's tree listing. */
	private async treeEtags(folder: string, commit: string): Promise<Map<string, string>> {
		const tree = await this.readTree(folder, commit).catch(() => undefined);
		return new Map((tree ?? []).map((f) => [f.path, f.lfs?.oid ?? f.oid]));
	}

	// ---- blobs ----

	async readBlob(etag: string, size: number): Promise<Blob | undefined> {
		segment(etag, "etag");
		const p = await this.findBlob(etag, size);
		if (!p) return undefined;
		await this.touch(p);
		try {
			return (await openAsBlob(p)) as unknown as Blob;
		} catch (e) {
			if (isMissing(e)) return undefined; // evicted just now
			throw e;
		}
	}

	/** atime = now, mtime kept: the LRU clock, the same one Python's `scan_cache_dir` reports. */
	private async touch(p: string): Promise<void> {
		try {
			const st = await stat(p);
			await utimes(p, this.now() / 1000, st.mtime);
		} catch {
			// best effort: a read-only cache still serves reads
		}
	}

	private hint(etag: string, folder: string): void {
		const list = (this.hints.get(etag) ?? []).filter((f) => f !== folder);
		list.push(folder);
		this.hints.set(etag, list);
	}

	private async repoFolders(): Promise<string[]> {
		return (await readdirOrEmpty(this.root)).filter((n) => REPO_FOLDER.test(n)).sort();
	}

	/** A complete blob of this etag and size: in a hinted repo, any repo, or staging. */
	private async findBlob(etag: string, size: number): Promise<string | undefined> {
		const hinted = [...(this.hints.get(etag) ?? [])].reverse();
		const others = (await this.repoFolders()).filter((f) => !hinted.includes(f));
		const candidates = [...hinted, ...others].map((f) => join(this.root, f, "blobs", etag));
		candidates.push(join(this.root, STAGING, etag));
		for (const c of candidates) {
			const st = await statOrUndefined(c);
			if (st?.isFile() && st.size === size) return c;
		}
		return undefined;
	}

	/**
	 * Makes `blobs/<etag>` in `folder` exist (complete) if the bytes are anywhere in the cache: a hard
	 * link (or copy) from another repo, or a move out of staging. False when nowhere.
	 */
	private async claimBlob(folder: string, etag: string, size: number): Promise<boolean> {
		const dst = join(this.root, folder, "blobs", etag);
		const here = await statOrUndefined(dst);
		if (here?.isFile() && here.size === size) return true;
		const src = await this.findBlob(etag, size);
		if (!src) return false;
		await mkdir(dirname(dst), { recursive: true });
		// Never a move: a Blob handed out for `src` must keep reading.
		const tmp = `${dst}.${hex8()}.tmp`;
		try {
			try {
				await link(src, tmp);
			} catch {
				await copyFile(src, tmp);
			}
			await rename(tmp, dst);
		} catch (e) {
			await unlink(tmp).catch(() => {});
			if (isMissing(e)) return false;
			throw e;
		}
		return true;
	}

	/** Where a new blob is written: the repo a pending entry or a lookup named, else staging. */
	private async writerFolder(etag: string): Promise<string | undefined> {
		const pend = this.pending.get(etag)?.[0]?.folder;
		if (pend) return pend;
		const hinted = this.hints.get(etag);
		if (hinted?.length) return hinted[hinted.length - 1];
		// Resume a partial another process left, wherever it is.
		for (const f of await this.repoFolders()) {
			if (await statOrUndefined(join(this.root, f, "blobs", `${etag}.incomplete`))) return f;
		}
		return this.recentFolder;
	}

	async openWriter(etag: string, size: number): Promise<BlobWriter> {
		segment(etag, "etag");
		await this.ensureRoot();
		// Writers of one etag run one after the other in this process; the lock file covers other processes.
		const previous = this.writerChain.get(etag) ?? Promise.resolve();
		let done!: () => void;
		const mine = new Promise<void>((r) => (done = r));
		const tail = previous.then(() => mine);
		this.writerChain.set(etag, tail);
		await previous;
		let lock: HeldLock | undefined;
		const finish = async () => {
			this.writing.delete(etag);
			await lock?.release();
			if (this.writerChain.get(etag) === tail) this.writerChain.delete(etag);
			done();
		};
		try {
			this.writing.add(etag);
			const folder = await this.writerFolder(etag);
			const dir = folder ? join(this.root, folder, "blobs") : join(this.root, STAGING);
			await mkdir(dir, { recursive: true });
			lock = await this.lock(folder ? join(this.root, ".locks", folder, `${etag}.lock`) : join(dir, `${etag}.lock`));
			const partial = join(dir, `${etag}.incomplete`);
			let offset = (await statOrUndefined(partial))?.size ?? 0;
			if (offset > size) {
				await truncate(partial, 0);
				offset = 0;
			}
			const fh = await open(partial, "a");
			return new FileWriter(fh, offset, size, partial, async () => {
				const dst = join(dir, etag);
				const there = await statOrUndefined(dst);
				if (there?.isFile() && there.size === size) {
					// Completed meanwhile (same etag, same bytes): keep that file, Blobs may read it.
					await rm(partial, { force: true });
				} else {
					await rename(partial, dst);
				}
				await this.touch(dst);
				await this.linkPending(etag, size);
			}, finish);
		} catch (e) {
			await finish();
			throw e;
		}
	}

	/** Creates the snapshot links that waited for this blob. */
	private async linkPending(etag: string, size: number): Promise<void> {
		const links = this.pending.get(etag);
		if (!links) return;
		this.pending.delete(etag);
		for (const l of links) {
			if (await this.claimBlob(l.folder, etag, size)) await this.linkEntry(l.folder, l.commit, l.path, etag);
		}
	}

	// ---- locks ----

	private async lock(lockPath: string): Promise<HeldLock> {
		await mkdir(dirname(lockPath), { recursive: true });
		const mine = JSON.stringify({ by: "hubwasm", pid: process.pid, host: hostname(), token: hex8() + hex8() });
		// The lock appears with its content in one step (link() of a written file fails if the
		// name exists), so nobody ever sees an empty half-made lock and mistakes it for Python's.
		const draft = `${lockPath}.${hex8()}.draft`;
		await writeFile(draft, mine, { mode: 0o664 });
		try {
			await this.acquire(lockPath, draft, mine);
		} finally {
			await unlink(draft).catch(() => {});
		}
		const beat = setInterval(() => {
			const t = Date.now() / 1000;
			utimes(lockPath, t, t).catch(() => {});
		}, Math.max(10, Math.floor(this.lockStaleMs / 3)));
		beat.unref?.();
		return {
			release: async () => {
				clearInterval(beat);
				try {
					if ((await readFile(lockPath, "utf8")) === mine) await unlink(lockPath);
				} catch {
					// already gone (deleted with its repo, or taken over as stale)
				}
			},
		};
	}

	/** Puts `draft` (our lock content) in place as `lockPath`, waiting for or taking over a holder. */
	private async acquire(lockPath: string, draft: string, mine: string): Promise<void> {
		for (;;) {
			try {
				await link(draft, lockPath);
				return;
			} catch (e) {
				if (["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].includes(code(e) ?? "")) {
					// No hard links here: exclusive create, then the content.
					try {
						await writeFile(lockPath, mine, { flag: "wx", mode: 0o664 });
						return;
					} catch (e2) {
						if (code(e2) !== "EEXIST") throw e2;
					}
				} else if (code(e) !== "EEXIST") {
					throw e;
				}
			}
			let seen: string;
			let st: Stats;
			try {
				[seen, st] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
			} catch (e) {
				if (isMissing(e)) continue; // released meanwhile
				throw e;
			}
			if (this.lockIsLive(seen, st)) {
				await sleep(this.lockPollMs);
				continue;
			}
			// Stale, or foreign (Python's flock files are empty and stay behind): take it over.
			const aside = `${lockPath}.${hex8()}.stale`;
			try {
				await rename(lockPath, aside);
			} catch (e) {
				if (isMissing(e)) continue;
				throw e;
			}
			try {
				const [moved, mst] = await Promise.all([readFile(aside, "utf8"), stat(aside)]);
				// Someone took it over between our look and the rename: give theirs back.
				if (moved !== seen || mst.ino !== st.ino) await link(aside, lockPath).catch(() => {});
			} finally {
				await unlink(aside).catch(() => {});
			}
		}
	}

	private lockIsLive(content: string, st: Stats): boolean {
		let owner: { by?: unknown; pid?: unknown; host?: unknown };
		try {
			owner = JSON.parse(content);
		} catch {
			return false;
		}
		if (owner?.by !== "hubwasm") return false;
		if (Date.now() - st.mtimeMs > this.lockStaleMs) return false;
		if (owner.host === hostname() && typeof owner.pid === "number" && owner.pid !== process.pid) {
			try {
				process.kill(owner.pid, 0);
			} catch (e) {
				if (code(e) === "ESRCH") return false; // its process is gone
			}
		}
		return true;
	}

	private ensureRoot(): Promise<void> {
		this.rootReady ??= (async () => {
			await mkdir(this.root, { recursive: true });
			await writeFile(join(this.root, "CACHEDIR.TAG"), CACHEDIR_TAG, { flag: "wx" }).catch((e) => {
				if (code(e) !== "EEXIST") throw e;
			});
		})().catch((e) => {
			this.rootReady = undefined;
			throw e;
		});
		return this.rootReady;
	}

	// ---- listing, size, deletion, eviction ----

	/** commit → revision names, from `refs/`. */
	private async refsByCommit(folder: string): Promise<Map<string, string[]>> {
		const refsDir = join(this.root, folder, "refs");
		const out = new Map<string, string[]>();
		for (const rel of await walkFiles(refsDir)) {
			if (TMP_SUFFIX.test(rel)) continue;
			const commit = (await readFile(join(refsDir, rel), "utf8").catch(() => "")).trim();
			if (!commit) continue;
			out.set(commit, [...(out.get(commit) ?? []), rel]);
		}
		return out;
	}

	/** Every resolvable snapshot entry of one repo folder. */
	private async folderEntries(folder: string): Promise<(CacheEntryInfo & { file: string; commitDir: string })[]> {
		const repo = folderRepo(folder)!;
		const refs = await this.refsByCommit(folder);
		const snapDir = join(this.root, folder, "snapshots");
		const out: (CacheEntryInfo & { file: string; commitDir: string })[] = [];
		for (const commit of (await readdirOrEmpty(snapDir)).sort()) {
			let tree: Map<string, string> | undefined;
			for (const path of (await walkFiles(join(snapDir, commit))).sort()) {
				if (TMP_SUFFIX.test(path)) continue;
				const file = join(snapDir, commit, ...path.split("/"));
				const l = await lstatOrUndefined(file);
				if (!l) continue;
				if (!l.isSymbolicLink()) tree ??= await this.treeEtags(folder, commit);
				const e = await this.readEntry(folder, commit, path, file, tree ?? new Map());
				if (!e) continue;
				out.push({
					repo,
					revisions: refs.get(commit) ?? [],
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

	async list(): Promise<CacheEntryInfo[]> {
		const out: CacheEntryInfo[] = [];
		for (const folder of await this.repoFolders()) {
			for (const { file: _f, commitDir: _d, ...info } of await this.folderEntries(folder)) out.push(info);
		}
		return out;
	}

	/** Blob files (complete and partial) with their stats, across repos and staging. */
	private async blobFiles(): Promise<{ path: string; name: string; st: Stats; folder: string | undefined }[]> {
		const out: { path: string; name: string; st: Stats; folder: string | undefined }[] = [];
		const dirs: [string, string | undefined][] = (await this.repoFolders()).map((f) => [join(this.root, f, "blobs"), f]);
		dirs.push([join(this.root, STAGING), undefined]);
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

	async size(): Promise<number> {
		const seen = new Set<string>();
		let total = 0;
		for (const { st } of await this.blobFiles()) {
			const id = `${st.dev}:${st.ino}`;
			if (seen.has(id)) continue; // hard links (one etag in two repos) count once
			seen.add(id);
			total += st.size;
		}
		return total;
	}

	async delete(filter: { repo?: RepoKey; commit?: string; path?: string } = {}): Promise<void> {
		const only = filter.repo === undefined ? undefined : repoFolderName(filter.repo);
		if (filter.commit !== undefined) segment(filter.commit, "commit");
		const pathSegs = filter.path === undefined ? undefined : segments(filter.path, "path");
		const matches = (l: PendingLink) =>
			(only === undefined || l.folder === only) &&
			(filter.commit === undefined || l.commit === filter.commit) &&
			(filter.path === undefined || l.path === filter.path);
		for (const [etag, links] of this.pending) {
			const rest = links.filter((l) => !matches(l));
			if (rest.length) this.pending.set(etag, rest);
			else this.pending.delete(etag);
		}
		const folders = only === undefined ? await this.repoFolders() : [only];
		if (filter.commit === undefined && filter.path === undefined) {
			// Whole repos (or everything): their folders, locks and, for everything, staging.
			for (const f of folders) {
				await rm(join(this.root, f), { recursive: true, force: true });
				await rm(join(this.root, ".locks", f), { recursive: true, force: true });
			}
			if (only === undefined) await rm(join(this.root, STAGING), { recursive: true, force: true });
			for (const [etag, list] of this.hints) {
				const rest = list.filter((f) => !folders.includes(f));
				if (rest.length) this.hints.set(etag, rest);
				else this.hints.delete(etag);
			}
			return;
		}
		for (const folder of folders) {
			const repoDir = join(this.root, folder);
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
				const refs = await this.refsByCommit(folder);
				await rm(join(snapDir, commit), { recursive: true, force: true });
				await rm(join(repoDir, "trees", `${commit}.json`), { force: true });
				await rm(join(repoDir, ".no_exist", commit), { recursive: true, force: true });
				for (const rev of refs.get(commit) ?? []) {
					await rm(join(repoDir, "refs", ...rev.split("/")), { force: true });
					await pruneEmpty(dirname(join(repoDir, "refs", ...rev.split("/"))), join(repoDir, "refs"));
				}
				touched = true;
			}
			if (touched) await this.collectBlobs(folder);
		}
		await this.pruneStaging();
	}

	/** Drops staging names of blobs that a repo already holds (hard links: no bytes are freed). */
	private async pruneStaging(): Promise<void> {
		const dir = join(this.root, STAGING);
		for (const name of await readdirOrEmpty(dir)) {
			if (name.includes(".")) continue; // partials, locks
			const st = await statOrUndefined(join(dir, name));
			if (st && st.nlink > 1) await rm(join(dir, name), { force: true });
		}
	}

	/** Deletes the complete blobs of a repo folder that no snapshot entry links to any more. */
	private async collectBlobs(folder: string): Promise<void> {
		const used = new Set((await this.folderEntries(folder)).map((e) => e.etag));
		const wanted = new Set([...this.pending.entries()].filter(([, l]) => l.some((p) => p.folder === folder)).map(([e]) => e));
		const dir = join(this.root, folder, "blobs");
		for (const name of await readdirOrEmpty(dir)) {
			if (name.includes(".")) continue; // partials and temporaries: not entries' blobs
			if (used.has(name) || wanted.has(name)) continue;
			await rm(join(dir, name), { force: true });
		}
	}

	async evictTo(bytes: number, keep?: ReadonlySet<string>): Promise<void> {
		let total = await this.size();
		if (total <= bytes) return;
		const files = await this.blobFiles();
		// One candidate per etag (all its copies), or per partial file.
		interface Candidate {
			etag: string | undefined;
			paths: string[];
			size: number;
			lastAccess: number;
		}
		const byKey = new Map<string, Candidate & { inodes: Set<string> }>();
		const staleBefore = Date.now() - this.lockStaleMs;
		for (const f of files) {
			const partial = f.name.endsWith(".incomplete");
			const etag = partial ? undefined : f.name;
			if (etag !== undefined && keep?.has(etag)) continue;
			if (partial) {
				const base = f.name.split(".")[0]!;
				// Never pull a partial from under a live writer (ours, or a recent one elsewhere).
				if (this.writing.has(base) || f.st.mtimeMs > staleBefore) continue;
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
		let links: Map<string, { file: string; commitDir: string }[]> | undefined;
		for (const c of order) {
			if (total <= bytes) break;
			if (c.etag) {
				if (!links) {
					links = new Map();
					for (const folder of await this.repoFolders()) {
						for (const e of await this.folderEntries(folder)) {
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
}

class FileWriter implements BlobWriter {
	private written: number;
	private closed = false;
	/** Each write reaches the file before it settles. */
	readonly copies = true;
	constructor(
		private readonly fh: FileHandle,
		readonly offset: number,
		private readonly size: number,
		private readonly partial: string,
		private readonly publish: () => Promise<void>,
		private readonly onClose: () => Promise<void>,
	) {
		this.written = offset;
	}

	/** The bytes stored by earlier attempts (read it before writing more). */
	async prefix(): Promise<Blob> {
		const whole = (await openAsBlob(this.partial)) as unknown as Blob;
		return whole.slice(0, this.offset);
	}

	async write(chunk: Uint8Array): Promise<void> {
		if (this.closed) throw new HubError({ code: "Storage", message: "write after the cache writer was closed" });
		if (this.written + chunk.byteLength > this.size) {
			throw new HubError({
				code: "Storage",
				message: `more bytes than the expected ${this.size} for ${basename(this.partial)}`,
			});
		}
		let done = 0;
		while (done < chunk.byteLength) {
			const { bytesWritten } = await this.fh.write(chunk, done, chunk.byteLength - done);
			done += bytesWritten;
		}
		this.written += chunk.byteLength;
	}

	async complete(): Promise<void> {
		if (this.closed) throw new HubError({ code: "Storage", message: "the cache writer was already closed" });
		this.closed = true;
		try {
			await this.fh.close();
			const got = (await stat(this.partial)).size;
			if (got !== this.size) {
				throw new HubError({
					code: "Storage",
					message: `${basename(this.partial)} holds ${got} bytes, expected ${this.size}`,
				});
			}
			await this.publish();
		} finally {
			await this.onClose();
		}
	}

	async abort(discard: boolean): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		try {
			await this.fh.close().catch(() => {});
			if (discard) await rm(this.partial, { force: true });
		} finally {
			await this.onClose();
		}
	}
}
