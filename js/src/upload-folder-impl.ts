/**
 * The code of `uploadFolder` (see `upload-folder.ts`, which hands it the page's modules: importing
 * them here would make a bundler split them into a chunk every page then fetches).
 */
import type { CommitOperation, CommitOutput } from "./commit.js";
import type { ContentSource } from "./content.js";
import { HubError } from "./error.js";
import type { UploadFolderDeps, UploadFolderParams } from "./upload-folder.js";

/** What `huggingface_hub` never uploads from a folder (its `DEFAULT_IGNORE_PATTERNS`, fnmatch). */
const ALWAYS_IGNORED = [".git", ".git/*", "*/.git", "*/.git/*", ".cache/huggingface", ".cache/huggingface/*", "*/.cache/huggingface", "*/.cache/huggingface/*"];

type Entry = { path: string; content: ContentSource };

/** A `FileSystemDirectoryHandle`, by shape (Node and Workers have no such class). */
const isDirectory = (v: unknown): v is FileSystemDirectoryHandle =>
	typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "directory" && typeof (v as { entries?: unknown }).entries === "function";

/** Every file under `dir`, depth first, at its path below it. */
async function walk(dir: FileSystemDirectoryHandle, prefix: string, out: Entry[]): Promise<Entry[]> {
	const children = (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
	for await (const [name, h] of children) {
		if (h.kind === "file") out.push({ path: prefix + name, content: await (h as FileSystemFileHandle).getFile() });
		else await walk(h as FileSystemDirectoryHandle, `${prefix}${name}/`, out);
	}
	return out;
}

export async function uploadFolder(
	params: UploadFolderParams,
	[check, invalid, isObject, PATTERNS, STRING, isContent, filterPaths, listFiles, revisionOf, commitAs, reader]: UploadFolderDeps,
): Promise<CommitOutput> {
	const fn = "uploadFolder";
	const FOLDER = [
		"a folder path (Node), a FileSystemDirectoryHandle, picked Files, or [{ path, content }]",
		(v: unknown) => typeof v === "string" || isDirectory(v) || (typeof v === "object" && v !== null && typeof (v as ArrayLike<unknown>).length === "number"),
	] as const;
	check(
		fn,
		params,
		{ folder: FOLDER, pathInRepo: STRING, allowPatterns: PATTERNS, ignorePatterns: PATTERNS, deletePatterns: PATTERNS, commitTitle: STRING, commitDescription: STRING },
		["repo", "folder"],
	);
	const prefix = (params.pathInRepo ?? "").replace(/^\.?\/+|\/+$/g, "").replace(/^\.$/, "");
	const entries = await folderEntries(params.folder);
	const ignore = params.ignorePatterns == null ? [] : Array.isArray(params.ignorePatterns) ? params.ignorePatterns : [params.ignorePatterns];
	const keep = filterPaths(params.allowPatterns, [...ignore, ...ALWAYS_IGNORED]);
	const adds: CommitOperation[] = entries.filter((e) => keep(e.path)).map((e) => ({ operation: "addOrUpdate", path: prefix ? `${prefix}/${e.path}` : e.path, content: e.content }));
	const added = new Set(adds.map((o) => o.path));
	const deletes: CommitOperation[] = [];
	if (params.deletePatterns != null) {
		const select = filterPaths(params.deletePatterns, null);
		const under = prefix ? `${prefix}/` : "";
		for await (const f of listFiles({ ...params, path: undefined, revision: revisionOf(params), recursive: true })) {
			if (f.type !== "file" || f.path === ".gitattributes" || added.has(f.path) || !f.path.startsWith(under)) continue;
			if (select(f.path.slice(under.length))) deletes.push({ operation: "delete", path: f.path });
		}
	}
	if (adds.length + deletes.length === 0) {
		throw new HubError(
			params.deletePatterns == null
				? { code: "InvalidInput", message: `${fn}: no file of the folder is left to upload (${entries.length} found, allowPatterns and ignorePatterns keep none): nothing to commit` }
				: { code: "EntryNotFound", message: `${fn}: no file of the folder is left to upload and deletePatterns select no file of the repo: nothing to commit` },
		);
	}
	return commitAs(fn, {
		...params,
		title: params.commitTitle ?? "Upload folder using hubwasm",
		description: params.commitDescription,
		operations: [...deletes, ...adds],
	});

	/** The folder's files at their paths in it, whatever form it was given in. */
	async function folderEntries(folder: UploadFolderParams["folder"]): Promise<Entry[]> {
		if (typeof folder === "string") {
			const read = reader();
			if (!read) throw invalid(fn, "folder", "a FileSystemDirectoryHandle, picked Files or [{ path, content }] (a folder path is read in Node only)", folder);
			return read(folder);
		}
		if (isDirectory(folder)) return walk(folder, "", []);
		return Array.from(folder as ArrayLike<unknown>, (f, i): Entry => {
			if (typeof File !== "undefined" && f instanceof File) {
				// Picked from a folder: `top/sub/x.bin` is `sub/x.bin` in it.
				const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
				return { path: rel && rel.includes("/") ? rel.slice(rel.indexOf("/") + 1) : f.name, content: f };
			}
			if (isObject(f) && typeof f.path === "string" && isContent(f.content)) return { path: f.path, content: f.content };
			throw invalid(fn, `folder[${i}]`, "a File or { path, content }", f);
		});
	}
}
