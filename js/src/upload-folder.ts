/**
 * `uploadFolder`, as `huggingface_hub`'s `upload_folder`: a folder's files in one commit, filtered
 * by `allowPatterns` / `ignorePatterns`, with the repo files `deletePatterns` select deleted in
 * the same commit. This is the stub; the code (`upload-folder-impl.ts`) comes with the first call
 * and is handed what it uses of the page's modules, so a page that never calls it carries only
 * these lines.
 */
import { check, invalid, isObject, PATTERNS, STRING } from "./check.js";
import { commitAs, type CommitOutput, type CommitParams } from "./commit.js";
import { isContent, type ContentSource } from "./content.js";
import { filterPaths } from "./glob.js";
import { listFiles } from "./list-files.js";
import { revisionOf } from "./params.js";

export interface UploadFolderParams extends Omit<CommitParams, "title" | "operations"> {
	/**
	 * The folder. In Node, its path; in browsers, a `FileSystemDirectoryHandle` (from
	 * `showDirectoryPicker()` or a dropped folder) or the files of an `<input webkitdirectory>`
	 * (each at its `webkitRelativePath` less the folder's own name); anywhere, `{ path, content }`
	 * entries with paths relative to the folder.
	 */
	folder: string | FileSystemDirectoryHandle | ArrayLike<File> | { path: string; content: ContentSource }[];
	/** Where the folder goes in the repo, e.g. `"checkpoints/step-100"` (the root when absent). */
	pathInRepo?: string;
	/** Upload only the files whose path in the folder matches one of these (fnmatch: `*` crosses `/`, `"logs/"` is a folder). */
	allowPatterns?: string | string[];
	/** Leave out the files whose path in the folder matches one of these (`.git/` and `.cache/huggingface/` always are). */
	ignorePatterns?: string | string[];
	/**
	 * In the same commit, delete the repo's files under `pathInRepo` that these select (paths
	 * relative to `pathInRepo`; one listing of the branch): never `.gitattributes`, nor a file this
	 * commit uploads.
	 */
	deletePatterns?: string | string[];
	/** Default: "Upload folder using hubwasm". */
	commitTitle?: string;
	commitDescription?: string;
}

/** How the Node entry reads a folder given by its path: each regular file, by path relative to it. */
export type FolderReader = (folder: string) => Promise<{ path: string; content: Blob }[]>;

let readFolder: FolderReader | undefined;

/** Set by the Node entry; elsewhere a folder path is `InvalidInput`. */
export function setFolderReader(read: FolderReader): void {
	readFolder = read;
}

/** What the code of `uploadFolder` uses of the page's modules, by position (fewer bytes than keys). */
const deps = [check, invalid, isObject, PATTERNS, STRING, isContent, filterPaths, listFiles, revisionOf, commitAs, () => readFolder] as const;
export type UploadFolderDeps = typeof deps;

/** Uploads a folder in one commit (`huggingface_hub`'s `upload_folder`). */
export async function uploadFolder(params: UploadFolderParams): Promise<CommitOutput> {
	return (await import("./upload-folder-impl.js")).uploadFolder(params, deps);
}
