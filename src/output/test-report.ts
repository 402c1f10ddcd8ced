/**
 * How `hexlog test` results are told: text for people (pass/fail lines, a diff per failure,
 * a summary), JSON for programs, GitHub workflow annotations. JUnit XML is in junit.ts.
 */
import type { LosslessValue } from "../engine/lossless-json.js";
import { restoreRaw } from "../engine/raw-json.js";
import type { Palette } from "./color.js";

export type TestStatus = "passed" | "failed" | "updated";

/** One reason a test failed: a value that differs (with its JSON path), or a message. */
export interface TestProblem {
  /** Where in the expected records, e.g. `event.actor.id` or `results[1].p_any_emails`. */
  path?: string;
  message: string;
  /** Present when the problem is about a value: what the test expects / what hexlog produced. */
  values?: { expected: LosslessValue | undefined; actual: LosslessValue | undefined };
}

export interface TestReport {
  file: string;
  line: number;
  name: string;
  logType: string;
  status: TestStatus;
  seconds: number;
  problems: TestProblem[];
}

export interface TestSummary {
  tests: number;
  passed: number;
  failed: number;
  updated: number;
  files: number;
  seconds: number;
}

export function summarize(reports: readonly TestReport[], seconds: number): TestSummary {
  const count = (s: TestStatus): number => reports.filter((r) => r.status === s).length;
  return {
    tests: reports.length,
    passed: count("passed"),
    failed: count("failed"),
    updated: count("updated"),
    files: new Set(reports.map((r) => r.file)).size,
    seconds,
  };
}

/** Compact JSON of a value, number literals as written. */
export function jsonText(v: LosslessValue): string {
  return restoreRaw(JSON.stringify(v));
}

export function summaryLine(s: TestSummary, c?: Palette): string {
  const paint = (text: string, f: ((t: string) => string) | undefined, on: boolean): string => (on && f ? f(text) : text);
  const parts = [paint(`${s.passed} passed`, c?.green, s.passed > 0), paint(`${s.failed} failed`, c?.red, s.failed > 0)];
  if (s.updated > 0) parts.push(paint(`${s.updated} updated`, c?.yellow, true));
  const tests = `${s.tests} test${s.tests === 1 ? "" : "s"} in ${s.files} file${s.files === 1 ? "" : "s"}`;
  return `${tests}: ${parts.join(", ")} (${s.seconds.toFixed(2)}s)`;
}

/** The first line of a problem: its path and what is wrong. */
export function problemHead(p: TestProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** A problem as lines: its head, then `- expected` / `+ actual` (coloured when given a palette). */
export function problemLines(p: TestProblem, c?: Palette): string[] {
  const red = c?.red ?? ((t: string) => t);
  const green = c?.green ?? ((t: string) => t);
  const lines = [problemHead(p)];
  if (p.values) {
    const { expected, actual } = p.values;
    lines.push(red(`  - expected  ${expected === undefined ? "(absent)" : jsonText(expected)}`));
    lines.push(green(`  + actual    ${actual === undefined ? "(absent)" : jsonText(actual)}`));
  }
  return lines;
}

const LABELS: Record<TestStatus, string> = { passed: "PASS", failed: "FAIL", updated: "UPDATED" };

/** Text: one line per test (failures and updates followed by their diff), then a summary. */
export function renderText(reports: readonly TestReport[], summary: TestSummary, c: Palette, quiet: boolean): string {
  const out: string[] = [];
  const paint: Record<TestStatus, (t: string) => string> = { passed: c.green, failed: c.red, updated: c.yellow };
  for (const r of reports) {
    if (quiet && r.status === "passed") continue;
    out.push(`${paint[r.status](LABELS[r.status].padEnd(7))} ${r.file}:${r.line}  ${r.name} ${c.gray(`(${r.logType})`)}`);
    for (const p of r.problems) for (const l of problemLines(p, c)) out.push(`          ${l}`);
  }
  if (!quiet) {
    if (out.length > 0) out.push("");
    out.push(summaryLine(summary, c));
  }
  return out.join("\n");
}

/** JSON: one document with every test and the summary. */
/** `extra`: more top-level keys (e.g. `coverage`). */
export function renderJson(reports: readonly TestReport[], summary: TestSummary, extra: Record<string, unknown> = {}): string {
  const tests = reports.map((r) => ({
    name: r.name,
    file: r.file,
    line: r.line,
    logType: r.logType,
    status: r.status,
    seconds: round(r.seconds),
    problems: r.problems.map((p) => ({
      ...(p.path !== undefined ? { path: p.path } : {}),
      message: p.message,
      // An absent value is a missing key (null would read as JSON null).
      ...(p.values?.expected !== undefined ? { expected: p.values.expected } : {}),
      ...(p.values?.actual !== undefined ? { actual: p.values.actual } : {}),
    })),
  }));
  return restoreRaw(JSON.stringify({ tests, summary: { ...summary, seconds: round(summary.seconds) }, ...extra }, null, 2));
}

/**
 * GitHub Actions workflow commands: an error annotation at each failing test's line (the diff
 * as its message), a notice for updated ones, then the summary as a plain line.
 */
export function renderGithub(reports: readonly TestReport[], summary: TestSummary): string {
  const out: string[] = [];
  for (const r of reports) {
    if (r.status === "passed") continue;
    const level = r.status === "failed" ? "error" : "notice";
    const title = `${r.name} (${r.logType})`;
    const body = r.status === "failed" ? r.problems.flatMap((p) => problemLines(p)).join("\n") : "expected records rewritten by --update";
    out.push(`::${level} file=${property(r.file)},line=${r.line},title=${property(title)}::${data(body)}`);
  }
  out.push(summaryLine(summary));
  return out.join("\n");
}

function data(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function property(s: string): string {
  return data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
