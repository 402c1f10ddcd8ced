/**
 * The parts of a parse run's report beyond its lines: a cap on printed errors (--max-errors),
 * progress while it runs (a spinner on a terminal), and the summary as JSON (--stats json).
 */
import { plural } from "./report.js";

/** --max-errors N: the first N error lines are printed, the rest counted (dead letters get all). */
export class ErrorLimit {
  shown = 0;
  hidden = 0;

  constructor(readonly max: number | undefined) {}

  /** Whether this error's line is printed. */
  take(): boolean {
    if (this.max === undefined || this.shown < this.max) {
      this.shown++;
      return true;
    }
    this.hidden++;
    return false;
  }

  /** The closing note when lines were held back, else undefined. */
  note(deadLetters: string | undefined): string | undefined {
    if (this.hidden === 0) return undefined;
    const where = deadLetters ? `; every failed event is in ${deadLetters}` : "; --errors FILE keeps every failed event";
    return `${plural(this.hidden, "more error")} not shown (--max-errors ${this.max})${where}`;
  }
}

/** `1.5 MiB`, `980 B`. */
export function byteCount(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 100 ? 1 : 0)} ${units[i]}`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export interface Progress {
  events: number;
  errors: number;
  /** Bytes of the inputs read so far, and their total size when every input is a regular file. */
  bytesRead: number;
  totalBytes: number | undefined;
  seconds: number;
}

/** `12.3 MiB of 53.0 MiB (23%), 0:41 left — 60,012 events, 3 errors`; counts only for streams. */
export function progressText(p: Progress): string {
  const counts = `${plural(p.events, "event")}, ${plural(p.errors, "error")}`;
  if (p.totalBytes === undefined || p.totalBytes === 0) return p.bytesRead > 0 ? `${byteCount(p.bytesRead)} — ${counts}` : counts;
  const done = Math.min(1, p.bytesRead / p.totalBytes);
  // An estimate needs a little history: none in the first second or before 1 % is read.
  const eta = p.seconds >= 1 && done >= 0.01 && done < 1 ? `, ${clock((p.seconds / done) * (1 - done))} left` : "";
  return `${byteCount(p.bytesRead)} of ${byteCount(p.totalBytes)} (${Math.floor(done * 100)}%)${eta} — ${counts}`;
}

export interface StatsCounts {
  events: number;
  records: number;
  errors: number;
  skipped: number;
  perType: ReadonlyMap<string, { records: number; errors: number }>;
}

/** --stats json: the run summary for programs, one JSON document. */
export function statsJson(stats: StatsCounts, seconds: number, extra: { interrupted: boolean; errorsNotShown: number }): string {
  const perType: Record<string, { records: number; errors: number }> = {};
  for (const [name, t] of stats.perType) perType[name] = { records: t.records, errors: t.errors };
  return JSON.stringify({
    events: stats.events,
    records: stats.records,
    errors: stats.errors,
    skipped: stats.skipped,
    seconds: Math.round(seconds * 1000) / 1000,
    interrupted: extra.interrupted,
    errorsNotShown: extra.errorsNotShown,
    perType,
  });
}
