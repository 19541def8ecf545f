// Bad input, class by class (issue 16): each is an `InvalidInput` HubError whose message names the
// parameter, and the caller's `fetch` is never called. The same in Node, Chromium and workerd.
import { assert, eq, type C, type Hub } from "./helpers.js";
import type { Case } from "./support/types.js";

/** A fetch that records every call and answers none (a call reaching it is the failure). */
function refusing(): { fetch: typeof fetch; urls: string[] } {
	const urls: string[] = [];
	const f = async (input: RequestInfo | URL) => {
		urls.push(String(input));
		throw new TypeError("this test's fetch must not be called");
	};
	return { fetch: f as typeof fetch, urls };
}

/** Expects `InvalidInput` whose message mentions `name`. */
async function refused(c: C, p: Promise<unknown> | (() => Promise<unknown>), name: string, what: string): Promise<void> {
	try {
		await (typeof p === "function" ? p() : p);
	} catch (e) {
		assert(e instanceof c.hub.HubError, `${what}: expected a HubError, got ${String(e)}`);
		eq(e.code, "InvalidInput", `${what}: code (${e.message})`);
		assert(e.message.includes(name), `${what}: the message names ${name}: ${e.message}`);
		return;
	}
	throw new Error(`${what}: expected InvalidInput, but the call succeeded`);
}

const drain = async (g: AsyncGenerator<unknown>) => {
	for await (const _ of g);
};

type Any = any;

function base(c: C, fetch: typeof globalThis.fetch) {
	return { hubUrl: c.hubUrl, accessToken: c.token, repo: "test-user/model", fetch, cache: false as const };
}

/** A case whose every call must be refused before the caller's `fetch` is called. */
function refusedCase(name: string, body: (c: C, h: Any, o: ReturnType<typeof base>) => Promise<void>): Case<Hub> {
	return {
		name,
		async run(c) {
			const { fetch, urls } = refusing();
			await body(c, c.hub as Any, base(c, fetch));
			eq(urls, [], "fetch calls");
		},
	};
}

export const inputCases: Case<Hub>[] = [
	refusedCase("input: a required parameter missing, null or undefined is InvalidInput naming it", async (c, h, o) => {
		const calls: [string, Record<string, unknown>, string, (p: Any) => Promise<unknown>][] = [
			["listFiles", o, "repo", (p) => drain(h.listFiles(p))],
			["pathsInfo", { ...o, paths: ["a"] }, "paths", (p) => h.pathsInfo(p)],
			["pathsInfo", { ...o, paths: ["a"] }, "repo", (p) => h.pathsInfo(p)],
			["fileExists", { ...o, path: "a" }, "path", (p) => h.fileExists(p)],
			["fileDownloadInfo", { ...o, path: "a" }, "path", (p) => h.fileDownloadInfo(p)],
			["downloadFile", { ...o, path: "a" }, "path", (p) => h.downloadFile(p)],
			["downloadFile", { ...o, path: "a" }, "repo", (p) => h.downloadFile(p)],
			["downloadFileWithInfo", { ...o, path: "a" }, "path", (p) => h.downloadFileWithInfo(p)],
			["repoExists", o, "repo", (p) => h.repoExists(p)],
			["createRepo", o, "repo", (p) => h.createRepo(p)],
			["deleteRepo", o, "repo", (p) => h.deleteRepo(p)],
			["commit", { ...o, title: "t", operations: [] }, "title", (p) => h.commit(p)],
			["commit", { ...o, title: "t", operations: [] }, "operations", (p) => h.commit(p)],
			["uploadFile", { ...o, file: { path: "a", content: "a" } }, "file", (p) => h.uploadFile(p)],
			["uploadFiles", { ...o, files: [] }, "files", (p) => h.uploadFiles(p)],
			["deleteFile", { ...o, path: "a" }, "path", (p) => h.deleteFile(p)],
			["deleteFiles", { ...o, paths: ["a"] }, "paths", (p) => h.deleteFiles(p)],
			["repoKey", { repo: "u/m" }, "repo", (p) => h.repoKey(p)],
		];
		for (const [fn, good, name, call] of calls) {
			for (const v of ["missing", null, undefined]) {
				const p: Record<string, unknown> = { ...good };
				if (v === "missing") delete p[name];
				else p[name] = v;
				await refused(c, () => call(p), name, `${fn} with ${name} ${String(v)}`);
			}
		}
		for (const bad of [undefined, null, "u/m", 42, ["u/m"]]) {
			await refused(c, () => h.downloadFile(bad), "downloadFile", `downloadFile(${JSON.stringify(bad)})`);
			await refused(c, () => drain(h.listFiles(bad)), "listFiles", `listFiles(${JSON.stringify(bad)})`);
		}
	}),
	refusedCase("input: a string where an array is expected and the reverse, a number for a path or revision, an object for a range", async (c, h, o) => {
		await refused(c, () => h.pathsInfo({ ...o, paths: "README.md" }), "paths", "pathsInfo paths as a string");
		await refused(c, () => h.deleteFiles({ ...o, paths: "README.md" }), "paths", "deleteFiles paths as a string");
		await refused(c, () => h.uploadFiles({ ...o, files: { path: "a", content: "a" } }), "files", "uploadFiles files as an object");
		await refused(c, () => h.downloadFile({ ...o, path: ["README.md"] }), "path", "downloadFile path as an array");
		await refused(c, () => h.downloadFile({ ...o, path: 7 }), "path", "downloadFile path as a number");
		await refused(c, () => h.fileExists({ ...o, path: "a", revision: 12 }), "revision", "fileExists revision as a number");
		await refused(c, () => drain(h.listFiles({ ...o, recursive: "yes" })), "recursive", "listFiles recursive as a string");
		await refused(c, () => h.downloadFile({ ...o, path: "a", range: { start: 0, end: 9 } }), "range", "range as an object");
		await refused(c, () => h.downloadFile({ ...o, path: "a", range: [0.5, 9] }), "range", "range with a fraction");
		await refused(c, () => h.downloadFile({ ...o, path: "a", range: [9, 0] }), "range", "range backwards");
		await refused(c, () => h.commit({ ...o, title: 5, operations: [] }), "title", "commit title as a number");
	}),
	refusedCase("input: option values of the wrong type (cache, onProgress, patterns, concurrency, abortSignal, fetch, hubUrl)", async (c, h, o) => {
		const file = { ...o, path: "README.md" };
		for (const cache of ["yes", 1, {}, [], () => 1]) {
			await refused(c, () => h.downloadFile({ ...file, cache }), "cache", `downloadFile cache ${JSON.stringify(cache)}`);
			await refused(c, () => h.snapshotDownload({ ...file, cache }), "cache", `snapshotDownload cache ${JSON.stringify(cache)}`);
			await refused(c, () => h.listCachedFiles({ cache }), "cache", `listCachedFiles cache ${JSON.stringify(cache)}`);
			await refused(c, () => h.clearCache({ cache }), "cache", `clearCache cache ${JSON.stringify(cache)}`);
		}
		await refused(c, () => h.downloadFile({ ...file, onProgress: "log" }), "onProgress", "onProgress as a string");
		await refused(c, () => h.snapshotDownload({ ...file, allowPatterns: [1] }), "allowPatterns", "allowPatterns of numbers");
		await refused(c, () => h.snapshotDownload({ ...file, ignorePatterns: { a: 1 } }), "ignorePatterns", "ignorePatterns as an object");
		await refused(c, () => h.snapshotDownload({ ...file, concurrency: 0 }), "concurrency", "concurrency 0");
		await refused(c, () => h.uploadFiles({ ...file, files: [], concurrency: "4" }), "concurrency", "concurrency as a string");
		await refused(c, () => h.downloadFile({ ...file, abortSignal: { aborted: false } }), "abortSignal", "abortSignal that is not an AbortSignal");
		await refused(c, () => h.downloadFile({ ...file, fetch: "fetch" }), "fetch", "fetch as a string");
		for (const hubUrl of ["ftp://hub.test", "hub.test", "file:///etc", 443, ["http://x"]]) {
			await refused(c, () => h.downloadFile({ ...file, hubUrl }), "hubUrl", `hubUrl ${JSON.stringify(hubUrl)}`);
		}
		await refused(c, () => h.commit({ ...file, title: "t", operations: [], useWebWorkers: "yes" }), "useWebWorkers", "useWebWorkers as a string");
		await refused(c, () => h.commit({ ...file, title: "t", operations: [], hasher: "sha256" }), "hasher", "hasher as a string");
	}),
	refusedCase("input: what JSON cannot carry (NaN, Infinity, functions, Symbols, BigInt) is refused, not sent as null", async (c, h, o) => {
		await refused(c, () => drain(h.listFiles({ ...o, expand: NaN })), "expand", "expand NaN");
		await refused(c, () => drain(h.listFiles({ ...o, path: Symbol("p") })), "path", "path Symbol");
		await refused(c, () => h.fileExists({ ...o, path: "a", revision: 1n }), "revision", "revision BigInt");
		await refused(c, () => h.createRepo({ ...o, private: () => true }), "private", "private as a function");
		await refused(c, () => h.commit({ ...o, title: "t", operations: [], retry: { maxRetries: Infinity } }), "maxRetries", "maxRetries Infinity");
	}),
	refusedCase("input: commit operations that are not an array, or hold an unknown operation, no path or no content", async (c, h, o) => {
		const titled = { ...o, title: "t" };
		await refused(c, () => h.commit({ ...titled, operations: { operation: "delete", path: "a" } }), "operations", "operations as an object");
		await refused(c, () => h.commit({ ...titled, operations: "a" }), "operations", "operations as a string");
		await refused(c, () => h.commit({ ...titled, operations: [null] }), "operations[0]", "a null operation");
		await refused(c, () => h.commit({ ...titled, operations: [{ operation: "rename", path: "a" }] }), "operations[0].operation", "unknown operation");
		await refused(c, () => h.commit({ ...titled, operations: [{ operation: "delete" }] }), "operations[0].path", "no path");
		await refused(c, () => h.commit({ ...titled, operations: [{ operation: "addOrUpdate", path: "a" }] }), "operations[0].content", "no content");
		await refused(c, () => h.commit({ ...titled, operations: [{ operation: "addOrUpdate", path: "a", content: 12 }] }), "operations[0].content", "content as a number");
		await refused(c, () => h.uploadFile({ ...o }), "file", "uploadFile without a file");
		await refused(c, () => h.uploadFile({ ...o, file: 3 }), "files[0]", "uploadFile with a number");
		await refused(c, () => h.uploadFiles({ ...o, files: "a.txt" }), "files", "uploadFiles files as a string");
		await refused(c, () => h.deleteFiles({ ...o, paths: 3 }), "paths", "deleteFiles paths as a number");
		await refused(c, () => h.deleteFiles({ ...o, paths: ["a", 2] }), "paths", "deleteFiles paths with a number");
	}),
	refusedCase("input: a commit that cannot be right is refused locally (same path twice, a file and a folder at one path, .., empty segments, non-http URL contents)", async (c, h, o) => {
		const titled = { ...o, title: "t" };
		const add = (path: string, content: unknown = "x") => ({ operation: "addOrUpdate", path, content });
		await refused(c, () => h.commit({ ...titled, operations: [add("a.txt"), add("a.txt")] }), "a.txt", "the same path twice");
		await refused(c, () => h.commit({ ...titled, operations: [add("x/../a.txt")] }), "x/../a.txt", "a .. segment");
		await refused(c, () => h.commit({ ...titled, operations: [add("x//a.txt")] }), "x//a.txt", "an empty segment");
		await refused(c, () => h.commit({ ...titled, operations: [add("a"), add("a/b")] }), "a/b", "a file and a folder at one path");
		await refused(c, () => h.commit({ ...titled, operations: [add("d/e"), add("d")] }), "d", "a folder and a file at one path, the other order");
		for (const url of ["file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi", "ftp://host/a", "http://user:pw@host/a"]) {
			await refused(c, () => h.commit({ ...titled, operations: [add("a.bin", new URL(url))] }), "content", `URL content ${url}`);
			await refused(c, () => h.uploadFiles({ ...o, files: [new URL(url)] }), "files[0]", `uploadFiles URL ${url}`);
		}
	}),
];
