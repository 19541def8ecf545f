// Reading processes from /proc (Linux) for the browser benchmarks' memory columns. Node only:
// lib.mjs is also loaded by the benchmark pages.
import { readdirSync, readFileSync } from "node:fs";

/** Chromium renderer processes started (indirectly) by this process (Linux: read from /proc). */
export function rendererPids() {
  const parent = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  const mine = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === process.pid) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    try {
      return mine(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer");
    } catch {
      return false;
    }
  });
}

/** A `/proc/<pid>/status` field in MiB (VmRSS by default); 0 once the process is gone. */
export function procStatusMiB(pid, key = "VmRSS") {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
