/**
 * Runs one pantherlog-style schema test: its input goes through the pipeline `hexlog parse`
 * uses, and the records are compared with the expectations (compare.ts).
 */
import { parseLossless, type LosslessValue } from "../../engine/lossless-json.js";
import type { LogType } from "../../engine/logtype.js";
import { RowIds } from "../../engine/rowid.js";
import { layoutJson } from "../../output/json-layout.js";
import type { TestProblem, TestReport } from "../../output/test-report.js";
import { systemClock } from "../../pipeline/clock.js";
import { EventPipeline, type EventSink } from "../../pipeline/event-loop.js";
import { expectationOf, RecordComparer, type Difference } from "./compare.js";
import { LOG_TYPE_PLACEHOLDER, type TestCase } from "./test-file.js";

/** One test's outcome, with what --update needs. */
export interface TestRun {
  case: TestCase;
  report: TestReport;
  /** The records to write as expectations, when only the records were wrong. */
  update?: string[];
  /** The records the input made (for coverage). */
  records: LosslessValue[];
}

/** A test whose log type's schema is invalid: it fails with the schema's problems (`file:line:col: …`). */
export function invalidSchemaRun(tc: TestCase, schemaProblems: readonly string[]): TestRun {
  const problems: TestProblem[] = schemaProblems.map((p) => ({ message: `the schema of ${tc.logType} is invalid: ${p}` }));
  return { case: tc, report: { file: tc.file, line: tc.line, name: tc.name, logType: tc.logType, status: "failed", seconds: 0, problems }, records: [] };
}

export class TestRunner {
  private readonly rowIds = new RowIds();
  private readonly comparers = new Map<LogType, RecordComparer>();

  run(tc: TestCase, type: LogType): TestRun {
    const started = process.hrtime.bigint();
    const now = systemClock.now();
    const nowSec = now.sec;
    const pipeline = new EventPipeline({ types: [type], rowIds: this.rowIds, clock: { now: () => now } });

    const records: LosslessValue[] = [];
    const failures: Array<{ line: number; message: string }> = [];
    // Each test's input is an input of its own (a CSV header is read from its first line).
    const input = pipeline.open(tc.file);
    const sink: EventSink = {
      record: (r) => void records.push(parseLossless(r.json)),
      failure: (f) => void failures.push({ line: f.line, message: f.path ? `${f.path}: ${f.message}` : f.message }),
    };
    input.push(Buffer.from(tc.input, "utf8"), sink);
    input.end(sink);

    const problems: TestProblem[] = [];
    if (tc.error === undefined) {
      for (const f of failures) problems.push({ message: `input line ${f.line} does not parse: ${f.message}` });
    } else if (failures.length === 0) {
      problems.push({ message: `expected the input to fail with an error containing "${tc.error}", but it parsed` });
    } else {
      for (const f of failures) {
        if (!f.message.includes(tc.error)) problems.push({ message: `input line ${f.line} fails with "${f.message}", which does not contain "${tc.error}"` });
      }
    }
    // An input that fails unexpectedly has nothing meaningful to compare.
    const compareRecords = tc.error !== undefined || failures.length === 0;
    const recordProblems = compareRecords ? this.compareRecords(tc, type, records, nowSec) : [];
    problems.push(...recordProblems);

    const report: TestReport = {
      file: tc.file,
      line: tc.line,
      name: tc.name,
      logType: tc.logType,
      status: problems.length === 0 ? "passed" : "failed",
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      problems,
    };
    const run: TestRun = { case: tc, report, records };
    if (recordProblems.length > 0 && recordProblems.length === problems.length) run.update = records.map((r) => expectationText(r, tc));
    return run;
  }

  private compareRecords(tc: TestCase, type: LogType, records: readonly LosslessValue[], nowSec: number): TestProblem[] {
    let comparer = this.comparers.get(type);
    if (!comparer) {
      comparer = new RecordComparer(type.schema);
      this.comparers.set(type, comparer);
    }
    const problems: TestProblem[] = [];
    const n = Math.max(records.length, tc.expected.length);
    const label = (i: number): string => (n > 1 ? `results[${i}]` : "");
    if (records.length !== tc.expected.length) {
      problems.push({ message: `expected ${count(tc.expected.length)}, got ${count(records.length)}` });
    }
    for (let i = 0; i < n; i++) {
      const exp = tc.expected[i];
      const actual = records[i];
      let expected: LosslessValue | undefined;
      if (exp !== undefined) {
        try {
          expected = parseLossless(exp.text);
        } catch (e) {
          problems.push({ path: label(i) || "result", message: `the expected record (line ${exp.line}) is not valid JSON: ${(e as Error).message}` });
          continue;
        }
      }
      if (expected === undefined || actual === undefined) {
        problems.push({ path: label(i) || "result", message: expected === undefined ? "a record the test does not expect" : "no such record", values: { expected, actual } });
        continue;
      }
      for (const d of comparer.compare(expected, actual, { nowSec })) problems.push(difference(d, label(i)));
    }
    return problems;
  }
}

/** A record as --update writes it into the test file. */
function expectationText(record: LosslessValue, tc: TestCase): string {
  const expected = expectationOf(record);
  if (tc.templated && typeof expected === "object" && expected !== null && "p_log_type" in expected && expected.p_log_type === tc.logType) {
    (expected as Record<string, LosslessValue>).p_log_type = LOG_TYPE_PLACEHOLDER;
  }
  return `${layoutJson(expected)}\n`;
}

function difference(d: Difference, prefix: string): TestProblem {
  const path = prefix && d.path ? `${prefix}.${d.path}` : prefix || d.path || "(record)";
  const message = d.note ?? (d.expected === undefined ? "not in the expected record" : d.actual === undefined ? "missing from the record" : "differs");
  return { path, message, values: { expected: d.expected, actual: d.actual } };
}

function count(n: number): string {
  return `${n} record${n === 1 ? "" : "s"}`;
}

