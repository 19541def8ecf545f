// The whole public surface under generated input (fast-check): for every exported function and
// class of the Node entry, each parameter in turn is left out, set to null, or given a value of
// another type, an empty or huge one, or an odd string; and sometimes the whole options object is
// replaced. Against the local Hub with its request log, the outcome must be a result or a
// `HubError` with a documented code — never another exception — and an `InvalidInput` must come
// with no request logged. HUBWASM_SURFACE_RUNS sets the cases per function (default 100).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { importBuilt } from "./support/runner.mjs";
import { startHub, seedFixtures, requestLog, clearRequestLog } from "./support/hub.mjs";

const api = await importBuilt(new URL("../dist/node.js", import.meta.url), "build the package first (`make build`).");
const RUNS = Number(process.env.HUBWASM_SURFACE_RUNS) || 100;

/** The codes the README's error table documents. */
const CODES = new Set([
  "RepoNotFound", "RevisionNotFound", "EntryNotFound", "GatedRepo", "DisabledRepo", "BucketNotFound", "JobNotFound",
  "AuthRequired", "Forbidden", "Conflict", "PreconditionFailed", "RateLimited", "RangeNotSatisfiable", "BadRequest",
  "InvalidInput", "MalformedResponse", "Http", "Network", "Storage", "Integrity", "NotCached",
]);


let hub, fx, tmp;
before(async () => {
  hub = await startHub();
  fx = await seedFixtures(hub);
  tmp = await mkdtemp(join(tmpdir(), "hubwasm-surface-"));
  // `cache: true` in Node is the huggingface_hub folder: keep it in this test's folder.
  process.env.HF_HUB_CACHE = join(tmp, "hf-hub");
});
after(async () => {
  await hub?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A `fetch` that rejects. (Not given as `onProgress`: a callback's returned promise is not
 * awaited, as with event listeners, so one that rejects is the caller's unhandled rejection.) */
const rejecting = async () => { throw new Error("boom"); };

/** Values of every kind, including the ones JSON cannot carry. */
const oddString = fc.oneof(
  fc.constantFrom("", " ", "..", "../x", "a//b", "/", "a\0b", "\u{1F600}", "%2e%2e", "https://", "javascript:alert(1)", "?#&"),
  fc.string({ maxLength: 12 }),
  fc.constant("x".repeat(300)),
  fc.constant("y".repeat(70_000)),
);
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -1, 1.5, NaN, Infinity, -0, 2 ** 53, 10n, Symbol("s")),
  oddString,
  fc.constantFrom([], [""], [1, 2], [null], ["a", 1], {}, { a: 1 }, { name: 1, type: "model" }, new Date(0)),
  fc.constantFrom(() => 1, () => { throw new Error("boom"); }, rejecting, () => new Response("{}")),
  fc.constantFrom(new URL("file:///etc/passwd"), new URL("data:,x"), new Blob(["x"]), new Uint8Array(2), new AbortController().signal),
);

/** How each function is called with good options (read-only where a write could break others). */
const good = () => {
  const hubUrl = hub.url;
  const repo = fx.publicRepo;
  const accessToken = hub.token;
  const scratch = `${hub.user}/surface-scratch`;
  const cacheDir = join(tmp, "cache");
  // A redirect back from the Hub whose code was never issued: the exchange is the Hub's 400.
  const signedIn = `${hubUrl}/callback?code=never-issued&state=${encodeURIComponent(JSON.stringify({ nonce: "n", redirectUri: `${hubUrl}/callback` }))}`;
  // A case whose fetch always fails is retried (reads and writes alike): keep the backoff short.
  const retry = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 };
  return {
    listFiles: { hubUrl, repo, accessToken, retry },
    pathsInfo: { hubUrl, repo, accessToken, retry, paths: ["README.md"] },
    fileExists: { hubUrl, repo, accessToken, retry, path: "README.md" },
    fileDownloadInfo: { hubUrl, repo, accessToken, retry, path: "README.md" },
    downloadFile: { hubUrl, repo, accessToken, retry, path: "README.md" },
    downloadFileWithInfo: { hubUrl, repo, accessToken, retry, path: "README.md", cache: false },
    downloadFileToCacheDir: { hubUrl, repo, accessToken, retry, path: "README.md", cacheDir },
    snapshotDownload: { hubUrl, repo, accessToken, retry, cacheDir, allowPatterns: "*.md" },
    whoAmI: { hubUrl, accessToken, retry },
    repoExists: { hubUrl, repo, accessToken, retry },
    createRepo: { hubUrl, repo: scratch, accessToken, retry },
    deleteRepo: { hubUrl, repo: `${hub.user}/surface-never-created`, accessToken, retry },
    commit: { hubUrl, repo: scratch, accessToken, retry, title: "t", operations: [{ operation: "addOrUpdate", path: "a.txt", content: "a" }] },
    uploadFile: { hubUrl, repo: scratch, accessToken, retry, file: { path: "b.txt", content: "b" } },
    uploadFiles: { hubUrl, repo: scratch, accessToken, retry, files: [{ path: "c.txt", content: "c" }] },
    uploadFolder: { hubUrl, repo: scratch, accessToken, retry, folder: [{ path: "d.txt", content: "d" }], pathInRepo: "folder" },
    uploadFilesWithProgress: { hubUrl, repo: scratch, accessToken, retry, files: [{ path: "d.txt", content: "d" }] },
    deleteFile: { hubUrl, repo: scratch, accessToken, retry, path: "never.txt" },
    deleteFiles: { hubUrl, repo: scratch, accessToken, retry, paths: ["never.txt"] },
    repoKey: { repo },
    listCachedFiles: { cache: new api.FileSystemCache({ cacheDir }) },
    cacheSize: { cache: new api.FileSystemCache({ cacheDir }) },
    deleteCachedFiles: { cache: new api.FileSystemCache({ cacheDir }), repo },
    clearCache: { cache: new api.FileSystemCache({ cacheDir: join(tmp, "cleared") }) },
    setCacheBudget: { bytes: 1 << 30, cache: new api.FileSystemCache({ cacheDir }) },
    transformersCache: { hubUrl, accessToken, retry, cache: new api.FileSystemCache({ cacheDir }) },
    authCheck: { hubUrl, repo, accessToken, retry, write: true },
    parseSafetensorsMetadata: { hubUrl, repo, accessToken, retry, path: "x.safetensors" },
    moveRepo: { hubUrl, accessToken, retry, fromRepo: `${hub.user}/surface-never-created`, toRepo: `${hub.user}/surface-moved` },
    updateRepoSettings: { hubUrl, repo: scratch, accessToken, retry, gated: false },
    duplicateRepo: { hubUrl, accessToken, retry, fromRepo: `${hub.user}/surface-never-created`, toRepo: `${hub.user}/surface-copy` },
    checkRepoAccess: { hubUrl, repo, accessToken, retry },
    listRepoRefs: { hubUrl, repo, accessToken, retry },
    createBranch: { hubUrl, repo: scratch, accessToken, retry, branch: "surface", overwrite: true },
    deleteBranch: { hubUrl, repo: scratch, accessToken, retry, branch: "surface-never" },
    createTag: { hubUrl, repo: scratch, accessToken, retry, tag: "surface-tag" },
    deleteTag: { hubUrl, repo: scratch, accessToken, retry, tag: "surface-never" },
    listCommits: { hubUrl, repo, accessToken, retry },
    countCommits: { hubUrl, repo, accessToken, retry },
    resolveRevision: { hubUrl, repo, accessToken, retry },
    revisionExists: { hubUrl, repo, accessToken, retry, revision: "main" },
    modelInfo: { hubUrl, name: repo, accessToken, retry, additionalFields: ["cardData", "filePaths"] },
    datasetInfo: { hubUrl, name: repo, accessToken, retry },
    spaceInfo: { hubUrl, name: repo, accessToken, retry },
    repoInfo: { hubUrl, repo, accessToken, retry, additionalFields: ["tags"] },
    listModels: { hubUrl, accessToken, retry, search: { owner: hub.user }, limit: 5 },
    listDatasets: { hubUrl, accessToken, retry, search: { owner: hub.user }, limit: 5 },
    listSpaces: { hubUrl, accessToken, retry, search: { owner: hub.user }, limit: 5 },
    listRepoLikers: { hubUrl, repo, accessToken, retry },
    like: { hubUrl, repo: scratch, accessToken, retry },
    unlike: { hubUrl, repo: scratch, accessToken, retry },
    oauthLoginUrl: { hubUrl, retry, clientId: "hubwasm-local", redirectUrl: `${hubUrl}/callback`, localStorage: {} },
    oauthHandleRedirect: { hubUrl, retry, redirectedUrl: signedIn, nonce: "n", codeVerifier: "v".repeat(43) },
    oauthHandleRedirectIfPresent: { hubUrl, retry, redirectedUrl: signedIn, nonce: "n", codeVerifier: "v".repeat(43) },
  };
};

/** Each function's parameters beyond the common ones (hubUrl, accessToken, credentials, fetch, abortSignal, retry). */
const PARAMS = {
  listFiles: ["repo", "revision", "path", "recursive", "expand"],
  pathsInfo: ["repo", "revision", "paths", "expand"],
  fileExists: ["repo", "revision", "path"],
  fileDownloadInfo: ["repo", "revision", "path", "raw"],
  downloadFile: ["repo", "revision", "path", "raw", "range", "cache", "offline", "cachePrivate", "freshnessMs", "onProgress", "stream"],
  downloadFileWithInfo: ["repo", "revision", "path", "raw", "range", "cache", "offline", "cachePrivate", "freshnessMs", "onProgress"],
  downloadFileToCacheDir: ["repo", "revision", "path", "cacheDir", "offline", "freshnessMs", "onProgress"],
  snapshotDownload: ["repo", "revision", "allowPatterns", "ignorePatterns", "concurrency", "cache", "cacheDir", "offline", "freshnessMs", "onProgress"],
  whoAmI: [],
  repoExists: ["repo", "revision"],
  createRepo: ["repo", "private", "visibility", "license", "sdk", "files"],
  deleteRepo: ["repo"],
  commit: ["repo", "title", "description", "operations", "branch", "revision", "parentCommit", "isPullRequest", "createPr", "useWebWorkers", "concurrency", "maxConcurrency", "onProgress", "hasher"],
  uploadFile: ["repo", "file", "commitTitle", "commitDescription", "branch", "concurrency", "onProgress"],
  uploadFolder: ["repo", "folder", "pathInRepo", "allowPatterns", "ignorePatterns", "deletePatterns", "commitTitle", "commitDescription", "branch", "concurrency", "onProgress"],
  uploadFiles: ["repo", "files", "commitTitle", "commitDescription", "branch", "concurrency", "onProgress"],
  uploadFilesWithProgress: ["repo", "files", "commitTitle", "commitDescription", "branch", "onProgress"],
  deleteFile: ["repo", "path", "commitTitle", "branch"],
  deleteFiles: ["repo", "paths", "deletePatterns", "commitTitle", "branch"],
  repoKey: ["repo"],
  listCachedFiles: ["cache", "repo"],
  cacheSize: ["cache"],
  deleteCachedFiles: ["cache", "repo", "commitOid", "commit", "path"],
  clearCache: ["cache"],
  setCacheBudget: ["bytes", "cache"],
  transformersCache: ["cache", "freshnessMs"],
  authCheck: ["repo", "write"],
  parseSafetensorsMetadata: ["repo", "revision", "path"],
  moveRepo: ["fromRepo", "toRepo"],
  updateRepoSettings: ["repo", "private", "visibility", "gated"],
  duplicateRepo: ["fromRepo", "toRepo", "private", "visibility", "existOk", "spaceHardware", "spaceStorage", "spaceSleepTime", "spaceSecrets", "spaceVariables"],
  checkRepoAccess: ["repo"],
  listRepoRefs: ["repo", "includePullRequests"],
  createBranch: ["repo", "branch", "revision", "empty", "overwrite"],
  deleteBranch: ["repo", "branch"],
  createTag: ["repo", "tag", "tagMessage", "revision"],
  deleteTag: ["repo", "tag"],
  listCommits: ["repo", "revision", "batchSize"],
  countCommits: ["repo", "revision"],
  resolveRevision: ["repo", "revision"],
  revisionExists: ["repo", "revision"],
  modelInfo: ["name", "revision", "additionalFields"],
  datasetInfo: ["name", "revision", "additionalFields"],
  spaceInfo: ["name", "revision", "additionalFields"],
  repoInfo: ["repo", "revision", "additionalFields"],
  listModels: ["search", "sort", "limit", "additionalFields"],
  listDatasets: ["search", "sort", "limit", "additionalFields"],
  listSpaces: ["search", "sort", "limit", "additionalFields"],
  listRepoLikers: ["repo", "batchSize"],
  like: ["repo"],
  unlike: ["repo"],
  oauthLoginUrl: ["clientId", "scopes", "redirectUrl", "state", "orgIds", "localStorage"],
  oauthHandleRedirect: ["redirectedUrl", "nonce", "codeVerifier"],
  oauthHandleRedirectIfPresent: ["redirectedUrl", "nonce", "codeVerifier"],
};
const COMMON = ["hubUrl", "accessToken", "credentials", "fetch", "abortSignal", "retry"];
/** Values that would reach past 127.0.0.1 or outside the test's folder, where they are valid. */
const unsafe = (name, v) =>
  (name === "hubUrl" && typeof v === "string" && /^https?:\/\/./i.test(v)) ||
  (name === "cacheDir" && typeof v === "string") ||
  // In Node a folder path is read and uploaded: "/" would be the whole disk.
  (name === "folder" && typeof v === "string");

/** Operations with one odd entry: the commit's own inputs. */
const badOperation = fc.oneof(
  anyValue,
  fc.record({ operation: anyValue, path: fc.constant("x.txt"), content: fc.constant("x") }),
  fc.record({ operation: fc.constant("addOrUpdate"), path: anyValue, content: fc.constant("x") }),
  fc.record({ operation: fc.constant("addOrUpdate"), path: fc.constant("x.txt"), content: anyValue }),
);

/** Calls `fn` and reads what it gives to the end (generators, streams, Blobs). */
async function outcome(name, params) {
  const r = api[name](params);
  if (r && typeof r[Symbol.asyncIterator] === "function") {
    let n = 0;
    for await (const _ of r) if (++n > 1000) break;
    return;
  }
  const v = await r;
  if (name === "transformersCache") {
    // Used as transformers.js uses it: a lookup, storing what it fetched (here the fixture's
    // bytes, so the test's own fetch logs nothing), the lookup again.
    const url = `${hub.url}/${fx.publicRepo}/resolve/main/README.md`;
    await v.match(url);
    await v.put(url, new Response(Buffer.from(fx.files[0].base64, "base64")));
    await (await v.match(url))?.arrayBuffer();
    return;
  }
  if (v instanceof Blob) await v.arrayBuffer();
  else if (v instanceof ReadableStream) await new Response(v).arrayBuffer();
}

function judge(name, label, err, logged) {
  if (err === undefined) return;
  if (err?.name === "AbortError") return; // an aborted signal the case passed in
  if (err?.message === "boom") return; // the case's own callback threw: its error is the caller's
  assert.ok(err instanceof api.HubError, `${name} ${label}: threw ${err?.name}: ${err?.message ?? err}`);
  assert.ok(CODES.has(err.code), `${name} ${label}: undocumented code ${err.code}`);
  if (err.code === "InvalidInput") assert.equal(logged, 0, `${name} ${label}: InvalidInput after ${logged} request(s): ${err.message}`);
}

const describeValue = (v) => {
  try {
    if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    if (typeof v === "bigint" || typeof v === "symbol") return String(v);
    if (typeof v === "function") return `function ${String(v).slice(0, 40)}`;
    return v instanceof Object && !Array.isArray(v) && v.constructor !== Object ? v.constructor.name : JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

let cases = 0;
let failures = 0;
const names = Object.keys(PARAMS);
test(`surface: ${names.length} functions and 2 classes × ${RUNS} generated cases each: a result or a documented HubError`, { timeout: 30 * 60_000 }, async (t) => {
  const exported = Object.entries(api).filter(([, v]) => typeof v === "function").map(([k]) => k);
  for (const k of exported) {
    const known = k in PARAMS || ["HubError", "FileSystemCache", "IndexedDbCache", "CacheApiStore", "RemoteBlob", "defaultCacheDir"].includes(k);
    assert.ok(known, `exported function ${k} is not in the surface test: add it to PARAMS`);
  }
  for (const name of names) {
    await t.test(name, async () => {
      failures++; // undone when the property holds
      const keys = [...PARAMS[name], ...COMMON];
      const mutation = fc.oneof(
        { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...keys), anyValue, fc.boolean()) },
        { weight: 1, arbitrary: fc.tuple(fc.constant("<options>"), anyValue, fc.constant(false)) },
        ...(name === "commit" ? [{ weight: 3, arbitrary: fc.tuple(fc.constant("operations"), badOperation.map((op) => [op]), fc.constant(false)) }] : []),
      );
      await fc.assert(
        fc.asyncProperty(mutation, async ([key, value, remove]) => {
          if (unsafe(key, value) || (key === "onProgress" && value === rejecting)) return;
          let params;
          if (key === "<options>") params = value;
          else {
            params = { ...good()[name] };
            if (remove) delete params[key];
            else params[key] = value;
          }
          await clearRequestLog(hub);
          let err;
          try {
            await outcome(name, params);
          } catch (e) {
            err = e;
          }
          const logged = (await requestLog(hub)).length;
          cases++;
          judge(name, `with ${key} ${remove ? "left out" : `= ${describeValue(value)}`}`, err, logged);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      failures--;
    });
  }
  for (const [cls, optionNames] of [["FileSystemCache", ["cacheDir", "lockStaleMs", "lockPollMs", "now", "env"]], ["CacheApiStore", ["name", "cache", "origin", "accessResolutionMs", "now"]]]) {
    await t.test(`new ${cls}`, async () => {
      failures++;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...optionNames), anyValue, async (key, value) => {
          if (key === "cacheDir" && typeof value === "string") return;
          cases++;
          try {
            const store = new api[cls]({ [key]: value, ...(cls === "FileSystemCache" && key !== "cacheDir" && { cacheDir: join(tmp, "ctor") }) });
            await store.size();
          } catch (e) {
            judge(`new ${cls}`, `with ${key} = ${describeValue(value)}`, e, 0);
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      failures--;
    });
  }
  const line = `surface: ${names.length} functions and 2 classes × ${cases} cases, failures ${failures}`;
  t.diagnostic(line);
  console.log(line);
});
