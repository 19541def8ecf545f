/**
 * The lock a blob writer holds on `.locks/<repo folder>/<etag>.lock`, so two processes do not
 * download one blob at once. Node has no `flock`, so the lock is the file itself: it is created
 * exclusively holding `{"by":"hubwasm","pid","host","token"}`, its mtime is refreshed while held,
 * and it is deleted on release. A waiter looks again every `pollMs`; it takes the lock over when
 * the file is stale (not refreshed for `staleMs`: its holder hung or crashed), when it names a
 * process on this host that is gone, or when it is not ours at all (empty or other content).
 *
 * With `huggingface_hub` (Python's `filelock`, which `flock`s the same path and leaves the empty
 * file behind) this is what holds, and what `test/cache-lock.test.mjs` checks:
 * - Both name the same file for a blob, so each sees the other's lock file.
 * - Neither excludes the other. A Python holder's `flock` is invisible here: its empty file counts
 *   as free and is taken over (renamed aside and deleted, so Python's `flock` is left on a file no
 *   longer at the path, and a second Python process then locks ours and runs too). Python in turn
 *   `flock`s our file at once (nobody `flock`s it) and leaves its content alone, so other hubwasm
 *   processes keep waiting for us; our release then deletes that file from under Python's `flock`.
 * - Empty lock files Python leaves behind never block a writer.
 * - Ours is created with mode 0o664 less the umask, where Python sets exactly 0o664 so that other
 *   users sharing the cache can lock it too: under a 022 umask, another user's Python fails with
 *   a permission error on our file while we hold it.
 * The cache stays whole anyway: we write only `blobs/<etag>.incomplete`, Python only
 * `blobs/<etag>.<random>.incomplete`, and both publish with an atomic rename, so the worst case is
 * one blob downloaded twice.
 */
import { link, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import type { Stats } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { code, hex8, isMissing, makeDirs } from "./files.js";

export interface LockOptions {
	/** A lock not refreshed for this long is taken over; a holder refreshes every third of it. */
	staleMs: number;
	/** How long a waiter sleeps between looks at the lock. */
	pollMs: number;
	/** How a waiter sleeps (default: a timer), so a test can count the looks. */
	wait?: (ms: number) => Promise<void>;
}

export interface HeldLock {
	/** Deletes the lock file if it is still ours (it may have been taken over as stale). */
	release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `lockPath` is ours (see the module comment for when a holder is waited for). */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<HeldLock> {
	await makeDirs(dirname(lockPath));
	const mine = JSON.stringify({ by: "hubwasm", pid: process.pid, host: hostname(), token: hex8() + hex8() });
	// The lock appears with its content in one step (link() of a written file fails if the
	// name exists), so nobody ever sees an empty half-made lock and mistakes it for Python's.
	const draft = `${lockPath}.${hex8()}.draft`;
	await writeFile(draft, mine, { mode: 0o664 });
	try {
		await place(lockPath, draft, mine, options);
	} finally {
		await unlink(draft).catch(() => {});
	}
	const beat = setInterval(() => {
		const t = Date.now() / 1000;
		utimes(lockPath, t, t).catch(() => {});
	}, Math.max(10, Math.floor(options.staleMs / 3)));
	beat.unref?.();
	return {
		release: async () => {
			clearInterval(beat);
			try {
				if ((await readFile(lockPath, "utf8")) === mine) await unlink(lockPath);
			} catch {
				// already gone (deleted with its repo, or taken over as stale)
			}
		},
	};
}

/** Puts `draft` (our lock content) in place as `lockPath`, waiting for or taking over a holder. */
async function place(lockPath: string, draft: string, mine: string, options: LockOptions): Promise<void> {
	const wait = options.wait ?? sleep;
	for (;;) {
		try {
			await link(draft, lockPath);
			return;
		} catch (e) {
			if (["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].includes(code(e) ?? "")) {
				// No hard links here: exclusive create, then the content.
				try {
					await writeFile(lockPath, mine, { flag: "wx", mode: 0o664 });
					return;
				} catch (e2) {
					if (code(e2) !== "EEXIST") throw e2;
				}
			} else if (code(e) !== "EEXIST") {
				throw e;
			}
		}
		let seen: string;
		let st: Stats;
		try {
			[seen, st] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
		} catch (e) {
			if (isMissing(e)) continue; // released meanwhile
			throw e;
		}
		if (isLive(seen, st, options.staleMs)) {
			await wait(options.pollMs);
			continue;
		}
		// Stale, or foreign (Python's flock files are empty and stay behind): take it over.
		const aside = `${lockPath}.${hex8()}.stale`;
		try {
			await rename(lockPath, aside);
		} catch (e) {
			if (isMissing(e)) continue;
			throw e;
		}
		try {
			const [moved, mst] = await Promise.all([readFile(aside, "utf8"), stat(aside)]);
			// Someone took it over between our look and the rename: give theirs back.
			if (moved !== seen || mst.ino !== st.ino) await link(aside, lockPath).catch(() => {});
		} finally {
			await unlink(aside).catch(() => {});
		}
	}
}

/** Whether a lock file (its content and stats) still holds: ours in form, fresh, its process alive. */
function isLive(content: string, st: Stats, staleMs: number): boolean {
	let owner: { by?: unknown; pid?: unknown; host?: unknown };
	try {
		owner = JSON.parse(content);
	} catch {
		return false;
	}
	if (owner?.by !== "hubwasm") return false;
	if (Date.now() - st.mtimeMs > staleMs) return false;
	if (owner.host === hostname() && typeof owner.pid === "number" && owner.pid !== process.pid) {
		try {
			process.kill(owner.pid, 0);
		} catch (e) {
			if (code(e) === "ESRCH") return false; // its process is gone
		}
	}
	return true;
}
