// Starts tests/hub-server for the Node conformance test and reads its admin request log.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, createWriteStream, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, "../../..");

// With these flags a ~11 MiB file needs 3 parts (4 + 4 + 3 MiB).
export const MULTIPART_THRESHOLD = 4 * 1024 * 1024;
export const CHUNK_SIZE = 4 * 1024 * 1024;

export function serverBin() {
  return process.env.HUB_SERVER_BIN || join(REPO_ROOT, "target", "debug", "hub-server");
}

function serverFlags(bin) {
  const out = spawnSync(bin, ["--help"], { encoding: "utf8", timeout: 30_000 });
  const text = `${out.stdout ?? ""}${out.stderr ?? ""}`;
  return new Set(text.split(/\s+/).filter((t) => t.startsWith("--")).map((t) => t.replace(/[,=]+$/, "")));
}

export async function startHub({ users = ["other-user"], extraArgs = [] } = {}) {
  const bin = serverBin();
  if (!existsSync(bin)) {
    throw new Error(`hub-server binary not found at ${bin}: run \`cargo build -p hub-server\` or set HUB_SERVER_BIN`);
  }
  const flags = serverFlags(bin);
  const workdir = mkdtempSync(join(tmpdir(), "hub-conformance-js-"));
  const args = ["--port", "0", "--data", join(workdir, "data")];
  for (const u of users) args.push("--user", u);
  const multipart = flags.has("--multipart-threshold") && flags.has("--chunk-size");
  if (multipart) args.push("--multipart-threshold", String(MULTIPART_THRESHOLD), "--chunk-size", String(CHUNK_SIZE));
  // Small pages, so every listing the client makes must follow `Link: rel="next"`.
  const pageSize = process.env.CONFORMANCE_PAGE_SIZE ?? "3";
  if (flags.has("--page-size") && pageSize !== "0") args.push("--page-size", pageSize);
  const faults = flags.has("--faults");
  if (faults) args.push("--faults");
  if (flags.has("--verbose")) args.push("--verbose");
  args.push(...extraArgs);

  const stderrPath = join(workdir, "hub-server.stderr");
  const stderr = createWriteStream(stderrPath);
  const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  proc.stderr.pipe(stderr);
  const rl = createInterface({ input: proc.stdout });
  const first = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error("hub-server printed no startup line in 30 s")), 30_000);
    rl.once("line", (line) => {
      clearTimeout(timer);
      res(line);
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`hub-server exited (${code}) before its startup line`));
    });
  });
  rl.on("line", () => {}); // keep draining
  const info = JSON.parse(first);
  const url = info.url.replace(/\/$/, "");
  const storageUrl = info.storageUrl ?? null;

  const admin = async (method) => {
    const r = await fetch(`${url}/__admin/requests`, { method });
    if (!r.ok) throw new Error(`admin ${method} → ${r.status}`);
    return r.json();
  };

  const adminJson = async (method, path, body) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: r.status, body: json };
  };

  const hub = {
    url,
    faults,
    admin: adminJson,
    async addFault(rule) {
      const { status, body } = await adminJson("POST", "/__admin/faults", rule);
      if (status !== 200) throw new Error(`POST /__admin/faults ${JSON.stringify(rule)} → ${status} ${JSON.stringify(body)}`);
      return body.ids[0];
    },
    async faultHits(id) {
      const { body } = await adminJson("GET", "/__admin/faults");
      const rules = Array.isArray(body) ? body : body.rules;
      return rules.find((r) => r.id === id)?.hits;
    },
    async clearFaults() {
      if (faults) await adminJson("DELETE", "/__admin/faults");
    },
    token: info.token,
    user: info.user,
    tokens: info.tokens ?? {},
    storageUrl,
    flags,
    multipart,
    info,
    requests: () => admin("GET"),
    clearRequests: () => admin("DELETE"),
    /** Whether a logged request went to the storage origin rather than the Hub. */
    isStorage(e) {
      for (const key of ["origin", "listener", "server", "host"]) {
        const v = e[key];
        if (typeof v === "string") {
          if (storageUrl && v.includes(new URL(storageUrl).host)) return true;
          if (["storage", "cdn", "lfs"].includes(v.toLowerCase())) return true;
          if (v.includes(new URL(url).host) || ["hub", "api"].includes(v.toLowerCase())) return false;
        }
      }
      const p = e.path ?? "";
      if (p.startsWith("/api/") || p.includes("/resolve/") || p.includes("/raw/")) return false;
      if (p.endsWith(".git/info/lfs/objects/batch")) return false;
      return true;
    },
    stderrTail(n = 40) {
      try {
        return readFileSync(stderrPath, "utf8").split("\n").slice(-n).join("\n");
      } catch {
        return "";
      }
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise((r) => {
          const t = setTimeout(() => {
            proc.kill("SIGKILL");
            r();
          }, 10_000);
          proc.once("exit", () => {
            clearTimeout(t);
            r();
          });
        });
      }
      stderr.end();
      rmSync(workdir, { recursive: true, force: true });
    },
  };
  return hub;
}
