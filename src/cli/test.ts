/**
 * `hexlog test [SCHEMA_PATH] [TEST_FILES...]`: runs pantherlog-style schema unit tests. Each
 * test's input goes through the path `hexlog parse` uses (framing → EventProcessor → record
 * JSON); the records are compared with the expectations (engine/compare.ts) and reported on
 * stdout in the chosen format. `--update` rewrites failing expectations from the actual records.
 */
import { escapeText } from "../output/escape.js";
import { plural } from "../output/report.js";
import { stat, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { LogType } from "../engine/logtype.js";
import { paletteFor } from "../output/color.js";
import { renderJunit } from "../output/junit.js";
import { renderGithub, renderJson, renderText, summarize } from "../output/test-report.js";
import { LineSink } from "../output/sink.js";
import { expandSchemaPaths, findTestFiles, isTestFileName } from "../catalog/files.js";
import { CappedReadError, readCapped } from "../language/read-capped.js";
import { looksLikeTestFile, MAX_TEST_FILE_BYTES, readTestFile, type TestCase } from "../tools/schema-tests/test-file.js";
import { invalidSchemaRun, TestRunner, type TestRun } from "../tools/schema-tests/run-test.js";
import { formatSchemaProblem } from "../catalog/load-types.js";
import { rewriteExpectations, type ExpectationUpdate } from "../tools/schema-tests/test-update.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./errors.js";
import { describeFsError, loadLogTypes, schemaProblemLines, type LoadedType } from "./load-types.js";
import { coverageLines, meetsMinimum } from "../output/coverage-report.js";
import { schemaCoverage, type SchemaCoverage } from "../tools/coverage.js";

/** Report formats (commander checks --format against the same list in main.ts). */
type Format = "text" | "json" | "junit" | "github";

export interface TestOptions {
  format?: string;
  update?: boolean;
  filter?: string;
  /** Report what of each schema the tests exercise. */
  coverage?: boolean;
  /** Fail (exit 1) when a schema's coverage is below this percentage; implies coverage. */
  minCoverage?: number;
  /** Run again whenever a schema or test file is saved, until Ctrl-C. */
  watch?: boolean;
  quiet?: boolean;
}

export async function runTest(args: string[], opts: TestOptions): Promise<number> {
  if (!opts.watch) return runTestOnce(args, opts);
  if (opts.update) throw new UsageError("--watch and --update do not go together (each save would rewrite expectations)");
  for (const a of args) await isDirectory(a);
  const { runWatching } = await import("./watch-loop.js");
  const accept = (file: string): boolean => /\.ya?ml$/i.test(file);
  return runWatching(args.length > 0 ? args : ["."], accept, (changed) => runTestOnce(args, opts, changed), opts.quiet);
}

/**
 * One run. `changed` (under --watch): the files saved since the last run; only the tests they
 * concern run (those of a changed test file, and those of log types a changed schema defines).
 */
async function runTestOnce(args: string[], opts: TestOptions, changed?: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const matches = opts.filter === undefined ? undefined : testFilter(opts.filter);
  const { schemaPaths, testFiles, notes, explicit } = await classifyPaths(args);
  const cases = await loadCases(testFiles);
  // Test files named on the command line: only the log types they use are compiled (and
  // checked), so one test file beside many schemas pays for its own. A directory alone is a
  // check of everything in it.
  const only = explicit ? [...new Set(cases.map((c) => c.logType))] : undefined;
  const loaded = await loadLogTypes(schemaPaths, only);
  const types = new Map(loaded.types.map((t) => [t.logType.name, t.logType]));
  // A test of an invalid schema's log type fails with the schema's problems; the others run.
  const broken = new Map<string, string[]>();
  for (const p of loaded.problems) {
    if (p.logType !== undefined && !types.has(p.logType)) broken.set(p.logType, [...(broken.get(p.logType) ?? []), formatSchemaProblem(p)]);
  }
  checkLogTypes(
    cases.filter((c) => !broken.has(c.logType)),
    types,
    loaded.names,
  );
  if (cases.length === 0) {
    // An empty new test file is no failure to match a filter that was never given.
    throw new UsageError(`no tests in ${testFiles.join(", ")}`, ["a test file holds YAML documents (separated by ---) with name, logType, input and result or results"]);
  }
  let selected = matches ? cases.filter((c) => matches(c.name)) : cases;
  if (selected.length === 0) {
    throw new UsageError(`no test name matches --filter ${opts.filter} (${plural(cases.length, "test")} in ${plural(testFiles.length, "file")})`);
  }
  if (changed) selected = concerned(selected, changed, loaded);

  const [errC, outC] = await Promise.all([paletteFor(process.stderr), paletteFor(process.stdout)]);
  for (const line of schemaProblemLines(loaded.problems)) process.stderr.write(`${errC.red(escapeText(line))}\n`);
  if (!opts.quiet) for (const w of [...notes, ...loaded.warnings]) process.stderr.write(`${errC.yellow(escapeText(w))}\n`);

  const runner = new TestRunner();
  const runs = selected.map((tc) => {
    const problems = broken.get(tc.logType);
    return problems ? invalidSchemaRun(tc, problems) : runner.run(tc, types.get(tc.logType) as LogType);
  });
  if (opts.update) await applyUpdates(runs);

  const reports = runs.map((r) => r.report);
  const summary = summarize(reports, Number(process.hrtime.bigint() - started) / 1e9);
  const format = (opts.format ?? "text") as Format;
  const wantCoverage = opts.coverage === true || opts.minCoverage !== undefined;
  const coverage = wantCoverage ? coverageOf(runs, types) : [];
  const covered = meetsMinimum(coverage, opts.minCoverage);
  const rendered =
    format === "json"
      ? renderJson(reports, summary, wantCoverage ? { coverage: { minimum: opts.minCoverage ?? null, passed: covered, schemas: coverage } } : {})
      : format === "junit"
        ? renderJunit(reports, summary, new Date())
        : format === "github"
          ? renderGithub(reports, summary)
          : renderText(reports, summary, outC, Boolean(opts.quiet));
  const stdout = new LineSink(process.stdout);
  if (rendered !== "") stdout.writeLine(rendered);
  if (wantCoverage && format === "text") for (const line of coverageLines(coverage, outC, opts.minCoverage)) stdout.writeLine(line);
  if (wantCoverage && format === "github") for (const line of coverageAnnotations(coverage, opts.minCoverage)) stdout.writeLine(line);
  // JUnit has no place for it: people read it on stderr.
  if (wantCoverage && format === "junit") for (const line of coverageLines(coverage, errC, opts.minCoverage)) process.stderr.write(`${line}\n`);
  await stdout.flush();
  return summary.failed > 0 || !covered ? EXIT_FINDINGS : EXIT_OK;
}

/** Coverage per log type, in the order the tests name them. */
function coverageOf(runs: readonly TestRun[], types: ReadonlyMap<string, LogType>): SchemaCoverage[] {
  const byType = new Map<string, TestRun[]>();
  for (const r of runs) byType.set(r.case.logType, [...(byType.get(r.case.logType) ?? []), r]);
  // A log type whose schema is invalid has nothing to cover (its tests fail on it).
  return [...byType].flatMap(([name, list]) => {
    const type = types.get(name);
    return type ? [schemaCoverage(type.schema, list.map((r) => ({ input: r.case.input, records: r.records })), type.text)] : [];
  });
}

/** `::error` for a schema below --min-coverage, `::notice` for the others. */
function coverageAnnotations(coverage: readonly SchemaCoverage[], min: number | undefined): string[] {
  return coverage.map((c) => {
    const below = min !== undefined && c.percent < min;
    const gaps = [...c.missing.fields.map((f) => `field ${f}`), ...c.missing.indicators.map((i) => `${i.field} (${i.kind})`), ...c.missing.timeFormats.map((t) => `${t.field} (${t.format})`)];
    const text = `${c.logType} coverage ${c.percent}% (${c.covered} of ${c.total})${below ? ` is below --min-coverage ${min}` : ""}${gaps.length > 0 ? `; not covered: ${gaps.join(", ")}` : ""}`;
    return `::${below ? "error" : "notice"} title=coverage::${text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}`;
  });
}

/** The tests a batch of saved files concerns; all of them when no test is concerned (a new file, say). */
function concerned(cases: readonly TestCase[], changed: readonly string[], loaded: { types: readonly LoadedType[]; problems: ReadonlyArray<{ file: string; logType?: string | undefined }> }): TestCase[] {
  const files = new Set(changed.map((f) => resolve(f)));
  const changedTypes = new Set(loaded.types.filter((t) => files.has(resolve(t.source.file))).map((t) => t.name));
  // A schema saved half-written is invalid: its tests run too, and fail on its problems.
  for (const p of loaded.problems) if (p.logType !== undefined && files.has(resolve(p.file))) changedTypes.add(p.logType);
  const picked = cases.filter((c) => files.has(resolve(c.file)) || changedTypes.has(c.logType));
  return picked.length > 0 ? picked : [...cases];
}

/**
 * Sorts the arguments into schemas and test files. A directory holds schemas (test files inside
 * are skipped) and, when no test file is named, the tests to run (`*_tests.yml`, `*_tests.yaml`).
 * A file is a test file by its name, or by its content (a `logType` or `input` key, which no
 * schema has); any other file is a schema.
 */
async function classifyPaths(args: readonly string[]): Promise<{ schemaPaths: string[]; testFiles: string[]; notes: string[]; explicit: boolean }> {
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
  const explicit = testFiles.length > 0;
  if (testFiles.length === 0) {
    for (const dir of dirs) testFiles.push(...(await findTestFiles(dir)));
    if (testFiles.length === 0) {
      throw new UsageError(`no test files: give them after the schema path, or keep *_tests.yml files in ${dirs.length > 0 ? dirs.join(", ") : "a directory given"}`);
    }
  }
  return { schemaPaths, testFiles: [...new Set(testFiles)], notes, explicit };
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
function checkLogTypes(cases: readonly TestCase[], types: ReadonlyMap<string, LogType>, available: readonly string[]): void {
  const unknown = new Map<string, TestCase[]>();
  for (const c of cases) if (!types.has(c.logType)) unknown.set(c.logType, [...(unknown.get(c.logType) ?? []), c]);
  if (unknown.size === 0) return;
  const lines = [...unknown].map(([name, [first, ...rest]]) => {
    const more = rest.length > 0 ? ` (and ${rest.length} more test${rest.length === 1 ? "" : "s"})` : "";
    return `${first?.file}:${first?.logTypeLine}: unknown log type "${name}"${more}`;
  });
  throw new UsageError(`unknown log type${unknown.size === 1 ? "" : "s"} in tests (give the schema path first):`, [
    ...lines,
    `available: ${available.join(", ")}`,
  ]);
}

async function readText(file: string): Promise<string> {
  try {
    // Capped by bytes read: a device or a pipe given as a test file cannot make this read forever.
    return readCapped(file, MAX_TEST_FILE_BYTES).toString("utf8");
  } catch (e) {
    if (e instanceof CappedReadError && e.tooLarge) throw new UsageError(`cannot read ${file}: too large for a test file (more than ${MAX_TEST_FILE_BYTES / 1048576} MiB)`);
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
