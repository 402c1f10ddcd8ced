/**
 * Size flags (`--max-event-bytes`, `--max-body`): a byte count, or a number with a unit as the
 * help shows its defaults. Binary units (KiB, MiB, GiB, and the short k, M, G as `sort -S`
 * and `dd` read them) are powers of 1024; decimal ones (kB/KB, MB, GB) powers of 1000.
 */
import { UsageError } from "./errors.js";

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
};

export function parseByteSize(flag: string, value: string, min = 1): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$/.exec(value);
  const unit = m ? UNITS[(m[2] as string).toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < min) {
    throw new UsageError(`${flag} must be a size of at least ${min} byte${min === 1 ? "" : "s"}, like 1048576, 512k, 10MiB or 1MB; got "${value}"`);
  }
  return bytes;
}

/** `10 MiB`, `512 KiB`, `1000 B`: how a default is shown in help. */
export function showByteSize(bytes: number): string {
  for (const [unit, n] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= n && bytes % n === 0) return `${bytes / n} ${unit}`;
  }
  return `${bytes} B`;
}
