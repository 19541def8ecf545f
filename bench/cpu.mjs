// CPU time of the processes a benchmark started (this script, the local Hub, every Chromium
// process), by kind, read from /proc (Linux only). Unlike the machine's busy time in /proc/stat
// it leaves out whatever else runs on the machine, so it can be summed across stages.
import { readdirSync, readFileSync } from "node:fs";

const TICK = 100; // USER_HZ on Linux

/** The kind of a process: "hub", "node", or Chromium's "--type=" (browser, renderer, utility:network…). */
function kindOf(pid) {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(/[\0 ]/);
  if (pid === process.pid) return "node";
  if (cmd[0].endsWith("hub-server")) return "hub";
  const type = cmd.find((a) => a.startsWith("--type="))?.slice(7);
  if (!type) return /chrom/.test(cmd[0]) ? "browser" : "other";
  if (type === "utility") {
    const sub = cmd.find((a) => a.startsWith("--utility-sub-type="))?.slice(19) ?? "";
    return `utility ${sub.split(".")[0]}`;
  }
  return type;
}

/** CPU seconds (user + system) so far of this process and every process it started, by pid. */
export function treeCpu() {
  const parent = new Map();
  const cpu = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / TICK);
    } catch {}
  }
  const out = new Map();
  for (const [pid, s] of cpu) {
    let p = pid;
    while (p > 1 && p !== process.pid) p = parent.get(p) ?? 0;
    if (p !== process.pid) continue;
    try {
      out.set(pid, { kind: kindOf(pid), s });
    } catch {}
  }
  return out;
}

/** CPU seconds by kind spent between two `treeCpu()` readings (a process that ended in between is
 * lost: read the second one before closing pages). */
export function cpuSince(before, after = treeCpu()) {
  const by = {};
  for (const [pid, { kind, s }] of after) by[kind] = (by[kind] ?? 0) + s - (before.get(pid)?.s ?? 0);
  return by;
}

/** CPU seconds so far of every thread of the processes a benchmark started, keyed "pid/tid", with
 * "kind thread-name" (for finding where the time goes). */
export function threadCpu() {
  const out = new Map();
  for (const [pid, { kind }] of treeCpu()) {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {}
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        out.set(`${pid}/${tid}`, { kind: `${kind} ${name}`, s: (Number(f[11]) + Number(f[12])) / TICK });
      } catch {}
    }
  }
  return out;
}
