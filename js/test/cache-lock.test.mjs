// The lock file a blob writer holds (dist/cache/filesystem/lock.js): `.locks/<repo folder>/<etag>.lock`.
// Part 1: when a holder is waited for and when it is taken over, with real second processes.
// Part 2: what of it holds against Python's `filelock` as huggingface_hub uses it.
// No test measures time: a waiter's looks at a held lock are counted instead (`countingWait`), a
// lock that must be taken at once is taken with a sleep that fails (`acquireAtFirstLook`), and only
// a FileSystemCache writer that waits where it must not is left to fail by the test's timeout.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdir, readFile, readdir, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { importBuilt } from "./support/runner.mjs";
import { startHub } from "./support/hub.mjs";
import { C1, FOLDER, REPO, bytes, exists, gitSha1, removeTemps, tempDir } from "./support/fs-cache.mjs";
import { ensurePython, pythonEnv, venvPython } from "./support/python.mjs";

const hint = "build the package first (`make build-js`, or `npx tsc -p tsconfig.json` in js/).";
const lockUrl = new URL("../dist/cache/filesystem/lock.js", import.meta.url);
const cacheUrl = new URL("../dist/cache/filesystem.js", import.meta.url);
const { acquireLock } = await importBuilt(lockUrl, hint);
const { FileSystemCache } = await importBuilt(cacheUrl, hint);

/** Long enough that a test never waits it out: a test that would must fail by its timeout instead. */
const HOUR = 3_600_000;
const LIMIT = { timeout: 60_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const children = new Set();
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  return removeTemps();
});

/** A lock path in a fresh cache root, laid out as the writer lays it out (its folder made). */
async function lockPathIn() {
  const root = await tempDir("hubwasm-lock-");
  const lockPath = join(root, ".locks", FOLDER, "e.lock");
  await mkdir(dirname(lockPath), { recursive: true });
  return { root, lockPath };
}

/** Makes a lock look an hour old: not refreshed for longer than any test's lockStaleMs. */
const ageAnHour = (lockPath) => {
  const hourAgo = (Date.now() - HOUR) / 1000;
  return utimes(lockPath, hourAgo, hourAgo);
};

/** A waiter's sleep that counts its looks at a held lock: `looked(n)` settles at the n-th look. */
function countingWait() {
  let looks = 0;
  const marks = [];
  return {
    wait(ms) {
      looks += 1;
      for (const m of marks) if (looks >= m.n) m.resolve();
      return sleep(ms);
    },
    looked: (n) => new Promise((resolve) => (looks >= n ? resolve() : marks.push({ n, resolve }))),
  };
}

/** Tracks whether a promise has settled, without awaiting it. */
function watch(promise) {
  const w = { settled: false, promise };
  promise.then(() => (w.settled = true), () => (w.settled = true));
  return w;
}

/** Acquires, or fails at the first look at a held lock instead of waiting: for locks that must be
 * free or taken over at once. */
const acquireAtFirstLook = (lockPath, staleMs = HOUR) =>
  acquireLock(lockPath, {
    staleMs,
    pollMs: 10,
    wait: () => Promise.reject(new Error("waited for a lock that should have been free or taken over")),
  });

/** Until the waiter has looked `n` times at the held lock, or (the failure) got the lock instead. */
const lookedOrGot = (counter, n, watched) => Promise.race([counter.looked(n), watched.promise]);

/** A child process speaking JSON lines: `next()` reads one, `send()` writes one line. */
function spawnChild(cmd, args, options = {}) {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"], cwd: tmpdir(), ...options });
  children.add(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise((r) => child.on("exit", (code, signal) => r({ code, signal })));
  return {
    child,
    exited,
    async next() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${cmd} ended without the expected line (exit ${JSON.stringify(await exited)})`);
      return JSON.parse(value);
    },
    send: (line) => child.stdin.write(`${line}\n`),
  };
}

/** Another Node process holding the lock through the same module, until sent "release". */
function nodeHolder(lockPath, staleMs) {
  return spawnChild(process.execPath, ["--input-type=module", "-e", `
    import { readFile } from "node:fs/promises";
    import { createInterface } from "node:readline";
    const { acquireLock } = await import(${JSON.stringify(lockUrl.href)});
    const path = ${JSON.stringify(lockPath)};
    const lock = await acquireLock(path, { staleMs: ${staleMs}, pollMs: 20 });
    console.log(JSON.stringify({ held: true, pid: process.pid }));
    for await (const line of createInterface({ input: process.stdin })) {
      if (line !== "release") continue;
      const owner = JSON.parse(await readFile(path, "utf8").catch(() => "{}"));
      await lock.release();
      console.log(JSON.stringify({ released: true, stillMine: owner.pid === process.pid }));
      process.exit(0);
    }
  `]);
}

const ours = async (lockPath) => JSON.parse(await readFile(lockPath, "utf8"));

describe("the lock file of a blob writer", () => {
  test("a free lock is taken at once, names its holder, and is deleted on release", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const lock = await acquireAtFirstLook(lockPath);
    const owner = await ours(lockPath);
    assert.deepEqual([owner.by, owner.pid, owner.host, typeof owner.token], ["hubwasm", process.pid, hostname(), "string"]);
    assert.deepEqual(await readdir(dirname(lockPath)), ["e.lock"], "the draft it was made from is gone");
    await lock.release();
    assert.deepEqual(await readdir(dirname(lockPath)), [], "released: nothing left behind");
  });

  test("a lock held by a live process is respected: a second acquirer waits until the holder releases it", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const holder = nodeHolder(lockPath, 30_000);
    const { pid } = await holder.next();
    assert.equal((await ours(lockPath)).pid, pid);
    const counter = countingWait();
    const second = watch(acquireLock(lockPath, { staleMs: 30_000, pollMs: 10, wait: counter.wait }));
    await lookedOrGot(counter, 5, second);
    assert.equal(second.settled, false, "five looks at a held lock, and still waiting");
    holder.send("release");
    assert.deepEqual(await holder.next(), { released: true, stillMine: true }, "the holder kept its lock to the end");
    const lock = await second.promise;
    assert.equal((await ours(lockPath)).pid, process.pid, "then the waiter has it");
    await lock.release();
    assert.deepEqual(await holder.exited, { code: 0, signal: null });
  });

  test("a holder refreshes its lock, so it is not taken over once lockStaleMs has passed", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const staleMs = 1500; // the holder refreshes every 500 ms
    const holder = nodeHolder(lockPath, staleMs);
    await holder.next();
    const counter = countingWait();
    const second = watch(acquireLock(lockPath, { staleMs, pollMs: 50, wait: counter.wait }));
    // Sixty looks 50 ms apart span at least twice lockStaleMs.
    await lookedOrGot(counter, 60, second);
    assert.equal(second.settled, false, "still waiting after twice lockStaleMs");
    holder.send("release");
    assert.deepEqual(await holder.next(), { released: true, stillMine: true }, "never taken over");
    await (await second.promise).release();
  });

  test("a lock left by a crashed holder (its process killed) is taken over without waiting, however fresh", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const holder = nodeHolder(lockPath, HOUR);
    const { pid } = await holder.next();
    holder.child.kill("SIGKILL");
    assert.equal((await holder.exited).signal, "SIGKILL");
    assert.equal((await ours(lockPath)).pid, pid, "the crash left its lock behind");
    const lock = await acquireAtFirstLook(lockPath); // its process is gone
    assert.equal((await ours(lockPath)).pid, process.pid);
    await lock.release();
  });

  test("a live process's lock is waited for while fresh, and taken over once not refreshed for lockStaleMs", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    // A live process that holds the lock but, hung, no longer refreshes it.
    const hung = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    children.add(hung);
    await writeFile(lockPath, JSON.stringify({ by: "hubwasm", pid: hung.pid, host: hostname(), token: "hung" }));
    const counter = countingWait();
    const waiter = watch(acquireLock(lockPath, { staleMs: 60_000, pollMs: 10, wait: counter.wait }));
    await lookedOrGot(counter, 3, waiter);
    assert.equal(waiter.settled, false, "fresh and its process alive: waited for");
    await ageAnHour(lockPath);
    const lock = await waiter.promise;
    assert.equal((await ours(lockPath)).pid, process.pid, "not refreshed for lockStaleMs: taken over");
    await lock.release();
    hung.kill();
  });

  test("a lock from another host is trusted until stale: its pid means nothing here", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const deadHere = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(lockPath, JSON.stringify({ by: "hubwasm", pid: deadHere, host: "another-host.invalid", token: "far" }));
    const counter = countingWait();
    const waiter = watch(acquireLock(lockPath, { staleMs: 60_000, pollMs: 10, wait: counter.wait }));
    await lookedOrGot(counter, 3, waiter);
    assert.equal(waiter.settled, false, "no process of that pid here, yet waited for");
    await ageAnHour(lockPath);
    await (await waiter.promise).release();
  });

  test("a lock file that is not ours (empty, as Python's filelock leaves it, or any other text) is free", LIMIT, async () => {
    for (const content of ["", "12345\n", '{"pid": 1}']) {
      const { lockPath } = await lockPathIn();
        await writeFile(lockPath, content);
      const lock = await acquireAtFirstLook(lockPath);
      assert.equal((await ours(lockPath)).pid, process.pid);
      await lock.release();
      assert.deepEqual(await readdir(dirname(lockPath)), [], "the foreign file is gone with ours");
    }
  });

  test("release deletes only its own lock: one taken over meanwhile stays with its new holder", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const first = await acquireLock(lockPath, { staleMs: 60_000, pollMs: 10 });
    await ageAnHour(lockPath);
    const second = await acquireLock(lockPath, { staleMs: 60_000, pollMs: 10 });
    const secondOwner = await readFile(lockPath, "utf8");
    await first.release();
    assert.equal(await readFile(lockPath, "utf8"), secondOwner, "the first holder's release left the second's lock");
    await second.release();
    assert.equal(await exists(lockPath), false);
  });

  test("FileSystemCache: a writer in another process is waited for, and the blob it published is then found", LIMIT, async () => {
    const root = await tempDir("hubwasm-lock-");
    const other = spawnChild(process.execPath, ["--input-type=module", "-e", `
      import { createInterface } from "node:readline";
      const { FileSystemCache } = await import(${JSON.stringify(cacheUrl.href)});
      const c = new FileSystemCache({ cacheDir: ${JSON.stringify(root)} });
      await c.putEntry(${JSON.stringify(REPO)}, ${JSON.stringify(C1)}, "x.bin", { etag: "xx", size: 4 });
      const w = await c.openWriter("xx", 4);
      await w.write(new TextEncoder().encode("ab"));
      console.log(JSON.stringify({ writing: true }));
      for await (const line of createInterface({ input: process.stdin })) {
        if (line !== "finish") continue;
        await w.write(new TextEncoder().encode("cd"));
        await w.complete();
        console.log(JSON.stringify({ published: true }));
        process.exit(0);
      }
    `]);
    await other.next();
    const store = new FileSystemCache({ cacheDir: root, lockPollMs: 10 });
    await store.putEntry(REPO, C1, "x.bin", { etag: "xx", size: 4 });
    const lockDir = join(root, ".locks", FOLDER);
    const opening = watch(store.openWriter("xx", 4));
    // Our writer's lock draft sits beside the lock for as long as it waits.
    while (!opening.settled && !(await readdir(lockDir)).some((n) => n.endsWith(".draft"))) await sleep(5);
    other.send("finish");
    assert.deepEqual(await other.next(), { published: true });
    const w = await opening.promise;
    assert.equal(w.offset, 0, "opened after the other process published: no partial to resume");
    await w.abort(true);
    assert.equal(await (await store.readBlob("xx", 4)).text(), "abcd");
    assert.deepEqual(await store.getEntry(REPO, C1, "x.bin"), { etag: "xx", size: 4 });
    assert.deepEqual(await other.exited, { code: 0, signal: null });
  });
});

// ---------------------------------------------------------------------------------------------
// Python's filelock, as huggingface_hub uses it (`WeakFileLock`: `filelock.FileLock`, mode 0o664).

/** Holds the lock at argv[1] ("hold": huggingface_hub's WeakFileLock; "try": one non-blocking
 * FileLock attempt) until a line arrives on stdin; reports the lock file's inode and content. */
const PY_HOLDER = String.raw`
import json, os, sys
from filelock import FileLock, Timeout
from huggingface_hub.utils._fixes import WeakFileLock

path, how = sys.argv[1], sys.argv[2]

def say(**fields):
    print(json.dumps(fields), flush=True)

def state():
    try:
        with open(path) as f:
            return {"ino": os.stat(path).st_ino, "content": f.read()}
    except FileNotFoundError:
        return {"ino": None, "content": None}

if how == "try":
    lock = FileLock(path, mode=0o664)
    try:
        lock.acquire(blocking=False)
    except Timeout:
        say(held=False)
        sys.exit(0)
    say(held=True, **state())
    sys.stdin.readline()
    lock.release()
else:
    with WeakFileLock(path):
        say(held=True, **state())
        sys.stdin.readline()
say(released=True, **state())
`;

/** Runs huggingface_hub's hf_hub_download and prints the paths it passed to WeakFileLock. */
const PY_LOCK_PATHS = String.raw`
import json, sys
import huggingface_hub.file_download as fd

seen = []
real = fd.WeakFileLock
def spy(path, *args, **kwargs):
    seen.append(str(path))
    return real(path, *args, **kwargs)
fd.WeakFileLock = spy
fd.hf_hub_download(repo_id=sys.argv[1], filename=sys.argv[2])
print(json.dumps(seen))
`;

const pythonHolder = (lockPath, how) => spawnChild(venvPython, ["-c", PY_HOLDER, lockPath, how], { env: pythonEnv() });

describe("the lock file of a blob writer and huggingface_hub's filelock (Python)", () => {
  before(ensurePython);

  test("our writer locks the very file huggingface_hub's download locks for that blob: .locks/<repo folder>/<etag>.lock", LIMIT, async () => {
    const hubApi = await importBuilt(new URL("../dist/node.js", import.meta.url), hint);
    const hub = await startHub();
    try {
      const repoId = `${hub.user}/lock-path-${Date.now().toString(36)}`;
      const content = bytes("locked the same way\n");
      const common = { hubUrl: hub.url, accessToken: hub.token, repo: { type: "model", name: repoId } };
      await hubApi.createRepo(common);
      const { commit } = await hubApi.uploadFiles({ ...common, files: [{ path: "a.txt", content: new Blob([content]) }] });
      const home = await tempDir("hubwasm-hfhome-");
      const py = spawnSync(venvPython, ["-c", PY_LOCK_PATHS, repoId, "a.txt"], {
        cwd: tmpdir(),
        env: pythonEnv({ HF_HOME: home, HF_ENDPOINT: hub.url, HF_TOKEN: hub.token }),
        encoding: "utf8",
      });
      assert.equal(py.status, 0, py.stderr);
      const pythonLocked = JSON.parse(py.stdout.trim().split("\n").pop());

      const cache = new FileSystemCache({ env: { HF_HOME: home } });
      await cache.putEntry(`models/${repoId}`, commit.oid, "b.txt", { etag: gitSha1(content), size: content.length });
      const w = await cache.openWriter(gitSha1(content), content.length);
      const held = (await readdir(join(home, "hub", ".locks"), { recursive: true })).filter((n) => n.endsWith(".lock"));
      assert.equal(held.length, 1);
      const ourLock = join(home, "hub", ".locks", held[0]);
      assert.equal((await ours(ourLock)).pid, process.pid, "the file our writer holds");
      assert.deepEqual(pythonLocked, [ourLock], "is the one Python's download locked");
      await w.abort(true);
    } finally {
      await hub.stop();
    }
  });

  test("the empty lock file Python leaves behind is free: it is taken at the first look", LIMIT, async () => {
    const { lockPath } = await lockPathIn();
    const py = pythonHolder(lockPath, "hold");
    assert.equal((await py.next()).held, true);
    py.send("done");
    assert.deepEqual(await py.next(), { released: true, ino: (await stat(lockPath)).ino, content: "" }, "Python keeps the file, empty");
    const lock = await acquireAtFirstLook(lockPath);
    await lock.release();
  });

  test("Python holding the lock does not hold our writer back: flock is invisible to Node, so its file is taken over", LIMIT, async () => {
    const { root, lockPath } = await lockPathIn();
    const py = pythonHolder(lockPath, "hold");
    const locked = await py.next();
    assert.deepEqual([locked.held, locked.content], [true, ""]);

    const store = new FileSystemCache({ cacheDir: root });
    await store.putEntry(REPO, C1, "e", { etag: "e", size: 1 });
    const w = await store.openWriter("e", 1);
    assert.equal(py.child.exitCode, null, "opened while Python still holds its lock");
    assert.equal((await ours(lockPath)).pid, process.pid);
    assert.notEqual((await stat(lockPath)).ino, locked.ino, "Python's flock is left on a file no longer at the path");
    const second = pythonHolder(lockPath, "try");
    assert.equal((await second.next()).held, true, "so a second Python process gets the lock too, while the first holds it");
    second.send("done");
    assert.deepEqual(await second.exited, { code: 0, signal: null });

    py.send("done");
    const released = await py.next();
    assert.equal(released.released, true, "Python releases without error");
    assert.equal((await ours(lockPath)).pid, process.pid, "and leaves our lock alone");
    await w.write(bytes("e"));
    await w.complete();
    assert.equal(await exists(lockPath), false);
    assert.deepEqual(await py.exited, { code: 0, signal: null });
  });

  test("our lock does not hold Python back: its filelock flocks our file at once and leaves it as it is, so hubwasm writers keep waiting", LIMIT, async () => {
    const { root, lockPath } = await lockPathIn();
    const store = new FileSystemCache({ cacheDir: root });
    await store.putEntry(REPO, C1, "e", { etag: "e", size: 1 });
    const w = await store.openWriter("e", 1);
    const mine = await readFile(lockPath, "utf8");

    const py = pythonHolder(lockPath, "try");
    const locked = await py.next();
    assert.equal(locked.held, true, "a non-blocking FileLock.acquire succeeds while we hold the lock");
    assert.equal(locked.ino, (await stat(lockPath)).ino, "Python flocked our very file");
    assert.equal(locked.content, mine, "without truncating or rewriting it");

    const counter = countingWait();
    const next = watch(acquireLock(lockPath, { staleMs: 30_000, pollMs: 10, wait: counter.wait }));
    await lookedOrGot(counter, 3, next);
    assert.equal(next.settled, false, "another hubwasm acquirer still sees our lock and waits");
    await w.abort(true);
    const lock = await next.promise;
    assert.notEqual((await stat(lockPath)).ino, locked.ino, "our release deleted the file Python still flocks");

    py.send("done");
    const released = await py.next();
    assert.equal(released.released, true);
    assert.equal(released.content, await readFile(lockPath, "utf8"), "Python's release leaves the path to its new holder");
    await lock.release();
    assert.deepEqual(await py.exited, { code: 0, signal: null });
  });
});
