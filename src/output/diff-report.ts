/** How `hexlog diff` tells breaking changes: text lines, one JSON document, or GitHub annotations. */
import type { Finding } from "../language/finding.js";
import type { Palette } from "./color.js";
import { githubLine, textLine, type ReportFormat } from "./findings.js";

export interface DiffReport {
  /** Version of this report's shape. */
  version: 1;
  /** No breaking change (and both sides readable). */
  compatible: boolean;
  summary: { old: number; new: number; errors: number; notes: number };
  findings: Finding[];
}

export function diffReport(findings: Finding[], old: number, next: number): DiffReport {
  const errors = findings.filter((f) => f.severity === "error").length;
  const notes = findings.filter((f) => f.severity === "note").length;
  return { version: 1, compatible: errors === 0, summary: { old, new: next, errors, notes }, findings };
}

export function diffReportLines(report: DiffReport, format: ReportFormat, c: Palette): string[] {
  if (format === "json") return [JSON.stringify(report, null, 2)];
  if (format === "github") return report.findings.map(githubLine);
  return report.findings.map((f) => textLine(f, c));
}

/** `✗ 3 breaking changes, 1 note (2 schemas compared)` */
export function diffSummaryLine(report: DiffReport, c: Palette): string {
  const { errors, notes } = report.summary;
  const n = (k: number, word: string): string => `${k} ${word}${k === 1 ? "" : "s"}`;
  const compared = `${report.summary.old} old, ${n(report.summary.new, "new schema")}`;
  const noted = notes > 0 ? `, ${c.cyan(n(notes, "note"))}` : "";
  if (errors === 0) return `${c.green("✓")} no breaking change${noted} (${compared})`;
  return `${c.red("✗")} ${c.red(n(errors, "breaking change"))}${noted} (${compared})`;
}
