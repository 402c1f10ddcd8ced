/** How parse results are told: error lines, dead letters, the end-of-run summary. */
import type { Palette } from "./color.js";
import { escapeText } from "./escape.js";
import type { EventFailure } from "../pipeline/events.js";
import type { RunStats } from "../pipeline/stats.js";

export type { EventFailure };

/** `sample.ndjson:12: Hex.Audit: event.occurred_at: required field is missing`, safe for a terminal. */
export function errorLine(f: EventFailure): string {
  // File names, field paths and messages quoting values all come from input.
  return escapeText(`${f.file}:${f.line}: ${f.logType ? `${f.logType}: ` : ""}${f.path ? `${f.path}: ` : ""}${f.message}`);
}

/**
 * Each candidate's first error, one indented line each under the error line (shown with
 * --pretty or on a terminal): the reason an event matched no type is often not the closest
 * type's.
 */
export function candidateLines(f: EventFailure): string[] {
  if (!f.candidates) return [];
  return f.candidates.map((c) => escapeText(`  ${c.logType}: ${c.path ? `${c.path}: ` : ""}${c.message}`));
}

/** One NDJSON dead letter (a line without its newline); `raw` is the event's text exactly as read. */
export function deadLetter(f: EventFailure): string {
  const error = f.path ? `${f.path}: ${f.message}` : f.message;
  const o: Record<string, unknown> = { file: f.file, line: f.line, logType: f.logType, error };
  if (f.candidates) o.candidates = f.candidates.map((c) => ({ logType: c.logType, error: c.path ? `${c.path}: ${c.message}` : c.message }));
  o.raw = f.raw;
  if (f.truncated) o.truncated = true;
  return JSON.stringify(o);
}

/** `1 event`, `2 events`, `1,204 records`. */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

/** The end-of-run summary; after Ctrl-C it says the output is partial. */
export function summary(stats: RunStats, seconds: number, c: Palette, interrupted = false): string {
  // A rate says something about a run of a second or more, not about a few events or an idle server.
  const perSecond = seconds >= 1 ? Math.round(stats.events / seconds) : 0;
  const rate = perSecond >= 1 ? ` (${perSecond.toLocaleString("en-US")} events/s)` : "";
  const head =
    (interrupted ? `interrupted after ${plural(stats.events, "event")} (partial output): ` : `${plural(stats.events, "event")} → `) +
    `${c.green(plural(stats.records, "record"))}, ` +
    (stats.errors ? c.red(plural(stats.errors, "error")) : "0 errors") +
    (stats.skipped ? `, ${plural(stats.skipped, "line")} skipped` : "") +
    ` in ${seconds.toFixed(2)}s${rate}`;
  const names = [...stats.perType.keys()].map(escapeText);
  const width = Math.max(0, ...names.map((k) => k.length));
  const rows = [...stats.perType.values()].map(
    (t, i) => `  ${(names[i] as string).padEnd(width)}  ${String(t.records).padStart(8)} ${t.records === 1 ? "record " : "records"}  ${t.errors ? c.red(plural(t.errors, "error")) : "0 errors"}`,
  );
  return [head, ...rows].join("\n");
}
