/**
 * Small file-system helpers the cache modules share. Other processes (Python, another Node) change
 * the cache under us at any time, so a file that is missing is an answer (`undefined`, empty), not
 * an error.
 */
import { lstat, mkdir, readdir, rmdir, stat, utimes } from "node:fs/promises";
import type { Dirent, Stats } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";

export const code = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code;
export const isMissing = (e: unknown) => code(e) === "ENOENT" || code(e) === "ENOTDIR";
/** A random suffix for temporaries and side files, so two writers never pick one name. */
export const hex8 = () => randomBytes(4).toString("hex");

/**
 * `mkdir -p`, as `mkdir(dir, { recursive: true })` but never looping: Node's own spins forever
 * where `mkdir` says ENOENT under a folder that exists (`/proc`); here that is an error. A file
 * in the way is EEXIST (or ENOTDIR below it), as with Node's.
 */
export async function makeDirs(dir: string): Promise<void> {
	try {
		await mkdir(dir);
		return;
	} catch (e) {
		if (code(e) === "EEXIST" && (await stat(dir).catch(() => undefined))?.isDirectory()) return;
		const parent = dirname(dir);
		if (code(e) !== "ENOENT" || parent === dir) throw e;
	}
	await makeDirs(dirname(dir));
	try {
		await mkdir(dir);
	} catch (e) {
		if (code(e) === "EEXIST" && (await stat(dir).catch(() => undefined))?.isDirectory()) return;
		throw e;
	}
}

export async function statOrUndefined(p: string): Promise<Stats | undefined> {
	try {
		return await stat(p);
	} catch (e) {
		if (isMissing(e)) return undefined;
		throw e;
	}
}

export async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
	try {
		return await lstat(p);
	} catch (e) {
		if (isMissing(e)) return undefined;
		throw e;
	}
}

export async function readdirOrEmpty(p: string): Promise<string[]> {
	try {
		return await readdir(p);
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
}

/** Every non-directory below `dir`, as `/`-joined paths relative to it. */
export async function walkFiles(dir: string, prefix = ""): Promise<string[]> {
	const out: string[] = [];
	let names: Dirent[];
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
export async function pruneEmpty(dir: string, stop: string): Promise<void> {
	while (dir.length > stop.length && dir.startsWith(stop)) {
		try {
			await rmdir(dir);
		} catch {
			return;
		}
		dir = dirname(dir);
	}
}

/** atime = now, mtime kept: the LRU clock, the same one Python's `scan_cache_dir` reports. */
export async function touch(p: string, nowMs: number): Promise<void> {
	try {
		const st = await stat(p);
		await utimes(p, nowMs / 1000, st.mtime);
	} catch {
		// best effort: a read-only cache still serves reads
	}
}
