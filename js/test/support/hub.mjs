// Local Hub for the cross-runtime tests: starts tests/hub-server, seeds fixture repos through the
// public Hub API (raw fetch, so the fixtures never depend on the package under test), and reads the
// server's request log.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const defaultBin = `${repoRoot}target/debug/hub-server`;

/** Every child still running; killed when this process exits, however it exits. */
const running = new Set();
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on("exit", () => { for (const c of running) c.kill("SIGKILL"); });
  // A signal skips "exit" handlers; kill the servers, then let the signal do its default job.
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(sig, () => {
      for (const c of running) c.kill("SIGKILL");
      process.kill(process.pid, sig);
    });
  }
}

/**
 * Start the local Hub. Options: pageSize (tree page size), users (extra user names),
 * tokens (["name:token[:read|write]", …]), args (raw extra flags), startTimeoutMs.
 * Resolves to { url, token, user, tokens, pageSize, stop() }.
 */
export async function startHub(options = {}) {
  const bin = process.env.HUB_SERVER_BIN || defaultBin;
  if (!existsSync(bin)) {
    throw new Error(`hub-server binary not found at ${bin}. Build it with ` +
      "`cargo build -p hub-server` at the repo root, or set HUB_SERVER_BIN.");
  }
  const args = [];
  if (options.pageSize) args.push("--page-size", String(options.pageSize));
  for (const u of options.users ?? []) args.push("--user", u);
  for (const t of options.tokens ?? []) args.push("--token", t);
  args.push(...(options.args ?? []));

  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  hookExit();
  running.add(child);
  // Keep the last stderr lines for error messages; always drain so the server never blocks on a full pipe.
  let stderrTail = "";
  child.stderr.setEncoding("utf8").on("data", (d) => {
    stderrTail = (stderrTail + d).slice(-4000);
    if (process.env.HUB_VERBOSE) process.stderr.write(`[hub-server] ${d}`);
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));

  const firstLine = await new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => fail(new Error("no startup line within timeout")),
      options.startTimeoutMs ?? 30_000);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`hub-server (${bin} ${args.join(" ")}) failed to start: ${err.message}` +
        (stderrTail ? `\n--- stderr ---\n${stderrTail}` : "")));
    };
    child.once("error", fail);
    exited.then(({ code, signal }) => fail(new Error(`exited early (code ${code}, signal ${signal})`)));
    child.stdout.setEncoding("utf8").on("data", function onData(d) {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stdout.resume(); // drain anything printed later
      resolve(buf.slice(0, nl));
    });
  });

  // From here on a forgotten stop() must not keep the test process alive; "exit" still kills it.
  child.unref();
  child.stdout.unref();
  child.stderr.unref();

  let info;
  try {
    info = JSON.parse(firstLine);
  } catch {
    child.kill("SIGKILL");
    throw new Error(`hub-server printed a non-JSON first line: ${firstLine}` +
      (stderrTail ? `\n--- stderr ---\n${stderrTail}` : ""));
  }
  return {
    url: info.url.replace(/\/$/, ""),
    token: info.token,
    user: info.user,
    tokens: info.tokens ?? {},
    pageSize: options.pageSize,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.ref(); // so awaiting the exit keeps the loop alive
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function call(hub, method, path, { body, contentType, token = hub.token } = {}) {
  const headers = { authorization: `Bearer ${token}` };
  if (contentType) headers["content-type"] = contentType;
  const res = await fetch(`${hub.url}${path}`, { method, headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

/** Calls the local Hub's API with the main user's token: its JSON answer (or null); a non-2xx
 * answer throws. */
export function hubCall(hub, method, path, body, contentType = "application/json") {
  return call(hub, method, path, { body, contentType: body === undefined ? undefined : contentType });
}

/**
 * Commits files to `main` of `repo` as a client would, those of 64 KiB or more through the LFS
 * batch API (one PUT each); returns the commit id. `files`: `{ path: bytes }` or `[path, bytes]`
 * pairs.
 */
export async function commitFiles(hub, repo, files) {
  const lines = [{ key: "header", value: { summary: "test data" } }];
  for (const [path, content] of Array.isArray(files) ? files : Object.entries(files)) {
    const bytes = Buffer.from(content.buffer, content.byteOffset, content.length);
    if (bytes.length < 64 * 1024) {
      lines.push({ key: "file", value: { path, content: bytes.toString("base64"), encoding: "base64" } });
      continue;
    }
    const oid = createHash("sha256").update(bytes).digest("hex");
    const batch = await hubCall(hub, "POST", `/${repo}.git/info/lfs/objects/batch`,
      JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid, size: bytes.length }], hash_algo: "sha256" }),
      "application/vnd.git-lfs+json");
    const upload = batch.objects[0].actions?.upload;
    if (upload) {
      const status = await put(upload.href, bytes, upload.header ?? {});
      if (status < 200 || status > 299) throw new Error(`LFS PUT ${upload.href} → ${status}`);
    }
    lines.push({ key: "lfsFile", value: { path, algo: "sha256", oid, size: bytes.length } });
  }
  const out = await hubCall(hub, "POST", `/api/models/${repo}/commit/main`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n", "application/x-ndjson");
  return out.commitOid;
}

/** PUT with node:http: Node's `fetch` sends a large Buffer body many times slower. */
function put(url, body, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "PUT", headers: { ...headers, "content-length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Sets the local Hub's fault rules (`--faults`), or with none clears them. */
export async function setFaults(hub, rules) {
  const r = await fetch(`${hub.url}/__admin/faults`, { method: rules ? "POST" : "DELETE", headers: { "content-type": "application/json" }, body: rules && JSON.stringify(rules) });
  if (!r.ok) throw new Error(`faults → ${r.status} ${await r.text()}`);
}

/** Deterministic bytes (xorshift32), so the binary fixture is the same on every run. */
function pseudoRandomBytes(n, seed = 0x9e3779b9) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const file = (path, content) => {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  return { path, base64: bytes.toString("base64"), size: bytes.length };
};

/** Create a model repo owned by hub.user and commit `files` to main in one ndjson commit. */
async function createRepoWithFiles(hub, name, isPrivate, files) {
  const created = await call(hub, "POST", "/api/repos/create", {
    contentType: "application/json",
    body: JSON.stringify({ name, type: "model", private: isPrivate }),
  });
  // Like the Hub: `name` is the full repo id, `id` an opaque object id.
  const id = `${hub.user}/${name}`;
  if (created?.name && created.name !== id) throw new Error(`repo created as ${created.name}, expected ${id}`);
  const lines = [
    { key: "header", value: { summary: `seed ${name}` } },
    ...files.map((f) => ({ key: "file", value: { path: f.path, content: f.base64, encoding: "base64" } })),
  ];
  await call(hub, "POST", `/api/models/${id}/commit/main`, {
    contentType: "application/x-ndjson",
    body: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  });
  return id;
}

/**
 * Seed a public repo (≥ 7 files: awkward names, nested folders, a 300 KiB binary) and a private one.
 * The result is plain JSON so it can be handed to a browser page or a Worker.
 */
export async function seedFixtures(hub) {
  const suffix = randomBytes(4).toString("hex");
  const files = [
    file("README.md", "# Fixtures\n\nSeeded by js/test/support/hub.mjs.\n"),
    file("config.json", JSON.stringify({ model_type: "fixture", hidden_size: 8 }, null, 2) + "\n"),
    file("with space.txt", "a file name with a space\n"),
    file("données/été.txt", "unicode path: données/été\n"),
    file("hash#name.txt", "a # in the name\n"),
    file("what?.txt", "a ? in the name\n"),
    file("nested/deeper/leaf.txt", "two folders down\n"),
    file("nested/sibling.txt", "one folder down\n"),
    file("weights/random.bin", pseudoRandomBytes(300 * 1024)),
  ];
  const privateFiles = [file("secret.txt", `private fixture ${suffix}\n`)];
  const publicRepo = await createRepoWithFiles(hub, `fixtures-${suffix}`, false, files);
  const privateRepo = await createRepoWithFiles(hub, `private-${suffix}`, true, privateFiles);
  return { publicRepo, privateRepo, files, privateFiles, pageSize: hub.pageSize ?? null };
}

/** Requests the Hub has logged so far: [{ method, path, query, status, auth, range }]. */
export async function requestLog(hub) {
  const res = await fetch(`${hub.url}/__admin/requests`);
  if (!res.ok) throw new Error(`GET /__admin/requests → ${res.status}`);
  return res.json();
}

export async function clearRequestLog(hub) {
  const res = await fetch(`${hub.url}/__admin/requests`, { method: "DELETE" });
  if (!res.ok) throw new Error(`DELETE /__admin/requests → ${res.status}`);
}
