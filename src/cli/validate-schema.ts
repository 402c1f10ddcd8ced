/**
 * `hexlog validate-schema`: checks schema files, directories and stdin against the language
 * (JSON Schema, semantic rules, the parse compiler), optionally runs sample events through the
 * valid ones, and reports every finding at file:line:column. Exit 0 valid, 1 findings, 2 usage.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { InputError, readInput } from "../input/open.js";
import { paletteFor } from "../output/color.js";
import { reportLines, summaryLine, type ReportFormat, type ValidationReport } from "../output/findings.js";
import { LineSink } from "../output/sink.js";
import { defaultSchemaName, expandSchemaPaths, readCacheableSchema } from "../catalog/files.js";
import type { Finding, SchemaResult } from "../tools/validate.js";
import { validationFromCache, validationToCache } from "../tools/validate-cache.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./errors.js";
import { describeFsError } from "../catalog/load-types.js";
import type { JsonSchemaCheck } from "../language/json-schema.js";

export interface ValidateOptions {
  format?: ReportFormat;
  samples?: string[];
  /** A directory or git revision holding the previous version: breaking changes are findings. */
  against?: string;
  /** Validate again whenever a schema (or sample) file changes, until Ctrl-C. */
  watch?: boolean;
  quiet?: boolean;
}

/** How many failing sample events are listed (all are counted). */
const MAX_LISTED_SAMPLES = 10;

const STDIN_NAME = "<stdin>";
/** Several schemas may come through stdin; each is capped at MAX_SCHEMA_BYTES by the checks. */
const MAX_STDIN_SCHEMA_BYTES = 16 * 1024 * 1024;

type Input = { kind: "file"; path: string } | { kind: "stdin" };

export async function runValidateSchema(args: string[], opts: ValidateOptions): Promise<number> {
  if (!opts.watch) return validateOnce(args, opts);
  const { paths, samples } = sortArguments(args, opts.samples ?? []);
  if (paths.length === 0 || paths.includes("-") || samples.includes("-")) throw new UsageError("--watch needs schema files or directories, not stdin");
  for (const p of [...paths, ...samples]) mustExist(p, "path");
  const watched = [...paths, ...samples];
  if (opts.against !== undefined && isDirectory(opts.against)) watched.push(opts.against);
  const { runWatching } = await import("./watch-loop.js");
  // Every run validates the whole set: a change in one file can make another's name a duplicate.
  const sampleFiles = new Set(samples.map((f) => resolve(f)));
  const accept = (file: string): boolean => /\.ya?ml$/i.test(file) || sampleFiles.has(file);
  return runWatching(watched, accept, () => validateOnce(args, opts), opts.quiet);
}

async function validateOnce(args: string[], opts: ValidateOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const format = opts.format ?? "text";
  const { paths, samples } = sortArguments(args, opts.samples ?? []);
  const inputs = await resolveInputs(paths.length === 0 ? ["-"] : paths);
  if (inputs.some((i) => i.kind === "stdin") && samples.includes("-")) {
    throw new UsageError("stdin cannot carry both schemas and samples; give one of them as files");
  }
  for (const s of samples) if (s !== "-") mustExist(s, "sample");
  if (opts.against !== undefined && inputs.some((i) => i.kind === "stdin")) {
    throw new UsageError("--against compares schema files with another version of them; give the files or directories, not stdin");
  }

  // The checkers load when a schema must be checked: a file unchanged since the last run has its
  // findings in the schema cache (--samples and --against need the compiled log types).
  let checkers: Promise<[typeof import("../language/yaml-source.js"), typeof import("../tools/validate.js"), JsonSchemaCheck]> | undefined;
  const checking = () =>
    (checkers ??= Promise.all([
      import("../language/yaml-source.js"),
      import("../tools/validate.js"),
      import("../language/json-schema.js").then((m) => m.loadJsonSchemaCheck()),
    ]));
  const cache = samples.length === 0 && opts.against === undefined ? (await import("../catalog/schema-cache.js")).openSchemaCache() : undefined;
  const results: SchemaResult[] = [];
  // One file at a time: a directory of thousands of schemas never holds thousands of open files.
  for (const input of inputs) {
    const bytes = input.kind === "file" && cache ? await readCacheableSchema(input.path) : undefined;
    if (input.kind === "file" && cache && bytes) {
      // A schema without `schema:` is named after its file: the name is part of the key.
      const key = cache.key(`validate ${defaultSchemaName(input.path)}`, bytes);
      const hit = validationFromCache(cache.get(key), input.path);
      if (hit) {
        results.push(hit);
        continue;
      }
      const [load, validate, jsonSchema] = await checking();
      const result = validate.validateDocument(load.parseSchemaText(bytes.toString("utf8"), input.path), jsonSchema);
      // Stored before markDuplicateNames: a duplicate depends on the other files, not on these bytes.
      cache.put(key, validationToCache(result));
      results.push(result);
      continue;
    }
    const [load, validate, jsonSchema] = await checking();
    if (input.kind === "file") {
      let loaded;
      try {
        loaded = await load.readSchemaFile(input.path);
      } catch (e) {
        throw new UsageError(`cannot read ${describeFsError(e)}`);
      }
      results.push(validate.validateDocument(loaded, jsonSchema));
      continue;
    }
    const text = await readStdin();
    const docs = load.parseSchemaDocuments(text, STDIN_NAME);
    if (docs.length === 0) throw new UsageError("no schema on stdin: pipe YAML in, or give files or directories");
    for (const d of docs) results.push(validate.validateDocument(d, jsonSchema, true));
  }
  (await import("../tools/duplicates.js")).markDuplicateNames(results);

  const report = buildReport(results);
  if (samples.length > 0) await addSamples(report, results, samples);
  if (opts.against !== undefined) await addBreakingChanges(report, results, paths, opts.against, (await checking())[2]);

  // Sinks: a reader that stops early (`| head`) closes the pipe, which is no error.
  const stdout = new LineSink(process.stdout);
  const stderr = new LineSink(process.stderr);
  for (const line of reportLines(report, format, await paletteFor(process.stdout))) stdout.writeLine(line);
  if (format === "text" && !opts.quiet) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    stderr.writeLine(summaryLine(report, seconds, await paletteFor(process.stderr)));
    if (samples.length > 0 && !report.samples) stderr.writeLine("samples not run: no schema is valid");
  }
  await Promise.all([stdout.flush(), stderr.flush()]);
  if (stdout.failure) throw new UsageError(`cannot write output: ${stdout.failure.message}`);
  return report.valid ? EXIT_OK : EXIT_FINDINGS;
}

function buildReport(results: readonly SchemaResult[]): ValidationReport {
  const findings = results.flatMap((r) => r.findings);
  const valid = results.filter((r) => r.valid).length;
  return {
    version: 1,
    valid: !findings.some((f) => f.severity === "error"),
    summary: { schemas: results.length, valid, errors: count(findings, "error"), warnings: count(findings, "warning") },
    schemas: results.map((r) => ({ file: r.file, name: r.declared?.name ?? null, valid: r.valid })),
    findings,
  };
}

async function addSamples(report: ValidationReport, results: readonly SchemaResult[], samples: readonly string[]): Promise<void> {
  const types = results.flatMap((r) => (r.logType ? [r.logType] : []));
  if (types.length === 0) return;
  const { runSamples } = await import("../tools/samples.js");
  const { summary, failures, inputError } = await runSamples(samples, types, MAX_LISTED_SAMPLES);
  if (inputError) throw new UsageError(inputError.message);
  report.samples = summary;
  for (const f of failures) {
    // As parse reports it: "Hex.Audit: event.occurred_at: required field is missing".
    const message = [f.logType, f.path, f.message].filter(Boolean).join(": ");
    report.findings.push({ file: f.file, line: f.line, severity: "error", rule: "sample-unmatched", message, path: f.path });
  }
  report.summary.errors += failures.length;
  if (summary.unmatched > 0) report.valid = false;
}

/**
 * `--against`: the previous version from a directory, or from git at a revision (the same paths).
 * Breaking changes are errors, other changes notes; an old schema that is invalid is compared
 * with nothing (a warning says so).
 */
async function addBreakingChanges(report: ValidationReport, results: readonly SchemaResult[], paths: readonly string[], against: string, jsonSchema: JsonSchemaCheck): Promise<void> {
  const versions = await import("../tools/diff/versions.js");
  let old;
  try {
    old = (await versions.existsOnDisk(against)) ? await versions.readSchemaSet([against], jsonSchema) : await versions.readGitSchemaSet(against, paths, jsonSchema);
  } catch (e) {
    if (e instanceof versions.VersionError) throw new UsageError(e.message);
    throw e;
  }
  const next = results.flatMap((r) => (r.logType && r.source ? [{ schema: r.logType.schema, source: r.source, label: r.file }] : []));
  // Invalid schemas have their own findings; they are not compared, nor taken for deletions.
  const unreadable = results.filter((r) => !r.logType).map((r) => r.declared?.name);
  const findings = versions.diffSchemaSets(old.versions, next, unreadable);
  for (const f of old.invalid) findings.push({ ...f, severity: "warning", rule: "against-invalid", message: `the old version is not valid, so it is not compared: ${f.message}` });
  report.findings.push(...findings);
  const errors = count(findings, "error");
  report.summary.errors += errors;
  report.summary.warnings += count(findings, "warning");
  report.summary.notes = (report.summary.notes ?? 0) + count(findings, "note");
  if (errors > 0) report.valid = false;
}

/**
 * `--samples` is variadic and swallows the words after it; schema files (.yml/.yaml) and
 * directories among them are schema paths, since samples are JSON events.
 */
function sortArguments(args: readonly string[], sampleArgs: readonly string[]): { paths: string[]; samples: string[] } {
  const paths = [...args];
  const samples: string[] = [];
  for (const s of sampleArgs) {
    if (/\.ya?ml$/i.test(s) || isDirectory(s)) paths.push(s);
    else samples.push(s);
  }
  return { paths, samples };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function resolveInputs(paths: readonly string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === "-") {
      if (process.stdin.isTTY) {
        throw new UsageError("no schemas: give files or directories, or pipe YAML into stdin", ["example: hexlog validate-schema schemas/"]);
      }
      if (!inputs.some((i) => i.kind === "stdin")) inputs.push({ kind: "stdin" });
      continue;
    }
    let files: string[];
    try {
      files = await expandSchemaPaths([p]);
    } catch (e) {
      throw new UsageError(`cannot read ${describeFsError(e)}`);
    }
    if (files.length === 0) throw new UsageError(`no schema files (.yml, .yaml) in ${p}`);
    // A file named twice (itself and through its directory) is validated once.
    for (const f of files) {
      if (seen.has(resolve(f))) continue;
      seen.add(resolve(f));
      inputs.push({ kind: "file", path: f });
    }
  }
  return inputs;
}

/** Schemas piped into stdin (possibly several documents). */
async function readStdin(): Promise<string> {
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of readInput("-")) {
      total += chunk.length;
      // Counted as read: a pipe has no size to check first.
      if (total > MAX_STDIN_SCHEMA_BYTES) throw new UsageError(`stdin: too large for log schemas (more than ${MAX_STDIN_SCHEMA_BYTES / 1048576} MiB)`);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString("utf8");
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
}

function mustExist(path: string, what: string): void {
  try {
    statSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${describeFsError(e)}`);
  }
}

function count(findings: readonly Finding[], severity: Finding["severity"]): number {
  return findings.filter((f) => f.severity === severity).length;
}
