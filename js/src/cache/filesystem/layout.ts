/**
 * Names in the `huggingface_hub` cache layout: the cache root, repo folders, and the path segments
 * a revision, path or etag may contribute. Every name that reaches the disk passes through here, so
 * nothing a caller supplies can leave its folder, and Python finds what we write where it looks.
 */
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { HubError } from "../../error.js";
import type { RepoKey } from "../store.js";
import { code, makeDirs, readdirOrEmpty } from "./files.js";

/** Blobs written before the store knew their repo: under `.locks/`, which Python's scanner skips. */
export const STAGING = join(".locks", ".hubwasm-staging");

/** A repo folder: `{type}s--{id with "/" → "--"}`. */
const REPO_FOLDER = /^(models|datasets|spaces)--(.+)$/;

/** Our temporaries (`<name>.<8 hex>.tmp`): never an entry, a ref or a blob. */
export const TMP_SUFFIX = /\.[0-9a-f]{8}\.tmp$/;

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
export function segments(p: string, what: string): string[] {
	const parts = p.split("/");
	for (const s of parts) {
		if (!s || s === "." || s === ".." || s.includes("\0") || s.includes("\\")) {
			throw invalid(`invalid ${what} for the file cache: ${JSON.stringify(p)}`);
		}
	}
	return parts;
}

/** One path segment (a commit, an etag): no `/` either. */
export function segment(s: string, what: string): string {
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

/** `models--ns--name` → `models/ns/name`; undefined for a folder that is no repo's. */
export function folderRepo(folder: string): RepoKey | undefined {
	const m = REPO_FOLDER.exec(folder);
	return m ? `${m[1]}/${m[2]!.replace(/--/g, "/")}` : undefined;
}

/** The repo folders under the root, sorted (`.locks`, `CACHEDIR.TAG` and strangers skipped). */
export async function repoFolders(root: string): Promise<string[]> {
	return (await readdirOrEmpty(root)).filter((n) => REPO_FOLDER.test(n)).sort();
}

/** The lock file of a blob: the very path `huggingface_hub` locks for it, so both name one file. */
export function blobLockPath(root: string, folder: string, etag: string): string {
	return join(root, ".locks", folder, `${etag}.lock`);
}

/** Creates the root with its `CACHEDIR.TAG` (backup tools skip the folder); an existing tag is kept. */
export async function makeRoot(root: string): Promise<void> {
	await makeDirs(root);
	await writeFile(join(root, "CACHEDIR.TAG"), CACHEDIR_TAG, { flag: "wx" }).catch((e) => {
		if (code(e) !== "EEXIST") throw e;
	});
}
