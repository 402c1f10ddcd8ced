/**
 * `hexlog test [SCHEMA_PATH] [TEST_FILES...]`: runs pantherlog-style schema unit tests. Each
 * test's input goes through the path `hexlog parse` uses (framing → EventProcessor → record
 * JSON); the records are compared with the expectations (engine/compare.ts) and reported on
 * stdout in the chosen format. `--update` rewrites failing expectations from the actual records.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { expectationOf, RecordComparer, type Difference } from "../tools/schema-tests/compare.js";
import { parseLossless, type LosslessValue } from "../engine/lossless-json.js";
import type { LogType } from "../engine/logtype.js";
import { EventProcessor } from "../engine/process.js";
import { RowIds } from "../engine/rowid.js";
import { JsonFramer, LineFramer, type FramedEvent } from "../input/framing.js";
import { paletteFor } from "../output/color.js";
import { layoutJson } from "../output/json-layout.js";
import { renderJunit } from "../output/junit.js";
import { renderGithub, renderJson, renderText, summarize, type TestProblem, type TestReport } from "../output/test-report.js";
import { LineSink } from "../output/sink.js";
import { expandSchemaPaths, findTestFiles, isTestFileName } from "../catalog/files.js";
import { LOG_TYPE_PLACEHOLDER, looksLikeTestFile, readTestFile, type TestCase } from "../tools/schema-tests/test-file.js";
import { rewriteExpectations, type ExpectationUpdate } from "../tools/schema-tests/test-update.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./errors.js";
import { describeFsError, invalidSchemaLines, loadLogTypes, type InvalidSchema } from "../catalog/load-types.js";
import { isoMillis } from "./parse.js";

/** Report formats (commander checks --format against the same list in main.ts). */
type Format = "text" | "json" | "junit" | "github";

export interface TestOptions {
  format?: string;
  update?: boolean;
  filter?: string;
  quiet?: boolean;
}

/** The largest input a test may hold, as for `hexlog parse`. */
const MAX_EVENT_BYTES = 10 * 1024 * 1024;

export async function runTest(args: string[], opts: TestOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const matches = opts.filter === undefined ? undefined : testFilter(opts.filter);
  const { schemaPaths, testFiles, notes } = await classifyPaths(args);
  const loaded = await loadLogTypes(schemaPaths);
  const types = new Map(loaded.types.map((t) => [t.logType.name, t.logType]));
  // A test of an invalid schema's log type fails with the schema's problems; the others run.
  const broken = new Map<string, InvalidSchema[]>();
  for (const i of loaded.invalid) if (i.logType !== undefined && !types.has(i.logType)) broken.set(i.logType, [...(broken.get(i.logType) ?? []), i]);
  const cases = await loadCases(testFiles);
  checkLogTypes(
    cases.filter((c) => !broken.has(c.logType)),
    types,
  );
  const selected = matches ? cases.filter((c) => matches(c.name)) : cases;
  if (selected.length === 0) {
    throw new UsageError(`no test name matches --filter ${opts.filter} (${cases.length} tests in ${testFiles.length} files)`);
  }

  const [errC, outC] = await Promise.all([paletteFor(process.stderr), paletteFor(process.stdout)]);
  for (const line of invalidSchemaLines(loaded.invalid)) process.stderr.write(`${errC.red(line)}\n`);
  if (!opts.quiet) for (const w of [...notes, ...loaded.warnings]) process.stderr.write(`${errC.yellow(w)}\n`);

  const runner = new TestRunner();
  const runs = selected.map((tc) => {
    const invalid = broken.get(tc.logType);
    return invalid ? invalidSchemaRun(tc, invalid) : runner.run(tc, types.get(tc.logType) as LogType);
  });
  if (opts.update) await applyUpdates(runs);

  const reports = runs.map((r) => r.report);
  const summary = summarize(reports, Number(process.hrtime.bigint() - started) / 1e9);
  const format = (opts.format ?? "text") as Format;
  const rendered =
    format === "json"
      ? renderJson(reports, summary)
      : format === "junit"
        ? renderJunit(reports, summary, new Date())
        : format === "github"
          ? renderGithub(reports, summary)
          : renderText(reports, summary, outC, Boolean(opts.quiet));
  const stdout = new LineSink(process.stdout);
  if (rendered !== "") stdout.writeLine(rendered);
  await stdout.flush();
  return summary.failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Sorts the arguments into schemas and test files. A directory holds schemas (test files inside
 * are skipped) and, when no test file is named, the tests to run (`*_tests.yml`, `*_tests.yaml`).
 * A file is a test file by its name, or by its content (a `logType` or `input` key, which no
 * schema has); any other file is a schema.
 */
async function classifyPaths(args: readonly string[]): Promise<{ schemaPaths: string[]; testFiles: string[]; notes: string[] }> {
  if (args.length === 0) {
    throw new UsageError("give a schema directory, or test files (with their schema first if it is not built in)", [
      "example: hexlog test schemas/",
      "example: hexlog test schema.yml schema_tests.yml",
    ]);
  }
  const schemaPaths: string[] = [];
  const dirs: string[] = [];
  const testFiles: string[] = [];
  const notes: string[] = [];
  for (const arg of args) {
    if (!(await isDirectory(arg))) {
      if (isTestFileName(basename(arg)) || looksLikeTestFile(await readText(arg))) testFiles.push(arg);
      else schemaPaths.push(arg);
      continue;
    }
    dirs.push(arg);
    // Tests under a name discovery does not know would otherwise fail to load as schemas.
    for (const file of await schemaFilesIn(arg)) {
      if (!looksLikeTestFile(await readText(file))) schemaPaths.push(file);
      else notes.push(`note: ${file} holds tests but is not named *_tests.yml; skipped (rename it, or name it after the schema path)`);
    }
  }
  if (testFiles.length === 0) {
    for (const dir of dirs) testFiles.push(...(await findTestFiles(dir)));
    if (testFiles.length === 0) {
      throw new UsageError(`no test files: give them after the schema path, or keep *_tests.yml files in ${dirs.length > 0 ? dirs.join(", ") : "a directory given"}`);
    }
  }
  return { schemaPaths, testFiles: [...new Set(testFiles)], notes };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    throw new UsageError(`cannot read ${describeFsError(e)}`);
  }
}

async function schemaFilesIn(dir: string): Promise<string[]> {
  try {
    return await expandSchemaPaths([dir]);
  } catch (e) {
    throw new UsageError(`cannot read schemas: ${describeFsError(e)}`);
  }
}

/** Every test's log type must be loaded; the first test naming each unknown one is shown. */
function checkLogTypes(cases: readonly TestCase[], types: ReadonlyMap<string, LogType>): void {
  const unknown = new Map<string, TestCase[]>();
  for (const c of cases) if (!types.has(c.logType)) unknown.set(c.logType, [...(unknown.get(c.logType) ?? []), c]);
  if (unknown.size === 0) return;
  const lines = [...unknown].map(([name, [first, ...rest]]) => {
    const more = rest.length > 0 ? ` (and ${rest.length} more test${rest.length === 1 ? "" : "s"})` : "";
    return `${first?.file}:${first?.logTypeLine}: unknown log type "${name}"${more}`;
  });
  throw new UsageError(`unknown log type${unknown.size === 1 ? "" : "s"} in tests (give the schema path first):`, [
    ...lines,
    `available: ${[...types.keys()].join(", ")}`,
  ]);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${describeFsError(e)}`);
  }
}

/** Every test of every file; any problem in any file is a usage error listing them all. */
async function loadCases(files: readonly string[]): Promise<TestCase[]> {
  const cases: TestCase[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let loaded;
    try {
      loaded = await readTestFile(file);
    } catch (e) {
      problems.push(`${file}: cannot read: ${describeFsError(e)}`);
      continue;
    }
    cases.push(...loaded.cases);
    for (const p of loaded.problems) problems.push(`${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  if (problems.length > 0) {
    throw new UsageError(`${problems.length === 1 ? "a test file is" : `${problems.length} test file problems are`} in the way:`, problems);
  }
  return cases;
}

/** `--filter`: a substring of the test name, or `/regex/flags`. */
export function testFilter(pattern: string): (name: string) => boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!re) return (name) => name.includes(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(re[1] as string, re[2]);
  } catch (e) {
    throw new UsageError(`--filter ${pattern} is not a valid regular expression: ${(e as Error).message}`);
  }
  return (name) => {
    regex.lastIndex = 0;
    return regex.test(name);
  };
}

/** One test's outcome, with what --update needs. */
interface TestRun {
  case: TestCase;
  report: TestReport;
  /** The records to write as expectations, when only the records were wrong. */
  update?: string[];
}

/** The input of a test as events: the framing `hexlog parse` would use for the log type. */
function frameInput(input: string, type: LogType): FramedEvent[] {
  // Text schemas (parser: fastmatch, regex, csv) read lines.
  const framer = type.text ? new LineFramer({ maxEventBytes: MAX_EVENT_BYTES }) : new JsonFramer({ maxEventBytes: MAX_EVENT_BYTES });
  const events: FramedEvent[] = [];
  framer.push(Buffer.from(input, "utf8"), events);
  framer.end(events);
  return events;
}

class TestRunner {
  private readonly rowIds = new RowIds();
  private readonly comparers = new Map<LogType, RecordComparer>();

  run(tc: TestCase, type: LogType): TestRun {
    const started = process.hrtime.bigint();
    const nowMs = Date.now();
    const nowSec = Math.floor(nowMs / 1000);
    const processor = new EventProcessor([type], { rowIds: this.rowIds });
    processor.setClock(nowSec, isoMillis(nowMs));

    const records: LosslessValue[] = [];
    const failures: Array<{ line: number; message: string }> = [];
    // Each test's input is a stream of its own (a CSV header is read from its first line).
    const lines = processor.lineBased ? processor.openStream() : undefined;
    const events = frameInput(tc.input, type);
    if (!lines) processor.expandFramed(events);
    for (const ev of events) {
      if (ev.error !== undefined) {
        failures.push({ line: ev.line, message: ev.error });
        continue;
      }
      const r = lines ? processor.processLine(ev.raw, lines) : processor.process(ev.raw, ev.value);
      if (r === null) continue;
      if (r.ok) records.push(parseLossless(r.json));
      else failures.push({ line: ev.line, message: r.path ? `${r.path}: ${r.message}` : r.message });
    }

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
    const run: TestRun = { case: tc, report };
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

/** A test whose log type's schema is invalid: it fails with the schema's problems. */
function invalidSchemaRun(tc: TestCase, invalid: readonly InvalidSchema[]): TestRun {
  const problems: TestProblem[] = invalid.flatMap((i) => i.problems.map((p) => ({ message: `the schema of ${tc.logType} is invalid: ${p}` })));
  return { case: tc, report: { file: tc.file, line: tc.line, name: tc.name, logType: tc.logType, status: "failed", seconds: 0, problems } };
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

/** Rewrites the expectations of updatable failed tests, one write per file. */
async function applyUpdates(runs: TestRun[]): Promise<void> {
  const byFile = new Map<string, TestRun[]>();
  for (const r of runs) {
    if (!r.update) continue;
    const list = byFile.get(r.case.file);
    if (list) list.push(r);
    else byFile.set(r.case.file, [r]);
  }
  for (const [file, list] of byFile) {
    const updates: ExpectationUpdate[] = list.map((r) => ({ doc: r.case.doc, records: r.update as string[] }));
    const text = await readText(file);
    try {
      await writeFile(file, rewriteExpectations(text, updates));
    } catch (e) {
      throw new UsageError(`cannot update ${describeFsError(e)}`);
    }
    for (const r of list) r.report.status = "updated";
  }
}
