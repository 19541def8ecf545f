// uploadFolder (issue 18): a folder as each runtime has one (a path in Node, a directory handle
// of the origin-private file system in Chromium, { path, content } entries in workerd), with
// pathInRepo, allow/ignore patterns, the folders huggingface_hub never uploads, and deletePatterns
// in the same commit.
import { expectHubError, freshRepo, type C, type Hub, refusingFetch, assert as check } from "./helpers.js";
import type { Case } from "./support/types.js";

const auth = (c: C) => ({ hubUrl: c.hubUrl, accessToken: c.token });

/** A folder holding `files` (path → text), in the form this runtime has folders in. */
async function makeFolder(c: C, files: Record<string, string>): Promise<any> {
	const id = `folder-${Math.random().toString(36).slice(2, 8)}`;
	if (c.runtime === "node") return c.tempFolder!(files);
	if (c.runtime === "chromium") {
		const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(id, { create: true });
		for (const [p, text] of Object.entries(files)) {
			const parts = p.split("/");
			let dir = root;
			for (const d of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(d, { create: true });
			const w = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
			await w.write(text);
			await w.close();
		}
		return root;
	}
	return Object.entries(files).map(([path, text]) => ({ path, content: new Blob([text]) }));
}

async function repoFiles(c: C, repo: string): Promise<string[]> {
	const out: string[] = [];
	for await (const f of c.hub.listFiles({ ...auth(c), repo, recursive: true })) if (f.type === "file") out.push(f.path);
	return out.sort();
}

export const folderCases: Case<Hub>[] = [
	{
		name: "uploadFolder: the folder under pathInRepo, filtered by allow/ignore patterns, .git left out, deletePatterns applied in the same commit",
		async run(c) {
			const repo = await freshRepo(c, "folder");
			await c.hub.uploadFiles({
				...auth(c),
				repo,
				files: ["ckpt/old.bin", "ckpt/keep.txt", "ckpt/a.txt", "other/x.bin"].map((path) => ({ path, content: new Blob([`old ${path}`]) })),
			});
			const folder = await makeFolder(c, {
				"a.txt": "A",
				"sub/b.bin": "B",
				"logs/run.txt": "L",
				"notes.md": "N",
				".git/HEAD": "ref: refs/heads/main",
				"sub/.git/config": "[core]",
				".cache/huggingface/upload/a.txt.metadata": "m",
			});
			const out = await c.hub.uploadFolder({ ...auth(c), repo, folder, pathInRepo: "ckpt/", allowPatterns: ["*.txt", "*.bin"], ignorePatterns: "logs/", deletePatterns: "*.bin" });
			check(typeof out.commit.oid === "string", "a commit");
			// a.txt replaced, sub/b.bin added; logs/ ignored, notes.md not allowed, .git and .cache left
			// out; ckpt/old.bin deleted (a *.bin not uploaded); other/x.bin is outside pathInRepo.
			const files = await repoFiles(c, repo);
			check(files.join() === ".gitattributes,ckpt/a.txt,ckpt/keep.txt,ckpt/sub/b.bin,other/x.bin", `the repo's files: ${files}`);
			const a = await (await c.hub.downloadFile({ ...auth(c), repo, path: "ckpt/a.txt", cache: false }))!.text();
			check(a === "A", `ckpt/a.txt: ${a}`);
			check((await c.hub.countCommits({ ...auth(c), repo })) === 3, "one commit for the folder");
			for await (const commit of c.hub.listCommits({ ...auth(c), repo })) {
				check(commit.title === "Upload folder using hubwasm", `the default title: ${commit.title}`);
				break;
			}
			// The root, and deletePatterns alone doing the work when no file is left to upload.
			await c.hub.uploadFolder({ ...auth(c), repo, folder, allowPatterns: "notes.md", commitTitle: "notes" });
			check((await repoFiles(c, repo)).includes("notes.md"), "at the root");
			await c.hub.uploadFolder({ ...auth(c), repo, folder, allowPatterns: "none-*", deletePatterns: ["other/"] });
			check(!(await repoFiles(c, repo)).includes("other/x.bin"), "a folder pattern deletes under it");
			await expectHubError(c.hub.uploadFolder({ ...auth(c), repo, folder, allowPatterns: "none-*", deletePatterns: "*.none" }), c.hub, "EntryNotFound", "nothing to upload or delete");
		},
	},
	{
		name: "uploadFolder: bad input is InvalidInput before any request",
		async run(c) {
			const repo = `${c.fixtures.publicRepo.split("/")[0]}/never-made`;
			const o = { ...auth(c), repo, fetch: refusingFetch };
			const folder = await makeFolder(c, { "a.txt": "A" });
			const h = c.hub as any;
			const bad: [unknown, string][] = [
				[{ ...o, folder: 3 }, "folder a number"],
				[{ ...o }, "no folder"],
				[{ ...o, folder: [] }, "an empty folder"],
				[{ ...o, folder, allowPatterns: "*.bin" }, "patterns that keep no file"],
				[{ ...o, folder: [{ path: "a" }] }, "an entry without content"],
				[{ ...o, folder, pathInRepo: 3 }, "pathInRepo a number"],
				[{ ...o, folder, ignorePatterns: [1] }, "ignorePatterns not strings"],
				[{ ...o, folder, deletePatterns: {} }, "deletePatterns an object"],
			];
			if (c.runtime !== "node") bad.push([{ ...o, folder: "/tmp" }, "a folder path outside Node"]);
			else bad.push([{ ...o, folder: `${await c.tempFolder!({ "a.txt": "A" })}/no-such-folder` }, "a path that is not a folder"]);
			for (const [p, what] of bad) await expectHubError(h.uploadFolder(p), c.hub, "InvalidInput", what);
		},
	},
];
