// The official JavaScript client, @huggingface/hub, against tests/hub-server (node --test).
//
// One server, one repo, steps in order. A step that needs an earlier one is skipped, naming it,
// when that one did not pass, so each server gap shows up as exactly one failure. Requests are
// checked on the server's own log (/__admin/requests).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  HubApiError,
  checkRepoAccess,
  commit,
  countCommits,
  createBranch,
  createRepo,
  datasetInfo,
  deleteBranch,
  deleteFile,
  deleteFiles,
  fileExists,
  listDatasets,
  deleteRepo,
  downloadFile,
  fileDownloadInfo,
  listCommits,
  listFiles,
  listModels,
  listSpaces,
  modelInfo,
  pathsInfo,
  repoExists,
  spaceInfo,
  uploadFile,
  uploadFiles,
  whoAmI,
} from "@huggingface/hub";
import { startHub, CHUNK_SIZE } from "./hubserver.mjs";

const HUB_JS_VERSION = JSON.parse(
  readFileSync(new URL("./node_modules/@huggingface/hub/package.json", import.meta.url), "utf8"),
).version;

// ---------------------------------------------------------------- data ----
function pseudoRandom(n, seed) {
  // mulberry32: deterministic, incompressible enough, contains NULs (binary sample).
  const out = new Uint8Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i += 4) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    out[i] = t & 0xff;
    if (i + 1 < n) out[i + 1] = (t >>> 8) & 0xff;
    if (i + 2 < n) out[i + 2] = (t >>> 16) & 0xff;
    if (i + 3 < n) out[i + 3] = (t >>> 24) & 0xff;
  }
  return out;
}
const sha256 = (b) => createHash("sha256").update(b).digest("hex");
const gitBlobSha1 = (b) =>
  createHash("sha1").update(Buffer.concat([Buffer.from(`blob ${b.length}\0`), Buffer.from(b)])).digest("hex");
const HEX40 = /^[0-9a-f]{40}$/;

const REGULAR_PATH = "config.json";
const REGULAR = new TextEncoder().encode(JSON.stringify({ model_type: "conformance-js", hidden_size: 8 }, null, 2) + "\n");
const README_PATH = "README.md";
const README = new TextEncoder().encode("# js conformance\n");
const LFS_PATH = "weights/small.bin";
const LFS = pseudoRandom(200 * 1024, 11);
const BIG_PATH = "big.bin";
const BIG = pseudoRandom(11 * 1024 * 1024 + 12345, 12);
const PR_PATH = "pr/notes.txt";
const PR_CONTENT = new TextEncoder().encode("opened as a pull request from js\n");

const RUN = randomUUID().slice(0, 8);
let hub;
let repoName;
let repo;
const creds = () => ({ hubUrl: hub.url, accessToken: hub.token });
const DONE = new Map();
const COMMITS = []; // titles on main, oldest first

/** Skips the test (and returns true) when a step it needs did not pass. */
function need(t, ...steps) {
  for (const s of steps) {
    if (!DONE.has(s)) {
      t.skip(`needs step '${s}', which did not pass`);
      return true;
    }
  }
  return false;
}

const fmt = (entries) =>
  entries
    .map((e) => `  ${e.method} ${e.path}${e.query ? "?" + e.query : ""} -> ${e.status}${e.auth ? " (auth)" : ""}`)
    .join("\n");
const hits = (entries, method, rx) => entries.filter((e) => e.method === method && rx.test(e.path));
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function assertNoTokenToStorage(entries) {
  const leaked = entries.filter((e) => hub.isStorage(e) && e.auth);
  assert.deepEqual(leaked, [], `Authorization header sent to the storage origin:\n${fmt(leaked)}`);
}

/** A fetch that records every response, so tests can read headers the client hides. */
function recordingFetch() {
  const seen = [];
  const f = async (input, init) => {
    const res = await fetch(input, init);
    seen.push({ url: String(input instanceof Request ? input.url : input), status: res.status, headers: res.headers });
    return res;
  };
  f.seen = seen;
  return f;
}

async function rejectsWith(promise, status, errorCode, fetchRec) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof HubApiError, `expected HubApiError, got ${err}`);
    assert.equal(err.statusCode, status, err.message);
    return true;
  });
  if (errorCode) {
    const last = fetchRec.seen.at(-1);
    assert.equal(last.headers.get("x-error-code"), errorCode, `X-Error-Code of ${last.url}`);
  }
}

/** Commit id of a revision, via the client's modelInfo (explicit revision). */
async function shaOf(revision) {
  return (await modelInfo({ name: repoName, ...creds(), revision, additionalFields: ["sha"] })).sha;
}

async function bytesOf(blob) {
  return new Uint8Array(await blob.arrayBuffer());
}

// --------------------------------------------------------------- setup ----
before(async () => {
  hub = await startHub();
  repoName = `${hub.user}/js-conformance-${RUN}`;
  repo = { type: "model", name: repoName };
});

after(async () => {
  await hub?.stop();
});

// --------------------------------------------------------------- steps ----
test("versions", () => {
  // The installed client is the exact version pinned in package.json (npm ci installs it).
  const pinned = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).dependencies["@huggingface/hub"];
  assert.equal(HUB_JS_VERSION, pinned);
  assert.ok(hub.url.startsWith("http://127.0.0.1:"));
});

test("whoAmI", async () => {
  const me = await whoAmI({ ...creds() });
  assert.equal(me.name, hub.user);
  assert.equal(me.type, "user");
  await assert.rejects(whoAmI({ hubUrl: hub.url, accessToken: "hf_not_a_token" }), (e) => e.statusCode === 401);
  DONE.set("whoami", true);
});

test("createRepo (and 409 when it exists)", async () => {
  const out = await createRepo({ repo, ...creds() });
  assert.equal(out.repoUrl, `${hub.url}/${repoName}`);
  assert.equal(await repoExists({ repo, ...creds() }), true);
  await checkRepoAccess({ repo, ...creds() });
  const rec = recordingFetch();
  await rejectsWith(createRepo({ repo, ...creds(), fetch: rec }), 409);
  DONE.set("create_repo", true);
});

test("createRepo with files: one first commit holds them (base64 in the create request)", async () => {
  const withFiles = `${hub.user}/official-js-files-${randomUUID().slice(0, 8)}`;
  const bin = new Uint8Array(3000).map((_, i) => (i * 7) & 255);
  await createRepo({
    repo: withFiles,
    ...creds(),
    files: [
      { path: "README.md", content: new Blob(["---\nlicense: mit\n---\n# hi\n"]) },
      { path: "data/w.bin", content: bin.buffer },
    ],
  });
  const paths = [];
  for await (const f of listFiles({ repo: withFiles, ...creds(), recursive: true })) if (f.type === "file") paths.push(f.path);
  assert.deepEqual(paths.sort(), [".gitattributes", "README.md", "data/w.bin"]);
  const got = new Uint8Array(await (await downloadFile({ repo: withFiles, path: "data/w.bin", ...creds() })).arrayBuffer());
  assert.deepEqual(got, bin);
});

test("modelInfo with the default revision (HEAD)", async (t) => {
  if (need(t, "create_repo")) return;
  // modelInfo asks for /api/models/{repo}/revision/HEAD when no revision is given.
  const info = await modelInfo({ name: repoName, ...creds(), additionalFields: ["sha"] });
  assert.equal(info.name, repoName);
  assert.equal(info.private, false);
  assert.match(info.sha, HEX40);
  assert.equal(info.sha, await shaOf("main"));
});

test("uploadFile: regular file", async (t) => {
  if (need(t, "create_repo")) return;
  await hub.clearRequests();
  const title = "Add config.json";
  const out = await uploadFile({ repo, ...creds(), file: { path: REGULAR_PATH, content: new Blob([REGULAR]) }, commitTitle: title });
  COMMITS.push(title);
  assert.match(out.commit.oid, HEX40);
  assert.equal(out.commit.url, `${hub.url}/${repoName}/commit/${out.commit.oid}`);
  const entries = await hub.requests();
  assert.ok(hits(entries, "POST", new RegExp(`^/api/models/${esc(repoName)}/preupload/main$`)).length, fmt(entries));
  assert.ok(hits(entries, "POST", new RegExp(`^/api/models/${esc(repoName)}/commit/main$`)).length, fmt(entries));
  assert.equal(hits(entries, "POST", /info\/lfs\/objects\/batch$/).length, 0, "inline upload expected\n" + fmt(entries));
  const [info] = await pathsInfo({ repo, ...creds(), paths: [REGULAR_PATH] });
  assert.equal(info.size, REGULAR.length);
  assert.equal(info.oid, gitBlobSha1(REGULAR));
  assert.equal(info.lfs, undefined);
  DONE.set("upload_regular", out.commit.oid);
});

test("uploadFiles: LFS file by basic transfer (+ a regular file in the same commit)", async (t) => {
  if (need(t, "create_repo")) return;
  await hub.clearRequests();
  const title = "Add small LFS file and README";
  const out = await uploadFiles({
    repo,
    ...creds(),
    files: [
      { path: LFS_PATH, content: new Blob([LFS]) },
      { path: README_PATH, content: new Blob([README]) },
    ],
    commitTitle: title,
  });
  COMMITS.push(title);
  assert.match(out.commit.oid, HEX40);
  const entries = await hub.requests();
  const batch = hits(entries, "POST", new RegExp(`^/${esc(repoName)}\\.git/info/lfs/objects/batch$`));
  assert.deepEqual(batch.map((e) => e.status), [200], fmt(entries));
  const stored = entries.filter((e) => hub.isStorage(e));
  const puts = stored.filter((e) => e.method === "PUT");
  assert.equal(puts.length, 1, "one basic PUT to the storage origin\n" + fmt(entries));
  assert.ok([200, 201].includes(puts[0].status), fmt(entries));
  assert.equal(stored.filter((e) => e.method === "POST").length, 0, "no multipart completion\n" + fmt(entries));
  assertNoTokenToStorage(entries);
  const infos = await pathsInfo({ repo, ...creds(), paths: [LFS_PATH, README_PATH] });
  const byPath = Object.fromEntries(infos.map((i) => [i.path, i]));
  assert.equal(byPath[LFS_PATH].size, LFS.length);
  assert.equal(byPath[LFS_PATH].lfs?.oid, sha256(LFS));
  assert.equal(byPath[README_PATH].lfs, undefined);
  DONE.set("upload_lfs_basic", out.commit.oid);
});

test("commit: LFS file by multipart transfer (≥ 3 parts)", async (t) => {
  if (need(t, "create_repo")) return;
  if (!hub.multipart) {
    t.skip("hub-server has no --multipart-threshold/--chunk-size flags (LFS multipart not implemented yet)");
    return;
  }
  await hub.clearRequests();
  const title = "Add big LFS file (multipart)";
  const out = await commit({
    repo,
    ...creds(),
    title,
    operations: [{ operation: "addOrUpdate", path: BIG_PATH, content: new Blob([BIG]) }],
  });
  COMMITS.push(title);
  const parts = Math.ceil(BIG.length / CHUNK_SIZE);
  assert.ok(parts >= 3);
  const entries = await hub.requests();
  const batch = hits(entries, "POST", new RegExp(`^/${esc(repoName)}\\.git/info/lfs/objects/batch$`));
  assert.deepEqual(batch.map((e) => e.status), [200], fmt(entries));
  const stored = entries.filter((e) => hub.isStorage(e));
  const puts = stored.filter((e) => e.method === "PUT");
  assert.equal(puts.length, parts, `expected ${parts} part PUTs\n` + fmt(entries));
  assert.ok(puts.every((e) => [200, 201].includes(e.status)), fmt(entries));
  const completions = stored.filter((e) => e.method === "POST");
  assert.equal(completions.length, 1, "one completion POST\n" + fmt(entries));
  assert.ok([200, 201].includes(completions[0].status), fmt(entries));
  assertNoTokenToStorage(entries);
  const [info] = await pathsInfo({ repo, ...creds(), paths: [BIG_PATH] });
  assert.equal(info.size, BIG.length);
  assert.equal(info.lfs?.oid, sha256(BIG));
  DONE.set("upload_lfs_multipart", out.commit.oid);
});

function expectedFiles() {
  const files = {};
  if (DONE.has("upload_regular")) files[REGULAR_PATH] = REGULAR;
  if (DONE.has("upload_lfs_basic")) {
    files[LFS_PATH] = LFS;
    files[README_PATH] = README;
  }
  if (DONE.has("upload_lfs_multipart")) files[BIG_PATH] = BIG;
  return files;
}

test("listFiles (recursive and top level)", async (t) => {
  if (need(t, "upload_regular")) return;
  const expected = expectedFiles();
  const all = [];
  for await (const f of listFiles({ repo, ...creds(), recursive: true })) all.push(f);
  const files = all.filter((f) => f.type === "file");
  assert.deepEqual(files.map((f) => f.path).sort(), [".gitattributes", ...Object.keys(expected)].sort());
  for (const f of files) {
    const data = expected[f.path];
    if (!data) continue;
    assert.equal(f.size, data.length, f.path);
    if (f.path === REGULAR_PATH || f.path === README_PATH) {
      assert.equal(f.lfs, undefined);
      assert.equal(f.oid, gitBlobSha1(data));
    } else {
      assert.equal(f.lfs?.oid, sha256(data), f.path);
    }
  }
  if (expected[LFS_PATH]) {
    assert.ok(all.some((f) => f.type === "directory" && f.path === "weights"));
    const top = [];
    for await (const f of listFiles({ repo, ...creds() })) top.push(f);
    assert.ok(top.some((f) => f.type === "directory" && f.path === "weights"), JSON.stringify(top));
    assert.ok(!top.some((f) => f.path === LFS_PATH));
    const sub = [];
    for await (const f of listFiles({ repo, ...creds(), path: "weights" })) sub.push(f.path);
    assert.deepEqual(sub, [LFS_PATH]);
  }
  DONE.set("list", true);
});

test("listFiles / pathsInfo with expand: lastCommit", async (t) => {
  if (need(t, "upload_regular", "upload_lfs_basic")) return;
  const byPath = {};
  for await (const f of listFiles({ repo, ...creds(), recursive: true, expand: true })) byPath[f.path] = f;
  assert.equal(byPath[REGULAR_PATH].lastCommit?.id, DONE.get("upload_regular"), JSON.stringify(byPath[REGULAR_PATH]));
  assert.equal(byPath[REGULAR_PATH].lastCommit?.title, "Add config.json");
  assert.equal(byPath[LFS_PATH].lastCommit?.id, DONE.get("upload_lfs_basic"));
  assert.ok(!Number.isNaN(new Date(byPath[LFS_PATH].lastCommit.date).getTime()));
  const [info] = await pathsInfo({ repo, ...creds(), paths: [LFS_PATH], expand: true });
  assert.equal(info.lastCommit?.id, DONE.get("upload_lfs_basic"));
  assert.equal(info.lfs?.oid, sha256(LFS));
});

test("fileExists", async (t) => {
  if (need(t, "upload_regular")) return;
  assert.equal(await fileExists({ repo, ...creds(), path: REGULAR_PATH }), true);
  assert.equal(await fileExists({ repo, ...creds(), path: "nope.txt" }), false);
});

test("commit with a stale parentCommit → 412; with the head → ok", async (t) => {
  if (need(t, "upload_regular")) return;
  const head = await shaOf("main");
  const commits = [];
  for await (const c of listCommits({ repo, ...creds() })) commits.push(c.oid);
  const stale = commits.at(-1);
  assert.notEqual(stale, head);
  const op = [{ operation: "addOrUpdate", path: "late.txt", content: new Blob(["late\n"]) }];
  await assert.rejects(
    commit({ repo, ...creds(), title: "Stale", parentCommit: stale, operations: op }),
    (e) => e instanceof HubApiError && e.statusCode === 412,
  );
  assert.equal(await shaOf("main"), head);
  const out = await commit({ repo, ...creds(), title: "With parent", parentCommit: head, operations: op });
  COMMITS.push("With parent");
  assert.equal(await shaOf("main"), out.commit.oid);
});

async function checkDownload(path, data, lfs) {
  const info = await fileDownloadInfo({ repo, ...creds(), path });
  assert.ok(info, `${path}: fileDownloadInfo returned null`);
  assert.equal(info.size, data.length);
  assert.equal(info.etag.replace(/^W\//, "").replaceAll('"', ""), lfs ? sha256(data) : gitBlobSha1(data));
  await hub.clearRequests();
  const blob = await downloadFile({ repo, ...creds(), path });
  assert.ok(blob, `${path}: downloadFile returned null`);
  assert.equal(blob.size, data.length);
  const got = await bytesOf(blob);
  assert.equal(sha256(got), sha256(data), `${path}: bytes differ`);
  const entries = await hub.requests();
  const resolves = hits(entries, "GET", new RegExp(`^/${esc(repoName)}/resolve/main/${esc(path)}$`));
  assert.ok(resolves.length, fmt(entries));
  if (lfs) {
    assert.ok(resolves.every((e) => e.status === 302), "LFS resolve must redirect\n" + fmt(entries));
    assert.ok(entries.some((e) => hub.isStorage(e) && e.method === "GET" && [200, 206].includes(e.status)), fmt(entries));
    assertNoTokenToStorage(entries);
  }
  // Range read through the client's Blob.
  const slice = await bytesOf(blob.slice(3, 20));
  assert.deepEqual(slice, data.slice(3, 20));
}

test("fileDownloadInfo + downloadFile: regular file", async (t) => {
  if (need(t, "upload_regular")) return;
  await checkDownload(REGULAR_PATH, REGULAR, false);
});

test("fileDownloadInfo + downloadFile: LFS file (basic)", async (t) => {
  if (need(t, "upload_lfs_basic")) return;
  await checkDownload(LFS_PATH, LFS, true);
});

test("fileDownloadInfo + downloadFile: LFS file (multipart)", async (t) => {
  if (need(t, "upload_lfs_multipart")) return;
  await checkDownload(BIG_PATH, BIG, true);
});

test("raw: the LFS pointer of an LFS file", async (t) => {
  if (need(t, "upload_lfs_basic")) return;
  const info = await fileDownloadInfo({ repo, ...creds(), path: LFS_PATH, raw: true });
  const blob = await downloadFile({ repo, ...creds(), path: LFS_PATH, raw: true });
  const text = new TextDecoder().decode(await bytesOf(blob));
  assert.equal(
    text,
    `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(LFS)}\nsize ${LFS.length}\n`,
  );
  assert.equal(info.size, text.length);
  assert.equal(info.etag.replaceAll('"', ""), gitBlobSha1(new TextEncoder().encode(text)));
});

test("commit with a bad path (..) → 4xx, nothing committed", async (t) => {
  if (need(t, "upload_regular")) return;
  const head = await shaOf("main");
  await assert.rejects(
    commit({ repo, ...creds(), title: "Bad", operations: [{ operation: "addOrUpdate", path: "../evil.txt", content: new Blob(["x"]) }] }),
    (e) => e instanceof HubApiError && e.statusCode >= 400 && e.statusCode < 500,
  );
  assert.equal(await shaOf("main"), head);
});

test("fileDownloadInfo: missing file → null", async (t) => {
  if (need(t, "create_repo")) return;
  assert.equal(await fileDownloadInfo({ repo, ...creds(), path: "no/such/file.txt" }), null);
  assert.equal(await downloadFile({ repo, ...creds(), path: "no/such/file.txt" }), null);
});

test("createBranch / commit on it / deleteBranch", async (t) => {
  if (need(t, "upload_regular")) return;
  const head = await shaOf("main");
  await createBranch({ repo, ...creds(), branch: "dev" });
  const rec = recordingFetch();
  await rejectsWith(createBranch({ repo, ...creds(), branch: "dev", fetch: rec }), 409);
  const out = await uploadFile({
    repo,
    ...creds(),
    branch: "dev",
    file: { path: "dev.txt", content: new Blob(["dev only\n"]) },
    commitTitle: "Commit on dev",
  });
  const dev = await downloadFile({ repo, ...creds(), path: "dev.txt", revision: "dev" });
  assert.equal(new TextDecoder().decode(await bytesOf(dev)), "dev only\n");
  assert.equal(await downloadFile({ repo, ...creds(), path: "dev.txt" }), null, "main must not see dev.txt");
  const mainNow = await shaOf("main");
  assert.equal(mainNow, head);
  // A branch name with a slash (one %2F-encoded segment in resolve and commit URLs).
  await createBranch({ repo, ...creds(), branch: "feature/x" });
  await uploadFile({ repo, ...creds(), branch: "feature/x", file: { path: "feature.txt", content: new Blob(["feature\n"]) } });
  const feature = await downloadFile({ repo, ...creds(), path: "feature.txt", revision: "feature/x" });
  assert.equal(new TextDecoder().decode(await bytesOf(feature)), "feature\n");
  await deleteBranch({ repo, ...creds(), branch: "feature/x" });
  await createBranch({ repo, ...creds(), branch: "from-dev", revision: "dev" });
  assert.equal(await shaOf("from-dev"), out.commit.oid);
  await deleteBranch({ repo, ...creds(), branch: "from-dev" });
  await assert.rejects(deleteBranch({ repo, ...creds(), branch: "main" }), (e) => e.statusCode >= 400 && e.statusCode < 500);
  await deleteBranch({ repo, ...creds(), branch: "dev" });
  await rejectsWith(deleteBranch({ repo, ...creds(), branch: "dev", fetch: rec }), 404);
  await rejectsWith(
    downloadFile({ repo, ...creds(), path: "dev.txt", revision: "dev", fetch: rec }),
    404,
    "RevisionNotFound",
    rec,
  );
  DONE.set("branch", true);
});

test("listCommits / countCommits", async (t) => {
  if (need(t, "upload_regular")) return;
  const commits = [];
  for await (const c of listCommits({ repo, ...creds() })) commits.push(c);
  const titles = commits.map((c) => c.title);
  assert.deepEqual(titles.slice(0, COMMITS.length), [...COMMITS].reverse());
  assert.equal(commits.length, COMMITS.length + 1, "plus the initial commit");
  for (const c of commits) {
    assert.match(c.oid, HEX40);
    assert.ok(!Number.isNaN(c.date.getTime()), `${c.oid}: bad date`);
  }
  assert.equal(await countCommits({ repo, ...creds() }), commits.length);
  // Pagination: batchSize 1 must still yield every commit.
  const paged = [];
  for await (const c of listCommits({ repo, ...creds(), batchSize: 1 })) paged.push(c.oid);
  assert.deepEqual(paged, commits.map((c) => c.oid));
  DONE.set("commits", true);
});

test("commit with isPullRequest", async (t) => {
  if (need(t, "upload_regular")) return;
  const before = await shaOf("main");
  const out = await commit({
    repo,
    ...creds(),
    title: "Propose notes",
    isPullRequest: true,
    operations: [{ operation: "addOrUpdate", path: PR_PATH, content: new Blob([PR_CONTENT]) }],
  });
  assert.ok(out.pullRequestUrl, JSON.stringify(out));
  const m = out.pullRequestUrl.match(/\/discussions\/(\d+)$/);
  assert.ok(m, out.pullRequestUrl);
  assert.equal(out.pullRequestUrl, `${hub.url}/${repoName}/discussions/${m[1]}`);
  const prRev = `refs/pr/${m[1]}`;
  const blob = await downloadFile({ repo, ...creds(), path: PR_PATH, revision: prRev });
  assert.ok(blob, `${PR_PATH} at ${prRev}`);
  assert.deepEqual(await bytesOf(blob), PR_CONTENT);
  assert.equal(await downloadFile({ repo, ...creds(), path: PR_PATH }), null, "main must not have it");
  const after = await shaOf("main");
  assert.equal(after, before, "main must not move");
  DONE.set("pr", prRev);
});

test("deleteFiles (several in one commit)", async (t) => {
  if (need(t, "create_repo")) return;
  await uploadFiles({
    repo,
    ...creds(),
    files: [
      { path: "tmp/a.txt", content: new Blob(["a\n"]) },
      { path: "tmp/b.txt", content: new Blob(["b\n"]) },
    ],
    commitTitle: "Add tmp files",
  });
  COMMITS.push("Add tmp files");
  await deleteFiles({ repo, ...creds(), paths: ["tmp/a.txt", "tmp/b.txt"], commitTitle: "Remove tmp files" });
  COMMITS.push("Remove tmp files");
  const paths = [];
  for await (const f of listFiles({ repo, ...creds(), recursive: true })) paths.push(f.path);
  assert.ok(!paths.some((p) => p.startsWith("tmp")), paths.join(","));
});

test("deleteFile", async (t) => {
  if (need(t, "upload_regular")) return;
  const out = await deleteFile({ repo, ...creds(), path: REGULAR_PATH, commitTitle: "Remove config.json" });
  COMMITS.push("Remove config.json");
  assert.match(out.commit.oid, HEX40);
  const paths = [];
  for await (const f of listFiles({ repo, ...creds(), recursive: true })) paths.push(f.path);
  assert.ok(!paths.includes(REGULAR_PATH), paths.join(","));
  assert.equal(await fileDownloadInfo({ repo, ...creds(), path: REGULAR_PATH }), null);
  const rec = recordingFetch();
  await rejectsWith(deleteFile({ repo, ...creds(), path: REGULAR_PATH, fetch: rec }), 404, "EntryNotFound", rec);
  DONE.set("delete_file", true);
});

// -------------------------------------------------------- typed errors ----
test("errors: missing repo → 404 RepoNotFound", async () => {
  const missing = { type: "model", name: `${hub.user}/no-such-repo-${RUN}` };
  const rec = recordingFetch();
  await rejectsWith(modelInfo({ name: missing.name, ...creds(), fetch: rec }), 404, "RepoNotFound", rec);
  await rejectsWith(downloadFile({ repo: missing, ...creds(), path: "x.txt", fetch: rec }), 404, "RepoNotFound", rec);
  assert.equal(await repoExists({ repo: missing, ...creds() }), false);
  await rejectsWith(checkRepoAccess({ repo: missing, ...creds(), fetch: rec }), 404, "RepoNotFound", rec);
});

test("errors: missing revision → 404 RevisionNotFound", async (t) => {
  if (need(t, "create_repo")) return;
  const rec = recordingFetch();
  await rejectsWith(
    fileDownloadInfo({ repo, ...creds(), path: ".gitattributes", revision: "no-such-branch", fetch: rec }),
    404,
    "RevisionNotFound",
    rec,
  );
  await rejectsWith(
    modelInfo({ name: repoName, ...creds(), revision: "no-such-branch", fetch: rec }),
    404,
    "RevisionNotFound",
    rec,
  );
});

test("errors: missing file → 404 EntryNotFound with X-Repo-Commit", async (t) => {
  if (need(t, "create_repo")) return;
  const rec = recordingFetch();
  assert.equal(await fileDownloadInfo({ repo, ...creds(), path: "missing.txt", fetch: rec }), null);
  const last = rec.seen.at(-1);
  assert.equal(last.status, 404);
  assert.equal(last.headers.get("x-error-code"), "EntryNotFound");
  assert.match(last.headers.get("x-repo-commit") ?? "", HEX40);
});

test("dataset repo: create, upload (regular + LFS), list, download, delete", async () => {
  const ds = { type: "dataset", name: `${hub.user}/js-dataset-${RUN}` };
  const out = await createRepo({ repo: ds, ...creds() });
  assert.equal(out.repoUrl, `${hub.url}/datasets/${ds.name}`);
  await uploadFiles({
    repo: ds,
    ...creds(),
    files: [
      { path: "data.json", content: new Blob([REGULAR]) },
      { path: "data.bin", content: new Blob([LFS]) },
    ],
  });
  const paths = [];
  for await (const f of listFiles({ repo: ds, ...creds(), recursive: true })) paths.push(f.path);
  assert.deepEqual(paths.sort(), [".gitattributes", "data.bin", "data.json"]);
  assert.equal(sha256(await bytesOf(await downloadFile({ repo: ds, ...creds(), path: "data.bin" }))), sha256(LFS));
  assert.equal(sha256(await bytesOf(await downloadFile({ repo: ds, ...creds(), path: "data.json" }))), sha256(REGULAR));
  // datasetInfo with the default revision, and the dataset listing.
  const info = await datasetInfo({ name: ds.name, ...creds(), additionalFields: ["sha"] });
  assert.equal(info.name, ds.name);
  assert.match(info.sha, HEX40);
  const listed = [];
  for await (const d of listDatasets({ search: { owner: hub.user }, ...creds() })) listed.push(d.name);
  assert.ok(listed.includes(ds.name), listed.join(","));
  // The model namespace does not have it.
  assert.equal(await repoExists({ repo: { type: "model", name: ds.name }, ...creds() }), false);
  await deleteRepo({ repo: ds, ...creds() });
  assert.equal(await repoExists({ repo: ds, ...creds() }), false);
});

// ----------------------------------------------------- info and search ----
// README cards (cardData, tags, pipeline_tag → task, library_name), additionalFields (expand),
// revisions, and the search parameters of listModels / listDatasets / listSpaces. Likes and
// downloads come from the server's POST /__admin/stats. Four models (the last without a card),
// a dataset and a Space, all named js-search-RUN-*, tagged js-search-RUN but the last model.
const SEARCH_TAG = `js-search-${RUN}`;
const S = {}; // filled by the fixtures step: m0..m3, ds, space, v1 (m0's first README commit)
const card = (yaml) => new Blob([`---\n${yaml}---\n\n# A card\n`]);
const namesOf = async (gen) => {
  const out = [];
  for await (const x of gen) out.push(x.name);
  return out;
};

async function setStats(name, type, counters) {
  const { status, body } = await hub.admin("POST", "/__admin/stats", { repo: name, type, ...counters });
  assert.equal(status, 200, `/__admin/stats ${name}: ${JSON.stringify(body)}`);
}

test("info fixtures: repos with README cards, likes and downloads", async () => {
  const base = `${hub.user}/js-search-${RUN}`;
  const models = [
    ["pipeline_tag: text-classification\nlibrary_name: transformers\nlicense: mit\n", 5, 100],
    ["pipeline_tag: fill-mask\nlibrary_name: transformers\nlicense: apache-2.0\n", 50, 10],
    ["pipeline_tag: fill-mask\nlibrary_name: diffusers\nlicense: mit\n", 0, 1000],
  ];
  for (let i = 0; i < 4; i++) {
    const repo = { type: "model", name: `${base}-${i}` };
    S[`m${i}`] = repo.name;
    await createRepo({ repo, ...creds() });
    if (i === 0) {
      const first = await uploadFile({ repo, ...creds(), file: { path: "README.md", content: card(`pipeline_tag: text-generation\ntags: [${SEARCH_TAG}]\n`) } });
      S.v1 = first.commit.oid;
    }
    if (i < 3) {
      const [yaml, likes, downloads] = models[i];
      await uploadFile({ repo, ...creds(), file: { path: "README.md", content: card(`${yaml}tags: [${SEARCH_TAG}]\ndatasets: [${base}-ds]\n`) } });
      await setStats(repo.name, "model", { likes, downloads });
    }
  }
  const ds = { type: "dataset", name: `${base}-ds` };
  await createRepo({ repo: ds, ...creds() });
  await uploadFile({ repo: ds, ...creds(), file: { path: "README.md", content: card(`license: mit\nlanguage: [en]\ntask_categories: [translation]\ntags: [${SEARCH_TAG}]\n`) } });
  await setStats(ds.name, "dataset", { likes: 2, downloads: 3 });
  const space = { type: "space", name: `${base}-space` };
  await createRepo({ repo: space, ...creds(), sdk: "gradio" });
  await uploadFile({ repo: space, ...creds(), file: { path: "README.md", content: card(`sdk: static\ntags: [${SEARCH_TAG}]\nmodels: [${base}-0]\n`) } });
  await setStats(space.name, "space", { likes: 7 });
  Object.assign(S, { ds: ds.name, space: space.name });
  DONE.set("search_fixtures", true);
});

test("modelInfo: card fields, additionalFields, revision", async (t) => {
  if (need(t, "search_fixtures")) return;
  const info = await modelInfo({
    name: S.m0, ...creds(),
    additionalFields: ["cardData", "tags", "library_name", "author", "downloadsAllTime", "filePaths", "config"],
  });
  assert.equal(info.name, S.m0);
  assert.equal(info.task, "text-classification");
  assert.equal(info.library_name, "transformers");
  assert.equal(info.author, hub.user);
  assert.equal(info.cardData.license, "mit");
  assert.deepEqual(info.tags, ["transformers", "text-classification", SEARCH_TAG, `dataset:${S.ds}`, "license:mit", "region:us"]);
  assert.equal(info.likes, 5);
  assert.equal(info.downloads, 100);
  assert.equal(info.downloadsAllTime, 100);
  assert.deepEqual(info.filePaths.sort(), [".gitattributes", "README.md"]);
  assert.equal(info.config, undefined, "config is not modelled");
  assert.ok(info.updatedAt instanceof Date && !Number.isNaN(info.updatedAt.getTime()));
  const old = await modelInfo({ name: S.m0, ...creds(), revision: S.v1, additionalFields: ["sha", "tags"] });
  assert.equal(old.sha, S.v1);
  assert.equal(old.task, "text-generation");
  assert.deepEqual(old.tags, ["text-generation", SEARCH_TAG, "region:us"]);
  const bare = await modelInfo({ name: S.m3, ...creds(), additionalFields: ["cardData", "tags"] });
  assert.equal(bare.task, undefined);
  assert.equal(bare.cardData, undefined);
  assert.deepEqual(bare.tags, ["region:us"]);
});

test("datasetInfo and spaceInfo: card fields and additionalFields", async (t) => {
  if (need(t, "search_fixtures")) return;
  const ds = await datasetInfo({ name: S.ds, ...creds(), additionalFields: ["cardData", "tags", "downloadsAllTime", "sha"] });
  assert.deepEqual(ds.tags, ["task_categories:translation", "language:en", "license:mit", SEARCH_TAG, "region:us"]);
  assert.equal(ds.cardData.license, "mit");
  assert.equal(ds.likes, 2);
  assert.equal(ds.downloads, 3);
  assert.equal(ds.downloadsAllTime, 3);
  assert.match(ds.sha, HEX40);
  const sp = await spaceInfo({ name: S.space, ...creds(), additionalFields: ["tags", "subdomain", "cardData", "models"] });
  assert.equal(sp.sdk, "static", "the card's sdk");
  assert.deepEqual(sp.tags, ["static", SEARCH_TAG, "region:us"]);
  assert.equal(sp.subdomain, S.space.replace("/", "-"));
  assert.deepEqual(sp.models, [S.m0]);
  assert.equal(sp.likes, 7);
});

test("listModels: search.tags / task / owner / query, sort, limit, additionalFields, pages", async (t) => {
  if (need(t, "search_fixtures")) return;
  const byTag = [];
  for await (const m of listModels({ search: { tags: [SEARCH_TAG] }, sort: "likes", ...creds() })) byTag.push(m);
  assert.deepEqual(byTag.map((m) => m.name), [S.m1, S.m0, S.m2]);
  assert.deepEqual(byTag.map((m) => m.likes), [50, 5, 0]);
  assert.deepEqual(byTag.map((m) => m.task), ["fill-mask", "text-classification", "fill-mask"]);
  assert.deepEqual(await namesOf(listModels({ search: { tags: [SEARCH_TAG] }, sort: "downloads", ...creds() })), [S.m2, S.m0, S.m1]);
  assert.deepEqual(await namesOf(listModels({ search: { tags: [SEARCH_TAG] }, sort: "downloads", limit: 2, ...creds() })), [S.m2, S.m0]);
  assert.deepEqual(await namesOf(listModels({ search: { tags: [SEARCH_TAG], task: "fill-mask" }, sort: "downloads", ...creds() })), [S.m2, S.m1]);
  assert.deepEqual(await namesOf(listModels({ search: { tags: [SEARCH_TAG, "license:mit"] }, sort: "likes", ...creds() })), [S.m0, S.m2]);
  assert.deepEqual(await namesOf(listModels({ search: { tags: [SEARCH_TAG, "diffusers"] }, ...creds() })), [S.m2]);
  assert.deepEqual(await namesOf(listModels({ search: { owner: "nobody-at-all", query: `js-search-${RUN}` }, ...creds() })), []);

  await hub.clearRequests();
  const all = await namesOf(listModels({ search: { owner: hub.user, query: `js-search-${RUN}` }, sort: "createdAt", ...creds() }));
  assert.deepEqual(all, [S.m3, S.m2, S.m1, S.m0], "newest first");
  const pages = hits(await hub.requests(), "GET", /^\/api\/models$/);
  if (hub.flags.has("--page-size")) {
    assert.ok(pages.length >= 2 && /cursor=/.test(pages.at(-1).query ?? ""), fmt(pages));
  }

  const [top] = await (async () => {
    const out = [];
    for await (const m of listModels({ search: { tags: [SEARCH_TAG] }, sort: "likes", limit: 1, additionalFields: ["tags", "cardData", "library_name"], ...creds() })) out.push(m);
    return out;
  })();
  assert.equal(top.name, S.m1);
  assert.equal(top.library_name, "transformers");
  assert.equal(top.cardData.license, "apache-2.0");
  assert.ok(top.tags.includes("license:apache-2.0"), top.tags.join(","));
});

test("listDatasets / listSpaces: tags, owner, sort, additionalFields", async (t) => {
  if (need(t, "search_fixtures")) return;
  const ds = [];
  for await (const d of listDatasets({ search: { tags: [SEARCH_TAG, "language:en"] }, additionalFields: ["tags"], sort: "likes", ...creds() })) ds.push(d);
  assert.deepEqual(ds.map((d) => [d.name, d.likes, d.downloads]), [[S.ds, 2, 3]]);
  assert.ok(ds[0].tags.includes("task_categories:translation"));
  assert.deepEqual(await namesOf(listDatasets({ search: { tags: [SEARCH_TAG, "language:fr"] }, ...creds() })), []);
  assert.deepEqual(await namesOf(listDatasets({ search: { owner: hub.user, query: `js-search-${RUN}` }, ...creds() })), [S.ds]);

  const sp = [];
  for await (const s of listSpaces({ search: { tags: [SEARCH_TAG] }, additionalFields: ["tags", "subdomain"], sort: "likes", ...creds() })) sp.push(s);
  assert.deepEqual(sp.map((s) => [s.name, s.sdk, s.likes]), [[S.space, "static", 7]]);
  assert.deepEqual(sp[0].tags, ["static", SEARCH_TAG, "region:us"]);
  assert.deepEqual(await namesOf(listSpaces({ search: { tags: [SEARCH_TAG, "gradio"] }, ...creds() })), []);
  assert.deepEqual(await namesOf(listSpaces({ search: { owner: hub.user, query: `js-search-${RUN}` }, ...creds() })), [S.space]);
});

test("info fixtures removed", async (t) => {
  if (need(t, "search_fixtures")) return;
  for (const name of [S.m0, S.m1, S.m2, S.m3]) await deleteRepo({ repo: { type: "model", name }, ...creds() });
  await deleteRepo({ repo: { type: "dataset", name: S.ds }, ...creds() });
  await deleteRepo({ repo: { type: "space", name: S.space }, ...creds() });
});

test("listModels finds the repo", async (t) => {
  if (need(t, "create_repo")) return;
  const found = [];
  for await (const m of listModels({ search: { owner: hub.user }, ...creds() })) found.push(m.name);
  assert.ok(found.includes(repoName), found.join(","));
});

test("deleteRepo", async (t) => {
  if (need(t, "create_repo")) return;
  await deleteRepo({ repo, ...creds() });
  assert.equal(await repoExists({ repo, ...creds() }), false);
  const rec = recordingFetch();
  await rejectsWith(deleteRepo({ repo, ...creds(), fetch: rec }), 404);
});

// -------------------------------------------------------------- faults ----
// Scripted failures (hub-server --faults). @huggingface/hub has no generic retry: each fault
// must surface as an error (or, for corruption, as different bytes), never as a silent success.
let faultRepo;

async function faultSetup(t) {
  if (!hub.faults) {
    t.skip("hub-server has no --faults flag (fault injection not implemented)");
    return true;
  }
  await hub.clearFaults();
  if (!faultRepo) {
    faultRepo = { type: "model", name: `${hub.user}/js-faults-${RUN}` };
    await createRepo({ repo: faultRepo, ...creds() });
    await uploadFile({ repo: faultRepo, ...creds(), file: { path: "lfs.bin", content: new Blob([LFS]) } });
  }
  return false;
}

test("fault: 500 on commit → HubApiError 500, not retried", async (t) => {
  if (await faultSetup(t)) return;
  const id = await hub.addFault({ method: "POST", path: `/api/models/${faultRepo.name}/commit/*`, times: 1, status: 500 });
  await hub.clearRequests();
  await assert.rejects(
    uploadFile({ repo: faultRepo, ...creds(), file: { path: "a.txt", content: new Blob(["a\n"]) } }),
    (e) => e instanceof HubApiError && e.statusCode === 500 && Boolean(e.requestId),
  );
  assert.equal(await hub.faultHits(id), 1);
  const entries = await hub.requests();
  assert.equal(hits(entries, "POST", /\/commit\//).length, 1, fmt(entries));
  // The rule is spent: the same upload now succeeds.
  const out = await uploadFile({ repo: faultRepo, ...creds(), file: { path: "a.txt", content: new Blob(["a\n"]) } });
  assert.match(out.commit.oid, HEX40);
});

test("fault: 429 on preupload → HubApiError 429 (no retry in @huggingface/hub)", async (t) => {
  if (await faultSetup(t)) return;
  const id = await hub.addFault({ method: "POST", path: `/api/models/${faultRepo.name}/preupload/*`, times: 1, status: 429, retryAfter: 1 });
  const rec = recordingFetch();
  await assert.rejects(
    uploadFile({ repo: faultRepo, ...creds(), fetch: rec, file: { path: "b.txt", content: new Blob(["b\n"]) } }),
    (e) => e instanceof HubApiError && e.statusCode === 429,
  );
  assert.equal(await hub.faultHits(id), 1);
  const last = rec.seen.at(-1);
  assert.equal(last.headers.get("retry-after"), "1");
  assert.match(last.headers.get("ratelimit") ?? "", /r=0/);
});

test("fault: 503 on the storage PUT → the commit fails, nothing committed", async (t) => {
  if (await faultSetup(t)) return;
  const id = await hub.addFault({ method: "PUT", origin: "storage", times: 1, status: 503 });
  const before = (await modelInfo({ name: faultRepo.name, ...creds(), revision: "main", additionalFields: ["sha"] })).sha;
  await assert.rejects(
    uploadFile({ repo: faultRepo, ...creds(), file: { path: "c.bin", content: new Blob([pseudoRandom(4096, 5)]) } }),
  );
  assert.equal(await hub.faultHits(id), 1);
  const after = (await modelInfo({ name: faultRepo.name, ...creds(), revision: "main", additionalFields: ["sha"] })).sha;
  assert.equal(after, before);
});

test("fault: connection cut mid-download → the read rejects", async (t) => {
  if (await faultSetup(t)) return;
  // Probe first (fileDownloadInfo also GETs the storage URL, with Range: bytes=0-0), so the
  // rule hits the content read itself.
  const downloadInfo = await fileDownloadInfo({ repo: faultRepo, ...creds(), path: "lfs.bin" });
  const id = await hub.addFault({ method: "GET", origin: "storage", times: 1, cutAfterBytes: 65536 });
  const blob = await downloadFile({ repo: faultRepo, ...creds(), path: "lfs.bin", downloadInfo });
  await assert.rejects(blob.arrayBuffer());
  assert.equal(await hub.faultHits(id), 1);
  // Spent: the next read is whole.
  assert.equal(sha256(await bytesOf(blob)), sha256(LFS));
});

test("fault: corrupted body → same size, different bytes (caught by sha256)", async (t) => {
  if (await faultSetup(t)) return;
  const downloadInfo = await fileDownloadInfo({ repo: faultRepo, ...creds(), path: "lfs.bin" });
  const id = await hub.addFault({ method: "GET", origin: "storage", times: 1, corrupt: { offset: 1000, length: 16 } });
  const blob = await downloadFile({ repo: faultRepo, ...creds(), path: "lfs.bin", downloadInfo });
  const got = await bytesOf(blob);
  assert.equal(await hub.faultHits(id), 1);
  assert.equal(got.length, LFS.length);
  assert.notEqual(sha256(got), sha256(LFS));
  assert.deepEqual(got.slice(0, 1000), LFS.slice(0, 1000));
  assert.deepEqual(got.slice(1016), LFS.slice(1016));
  const [info] = await pathsInfo({ repo: faultRepo, ...creds(), paths: ["lfs.bin"] });
  assert.notEqual(info.lfs.oid, sha256(got), "the published sha256 exposes the corruption");
});

test("fault: latency → the call waits, then succeeds", async (t) => {
  if (await faultSetup(t)) return;
  const id = await hub.addFault({ method: "GET", path: "/api/whoami-v2", times: 1, latencyMs: 700 });
  const started = performance.now();
  const me = await whoAmI({ ...creds() });
  const elapsed = performance.now() - started;
  assert.equal(me.name, hub.user);
  assert.equal(await hub.faultHits(id), 1);
  assert.ok(elapsed >= 650, `elapsed ${elapsed.toFixed(0)} ms`);
});

test("fault rules cleaned up", async (t) => {
  if (!hub.faults) return t.skip("no --faults");
  await hub.clearFaults();
  if (faultRepo) await deleteRepo({ repo: faultRepo, ...creds() });
  const { body } = await hub.admin("GET", "/__admin/faults");
  assert.deepEqual(Array.isArray(body) ? body : body.rules, []);
});
