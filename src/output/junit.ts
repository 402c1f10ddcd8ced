/**
 * `hexlog test --format junit`: JUnit XML as CI systems read it (Jenkins, GitLab, Azure, the
 * GitHub test-report actions). One <testsuite> per test file; a failing test carries its diff in
 * <failure>. `classname` is the log type, so Hex.Audit tests group under Hex › Audit.
 */
import { problemHead, problemLines, type TestReport, type TestSummary } from "./test-report.js";

export function renderJunit(reports: readonly TestReport[], summary: TestSummary, timestamp: Date): string {
  const files = new Map<string, TestReport[]>();
  for (const r of reports) {
    const list = files.get(r.file);
    if (list) list.push(r);
    else files.set(r.file, [r]);
  }
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hexlog test" tests="${summary.tests}" failures="${summary.failed}" errors="0" time="${secs(summary.seconds)}">`,
  ];
  for (const [file, tests] of files) {
    const failed = tests.filter((t) => t.status === "failed").length;
    const time = tests.reduce((s, t) => s + t.seconds, 0);
    out.push(
      `  <testsuite name="${attr(file)}" tests="${tests.length}" failures="${failed}" errors="0" skipped="0" time="${secs(time)}" timestamp="${timestamp.toISOString().slice(0, 19)}">`,
    );
    for (const t of tests) {
      const open = `    <testcase name="${attr(t.name)}" classname="${attr(t.logType)}" file="${attr(t.file)}" line="${t.line}" time="${secs(t.seconds)}"`;
      if (t.status === "passed") {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (t.status === "failed") {
        const first = t.problems[0];
        const message = first ? problemHead(first) : "failed";
        const more = t.problems.length > 1 ? ` (and ${t.problems.length - 1} more)` : "";
        const body = t.problems.flatMap((p) => problemLines(p)).join("\n");
        out.push(`      <failure message="${attr(message + more)}" type="mismatch">${text(body)}</failure>`);
      } else {
        out.push(`      <system-out>${text("expected records rewritten by --update")}</system-out>`);
      }
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n");
}

function secs(s: number): string {
  return s.toFixed(3);
}

/** Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function text(s: string): string {
  return s.replace(NOT_XML, "\ufffd").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
