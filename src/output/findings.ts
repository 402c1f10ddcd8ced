/**
 * How validate-schema tells its findings: text for people (coloured on a TTY), one JSON document
 * for machines, or GitHub Actions workflow commands that become annotations on the diff.
 */
import type { Finding } from "../language/finding.js";
import type { Palette } from "./color.js";
import { escapeForTerminal } from "./terminal-text.js";

export type ReportFormat = "text" | "json" | "github";

/** Sample events run through the valid schemas (`--samples`). */
export interface SampleSummary {
  files: string[];
  events: number;
  matched: number;
  unmatched: number;
  /** Lines a text schema reads without making an event of them (headers, skipPrefix). */
  skipped: number;
  /** Matched events per log type. */
  perType: Record<string, number>;
  /** How many of the unmatched events are listed as findings (the first ones). */
  listed: number;
}

export interface ValidationReport {
  /** Version of this report's shape. */
  version: 1;
  valid: boolean;
  /** `notes`: changes that break nothing, with `--against`. */
  summary: { schemas: number; valid: number; errors: number; warnings: number; notes?: number };
  schemas: Array<{ file: string; name: string | null; valid: boolean }>;
  findings: Finding[];
  samples?: SampleSummary;
}

/** The report as lines for stdout (JSON is one document, pretty-printed). */
export function reportLines(report: ValidationReport, format: ReportFormat, c: Palette): string[] {
  if (format === "json") return [JSON.stringify(report, null, 2)];
  if (format === "github") return report.findings.map(githubLine);
  const lines = report.findings.map((f) => textLine(f, c));
  if (report.samples) lines.push(samplesLine(report.samples, c));
  return lines;
}

/** `schemas/app.yml:7:5: error: unknown key "indicator" (did you mean "indicators"?) [unknown-key]` */
export function textLine(f: Finding, c: Palette): string {
  const severity = f.severity === "error" ? c.red("error") : f.severity === "note" ? c.cyan("note") : c.yellow("warning");
  return `${escapeForTerminal(location(f))}: ${severity}: ${escapeForTerminal(f.message)} ${c.gray(`[${f.rule}]`)}`;
}

/** `::error file=schemas/app.yml,line=7,col=5,title=unknown-key::unknown key …` */
export function githubLine(f: Finding): string {
  const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`];
  if (f.col !== undefined) props.push(`col=${f.col}`);
  props.push(`title=${escapeProperty(f.rule)}`);
  // GitHub's levels are error, warning and notice.
  return `::${f.severity === "note" ? "notice" : f.severity} ${props.join(",")}::${escapeData(f.message)}`;
}

export function samplesLine(s: SampleSummary, c: Palette): string {
  const types = Object.entries(s.perType)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const unmatched = s.unmatched > 0 ? c.red(`${s.unmatched} unmatched`) : "0 unmatched";
  const more = s.unmatched > s.listed ? ` (first ${s.listed} listed)` : "";
  const skipped = s.skipped > 0 ? `, ${s.skipped} skipped` : "";
  return `samples: ${s.events} events, ${c.green(`${s.matched} matched`)}${types ? ` (${types})` : ""}, ${unmatched}${skipped}${more}`;
}

/** The closing line on stderr: what was checked and how it went. */
export function summaryLine(report: ValidationReport, seconds: number, c: Palette): string {
  const { schemas, errors, warnings } = report.summary;
  const what = `${schemas} ${schemas === 1 ? "schema" : "schemas"}`;
  const warn = warnings > 0 ? c.yellow(`${warnings} ${warnings === 1 ? "warning" : "warnings"}`) : "";
  const time = ` in ${seconds.toFixed(2)}s`;
  if (errors === 0) return `${c.green("✓")} ${what} valid${warn ? ` (${warn})` : ""}${time}`;
  const err = c.red(`${errors} ${errors === 1 ? "error" : "errors"}`);
  const files = new Set(report.findings.filter((f) => f.severity === "error").map((f) => f.file)).size;
  return `${c.red("✗")} ${err}${warn ? `, ${warn}` : ""} in ${files} ${files === 1 ? "file" : "files"} (${what} checked, ${report.summary.valid} valid)${time}`;
}

function location(f: Finding): string {
  return f.col === undefined ? `${f.file}:${f.line}` : `${f.file}:${f.line}:${f.col}`;
}

/** Workflow command escaping: the message part. */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Workflow command escaping: a property value (also `:` and `,`). */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
