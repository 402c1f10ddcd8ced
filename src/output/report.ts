/** How parse results are told: error lines, dead letters, the end-of-run summary. */
import type { Palette } from "./color.js";
import type { EventFailure } from "../pipeline/events.js";
import type { RunStats } from "../pipeline/stats.js";

export type { EventFailure };

/** `sample.ndjson:12: Hex.Audit: event.occurred_at: required field is missing` */
export function errorLine(f: EventFailure): string {
  return `${f.file}:${f.line}: ${f.logType ? `${f.logType}: ` : ""}${f.path ? `${f.path}: ` : ""}${f.message}`;
}

/** One NDJSON dead letter (a line without its newline); `raw` is the event's text exactly as read. */
export function deadLetter(f: EventFailure): string {
  const error = f.path ? `${f.path}: ${f.message}` : f.message;
  const o: Record<string, unknown> = { file: f.file, line: f.line, logType: f.logType, error, raw: f.raw };
  if (f.truncated) o.truncated = true;
  return JSON.stringify(o);
}

export function summary(stats: RunStats, seconds: number, c: Palette): string {
  const rate = seconds > 0 ? ` (${Math.round(stats.events / seconds).toLocaleString("en-US")} events/s)` : "";
  const head =
    `${stats.events} events → ${c.green(`${stats.records} records`)}, ` +
    (stats.errors ? c.red(`${stats.errors} errors`) : "0 errors") +
    (stats.skipped ? `, ${stats.skipped} lines skipped` : "") +
    ` in ${seconds.toFixed(2)}s${rate}`;
  const width = Math.max(0, ...[...stats.perType.keys()].map((k) => k.length));
  const rows = [...stats.perType].map(
    ([name, t]) => `  ${name.padEnd(width)}  ${String(t.records).padStart(8)} records  ${t.errors ? c.red(`${t.errors} errors`) : "0 errors"}`,
  );
  return [head, ...rows].join("\n");
}
