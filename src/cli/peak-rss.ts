/**
 * This process's peak resident memory, in bytes. On Linux it is read from /proc (VmHWM): the
 * kernel's getrusage maximum, which process.resourceUsage() reports, is carried over an exec from
 * the process that spawned us, so a hexlog started by a 200 MiB parent claimed a 200 MiB peak.
 */
import { readFileSync } from "node:fs";

export function peakRssBytes(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux: the portable figure.
  }
  return process.resourceUsage().maxRSS * 1024;
}
