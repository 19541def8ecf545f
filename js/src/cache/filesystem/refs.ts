/**
 * `refs/<revision>`: the commit a branch or tag pointed to, as `huggingface_hub` writes it (the bare
 * 40-hex commit, no newline; `refs/pr/1` nests as `refs/refs/pr/1`). The file's mtime is when we
 * learnt it, which the download code's freshness window is measured from.
 */
import { readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { RefRecord } from "../store.js";
import { code, hex8, isMissing, makeDirs, walkFiles } from "./files.js";
import { segments, TMP_SUFFIX } from "./layout.js";

/** The commit `refs/<revision>` names, and when it was written; undefined when there is none. */
export async function readRef(repoDir: string, revision: string): Promise<RefRecord | undefined> {
	const file = join(repoDir, "refs", ...segments(revision, "revision"));
	try {
		const [text, st] = await Promise.all([readFile(file, "utf8"), stat(file)]);
		const commit = text.trim();
		return commit ? { commit, at: Math.round(st.mtimeMs) } : undefined;
	} catch (e) {
		if (isMissing(e) || code(e) === "EISDIR") return undefined;
		throw e;
	}
}

/**
 * Points `revision` (its checked segments) at `commit`, learnt at `nowMs`. The file is replaced by
 * a rename only when the commit changes, so a reader never sees half a ref.
 */
export async function writeRef(repoDir: string, revision: string[], commit: string, nowMs: number): Promise<void> {
	// Python's cache scanner wants every ref to name an existing snapshot folder.
	await makeDirs(join(repoDir, "snapshots", commit));
	if (revision.join("/") === commit) return; // like Python: a commit is not a ref
	const file = join(repoDir, "refs", ...revision);
	const t = nowMs / 1000;
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
	await makeDirs(dirname(file));
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

/** commit → the revision names (`/`-joined) whose ref files name it. */
export async function refsByCommit(repoDir: string): Promise<Map<string, string[]>> {
	const refsDir = join(repoDir, "refs");
	const out = new Map<string, string[]>();
	for (const rel of await walkFiles(refsDir)) {
		if (TMP_SUFFIX.test(rel)) continue;
		const commit = (await readFile(join(refsDir, rel), "utf8").catch(() => "")).trim();
		if (!commit) continue;
		out.set(commit, [...(out.get(commit) ?? []), rel]);
	}
	return out;
}
