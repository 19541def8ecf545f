/**
 * `trees/<commit>.json`: the file listing of a commit, in `huggingface_hub`'s format
 * (`{"format_version":1,"files":{path: {size, blob_id, lfs_sha256?, lfs_size?, xet_hash?}}}`). It
 * lets a snapshot at a commit be served with no request, and names the etag of a snapshot file
 * that is a copy rather than a link.
 */
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TreeFile } from "../store.js";
import { hex8, isMissing, makeDirs } from "./files.js";
import { segment, segments } from "./layout.js";

const TREE_FORMAT_VERSION = 1;
const XET_HASH = /^[0-9a-f]{64}$/;

const byPath = (a: TreeFile, b: TreeFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The listing, sorted by path; undefined when missing, corrupt or of another format (as Python). */
export async function readTree(repoDir: string, commit: string): Promise<TreeFile[] | undefined> {
	const file = join(repoDir, "trees", `${segment(commit, "commit")}.json`);
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
	return out.sort(byPath);
}

/** The file text of a listing (sorted by path); refuses a path that could leave its folder. */
export function treeText(files: TreeFile[]): string {
	const out: Record<string, Record<string, unknown>> = {};
	for (const f of [...files].sort(byPath)) {
		segments(f.path, "path");
		const info: Record<string, unknown> = { size: f.size, blob_id: f.oid };
		if (f.lfs) {
			info.lfs_sha256 = f.lfs.oid;
			info.lfs_size = f.lfs.size;
		}
		// Python drops the whole listing if one xet hash is malformed: never write one.
		if (f.xetHash && XET_HASH.test(f.xetHash)) info.xet_hash = f.xetHash;
		out[f.path] = info;
	}
	return JSON.stringify({ format_version: TREE_FORMAT_VERSION, files: out }, null, 1);
}

/** Writes `trees/<commit>.json` (a checked commit) atomically: a reader sees the old or the new. */
export async function writeTree(repoDir: string, commit: string, text: string): Promise<void> {
	const dir = join(repoDir, "trees");
	await makeDirs(dir);
	const file = join(dir, `${commit}.json`);
	const tmp = `${file}.${hex8()}.tmp`;
	try {
		await writeFile(tmp, text);
		await rename(tmp, file);
	} catch (e) {
		await unlink(tmp).catch(() => {});
		throw e;
	}
}

/** path → etag (LFS sha256, else git sha1) from the commit's listing; empty without one. */
export async function treeEtags(repoDir: string, commit: string): Promise<Map<string, string>> {
	const tree = await readTree(repoDir, commit).catch(() => undefined);
	return new Map((tree ?? []).map((f) => [f.path, f.lfs?.oid ?? f.oid]));
}
