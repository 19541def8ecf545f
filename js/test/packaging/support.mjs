// Shared by the packaging tests: pack js/ with `npm pack`, install THAT tarball into a temporary
// project made from fixtures/, and give each test the paths and tools it needs. run.mjs prepares
// once for all test files (HUBWASM_PACKAGING_APP); a test file run alone prepares its own.
import { execFile, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const here = fileURLToPath(new URL("./", import.meta.url));
export const jsRoot = fileURLToPath(new URL("../../", import.meta.url));
export const tools = join(here, "node_modules");
export const bin = (name) => join(tools, ".bin", name);
export const run = promisify(execFile);

/** `npm pack` of js/ into `dir`; returns the tarball's path. */
export async function pack(dir) {
	const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: jsRoot, maxBuffer: 16 << 20 });
	const [info] = JSON.parse(stdout);
	return { tarball: join(dir, info.filename), files: info.files.map((f) => f.path) };
}

/**
 * A temporary project: fixtures/ copied in, with the tarball installed as its only dependency
 * (npm copies it into node_modules/hubwasm: nothing points back at js/).
 */
export async function prepare() {
	const root = await mkdtemp(join(tmpdir(), "hubwasm-packaging-"));
	const { tarball, files } = await pack(root);
	const app = join(root, "app");
	await cp(join(here, "fixtures"), app, { recursive: true });
	await writeFile(join(app, "package.json"), JSON.stringify({
		name: "hubwasm-fixtures", private: true, type: "module", dependencies: { hubwasm: `file:${tarball}` },
	}, null, 2));
	await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"], { cwd: app });
	return { root, app, tarball, files };
}

let prepared;
/** The prepared project (run.mjs's, or one made for this process and removed at exit). */
export function project() {
	if (!prepared) {
		const env = process.env.HUBWASM_PACKAGING_APP;
		prepared = env ? Promise.resolve(JSON.parse(env)) : prepare().then((p) => {
			process.on("exit", () => rmSyncQuiet(p.root));
			return p;
		});
	}
	return prepared;
}

function rmSyncQuiet(path) {
	try {
		rmSync(path, { recursive: true, force: true });
	} catch {}
}

/** Runs a command and returns its stdout parsed as JSON (its last line), with stderr on failure. */
export async function runJson(cmd, args, opts = {}) {
	try {
		const { stdout } = await run(cmd, args, { maxBuffer: 16 << 20, timeout: 60_000, ...opts });
		const last = stdout.trim().split("\n").pop();
		return JSON.parse(last);
	} catch (err) {
		throw new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n--- stdout ---\n${err.stdout ?? ""}\n--- stderr ---\n${err.stderr ?? ""}`);
	}
}

/** Every file under `dir`, relative paths. */
export async function listTree(dir, prefix = "") {
	const out = [];
	for (const e of await readdir(dir, { withFileTypes: true })) {
		const rel = prefix + e.name;
		if (e.isDirectory()) out.push(...(await listTree(join(dir, e.name), rel + "/")));
		else out.push(rel);
	}
	return out;
}

const types = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".mjs": "text/javascript; charset=utf-8",
	".json": "application/json",
	".map": "application/json",
	".wasm": "application/wasm",
};

/**
 * A static server for `root` on 127.0.0.1 like a user's: it serves node_modules too (the plain
 * page imports the package from there). `server.override(pathname)` may return
 * `{ status, type, body }` to play a misconfigured server.
 */
export async function serveStatic(root) {
	const base = resolve(root) + sep;
	const server = createServer(async (req, res) => {
		const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
		const o = server.override?.(pathname);
		if (o) {
			res.writeHead(o.status ?? 200, { "cache-control": "no-store", ...(o.type ? { "content-type": o.type } : {}) });
			res.end(o.body);
			return;
		}
		try {
			const path = resolve(base, "." + pathname);
			if (!path.startsWith(base)) throw new Error("outside");
			const body = await readFile(path);
			res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" });
			res.end(body);
		} catch {
			res.writeHead(404, { "content-type": "text/plain" }).end("not found");
		}
	});
	await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
	server.url = `http://127.0.0.1:${server.address().port}`;
	return server;
}

/** Starts a long-running command and resolves when a stdout line matches `ready` (returns the match). */
export function startProcess(cmd, args, { ready, timeoutMs = 60_000, ...opts }) {
	const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
	let log = "";
	const stop = () => new Promise((ok) => {
		if (child.exitCode !== null || child.signalCode !== null) return ok();
		child.once("exit", ok);
		child.kill("SIGTERM");
		setTimeout(() => child.kill("SIGKILL"), 3000).unref();
	});
	process.on("exit", () => child.kill("SIGKILL"));
	const match = new Promise((ok, fail) => {
		const timer = setTimeout(() => fail(new Error(`${cmd} not ready in ${timeoutMs} ms:\n${log}`)), timeoutMs);
		const onData = (d) => {
			log += d;
			// eslint-disable-next-line no-control-regex
			const m = log.replace(/\x1b\[[0-9;]*m/g, "").match(ready);
			if (m) {
				clearTimeout(timer);
				ok(m);
			}
		};
		child.stdout.setEncoding("utf8").on("data", onData);
		child.stderr.setEncoding("utf8").on("data", (d) => (log += d));
		child.once("exit", (code) => {
			clearTimeout(timer);
			fail(new Error(`${cmd} exited (${code}) before it was ready:\n${log}`));
		});
	});
	return match.then((m) => ({ match: m, stop, log: () => log }));
}

/** The local Hub with the usual fixture repo; `params` is what the fixtures' job takes. */
export async function hubWithRepo() {
	const { startHub, seedFixtures } = await import("../support/hub.mjs");
	const hub = await startHub();
	try {
		const fixtures = await seedFixtures(hub);
		return { hub, fixtures, params: { hubUrl: hub.url, accessToken: hub.token, repo: fixtures.publicRepo } };
	} catch (err) {
		await hub.stop();
		throw err;
	}
}

/** Checks one result of fixtures/work.mjs against the seeded repo. */
export function checkJob(assert, result, fixtures, where) {
	assert.ok(result && !result.error, `${where}: ${result?.error}`);
	const seeded = fixtures.files.map((f) => f.path).sort();
	assert.deepEqual(result.files.filter((p) => !p.startsWith("packaging/") && p !== ".gitattributes"), seeded, `${where}: listFiles`);
	const config = fixtures.files.find((f) => f.path === "config.json");
	assert.deepEqual(result.config, JSON.parse(Buffer.from(config.base64, "base64").toString()), `${where}: downloadFile`);
	assert.match(result.commit, /^[0-9a-f]{40}$/, `${where}: uploadFile commit id`);
	assert.equal(result.roundTrip, true, `${where}: the committed file reads back`);
	assert.equal(result.missing, null, `${where}: a missing file downloads as null`);
	assert.equal(result.notFound, "HubError:RepoNotFound:true", `${where}: errors are the package's HubError`);
	assert.equal(result.signedIn, "test-user", `${where}: signed in with Hugging Face`);
}
