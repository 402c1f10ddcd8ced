/**
 * `hexlog parse`: wires input → engine → output. Reads each input in chunks, frames events,
 * runs them through the engine and writes records, errors and dead letters, awaiting the
 * output streams between chunks so memory stays flat however large the input.
 */
import { statSync, writeFileSync } from "node:fs";
import type { LogType } from "../engine/logtype.js";
import { setV8Flags } from "../engine/lazy-builtins.js";
import { RowIds } from "../engine/rowid.js";
import { LOG_TYPE_NAME } from "../language/names.js";
import type { InputError } from "../input/open.js";
import { paletteFor } from "../output/color.js";
import { defaultSchemaName } from "../catalog/files.js";
import { indicatorsNdjson, indicatorsTable } from "../output/indicators.js";
import { candidateLines, deadLetter, errorLine, plural, summary } from "../output/report.js";
import { escapeText } from "../output/escape.js";
import { ErrorLimit, progressText, statsJson } from "../output/run-report.js";
import { unknownFieldsJson, unknownFieldsText } from "../output/unknown-fields.js";
import { expandInputPaths, InputPathError, type InputFile } from "../input/paths.js";
import { LineSink } from "../output/sink.js";
import { openRecordOutput, type RecordFormat, type RecordOutput } from "../output/record-output.js";
import { fixedClock, isClock, systemClock, type Clock, type ClockReading } from "../pipeline/clock.js";
import { EventPipeline, type EventSink } from "../pipeline/event-loop.js";
import type { EventFailure } from "../pipeline/events.js";
import { IndicatorTally } from "../pipeline/indicator-tally.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import { runInputs } from "../pipeline/run-inputs.js";
import { RunStats } from "../pipeline/stats.js";
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, OutputError, UsageError } from "./errors.js";
import { loadLogTypes, schemaProblemLines, selectTypes, type LoadedType } from "./load-types.js";
import { closestTypeName, type SchemaProblem } from "../catalog/load-types.js";
import { schemaNamesAsTypes, splitSchemaArgs } from "./pantherlog.js";
import { checkStdout, openOutputFile, refuseOutputsThatAreInputs } from "./outputs.js";
import { peakRssBytes } from "./peak-rss.js";
import type { WorkerSetup } from "../pipeline/parallel/messages.js";
import type { StartedWorker } from "../pipeline/parallel/start-workers.js";

export interface ParseOptions {
  type?: string[];
  schemas?: string[];
  /** pantherlog's name for schema paths. */
  path?: string[];
  /** Print the run summary on stderr even when it is not a terminal (pantherlog's -debug). */
  debug?: boolean;
  sourceId?: string;
  sourceLabel?: string;
  sources?: string;
  source?: string;
  errors?: string;
  pretty?: boolean;
  indicators?: boolean;
  unknownFields?: boolean;
  now?: string;
  seed?: number;
  maxEventBytes?: number;
  quiet?: boolean;
  /** Records to this file instead of stdout. */
  output?: string;
  /** Print at most this many error lines (dead letters still get every failed event). */
  maxErrors?: number;
  /** Stop at the first failed event. */
  failFast?: boolean;
  /** `json`: the summary for programs, one line on stderr. */
  stats?: string;
  /** Write that JSON summary to this file. */
  statsFile?: string;
  /** --unknown-fields=json */
  unknownFieldsJson?: boolean;
  /** --sources was given on the command line (not only by HEXLOG_SOURCES). */
  sourcesGiven?: boolean;
  color?: boolean;
  /** Threads that parse, the main one included; 1 (the default) parses on the main thread alone. */
  workers?: number;
  /** How records are written: NDJSON (default), lake rows, or Parquet files under `out`. */
  format?: RecordFormat;
  /** The directory of --format parquet. */
  out?: string;
  /** Workers started before parse loaded (main.ts), for --workers > 1. */
  startedWorkers?: StartedWorker[] | undefined;
  /** Else: start them once this many bytes were read (an input of unknown size), or at once if not given. */
  startWorkersAfterBytes?: number | undefined;
}

/**
 * Bytes per batch of --workers (HEXLOG_BATCH_BYTES overrides it, for tests). Larger batches are
 * no faster, and the batches waiting to be written (with their records, up to 3.5 times their
 * size for text logs) would weigh on peak memory.
 */
const BATCH_BYTES = 256 * 1024;

export async function runParse(fileArgs: string[], opts: ParseOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const sorted = sortArguments(opts.type ?? [], opts.schemas ?? [], fileArgs);
  // pantherlog: --path holds the schemas, and --schemas may name log types.
  const { paths: schemas, names: schemaNames } = splitSchemaArgs([...(opts.path ?? []), ...sorted.schemas]);
  // Every schema is loaded: an invalid one is reported even when -t names another (hexlog test
  // compiles only the log types its tests use).
  const loaded = await loadLogTypes(schemas);
  const named = schemaNamesAsTypes(schemaNames, (n) => loaded.types.some((t) => t.name === n) || loaded.problems.some((p) => p.logType === n));
  if (named.unknown.length > 0) {
    throw new UsageError(`--schemas takes schema files; use -t for log types ("${named.unknown[0]}" is no file, and no loaded log type has that name)`);
  }
  const { types: typeArgs, files } = typesAndFiles(sorted, loaded, named.types);
  let inputFiles: InputFile[];
  try {
    inputFiles = expandInputPaths(files.length === 0 ? ["-"] : files);
  } catch (e) {
    if (e instanceof InputPathError) throw new UsageError(e.message);
    throw e;
  }
  if (inputFiles.length === 0) throw new UsageError(`no input files in ${files.join(", ")} (hidden files are skipped)`);
  const inputs = inputFiles.map((f) => f.path);
  if (opts.errors === "-" && opts.output === undefined) {
    throw new UsageError("--errors - would mix dead letters into the records on stdout", ["give a file, or send the records elsewhere with -o FILE"]);
  }
  if (opts.stats !== undefined && opts.stats !== "json") throw new UsageError(`--stats takes json, got "${opts.stats}"`);
  if (inputs.includes("-") && process.stdin.isTTY) {
    throw new UsageError("no input: give files to parse, or pipe events into stdin", ["example: cat audit.ndjson | hexlog parse --type Hex.Audit"]);
  }

  const format = opts.format ?? "ndjson";
  checkFormatOptions(format, opts);

  // With --source, events are classified among the source's log types (--type narrows them).
  // Modules only some runs need are loaded by those runs: start-up is part of every pipeline's cost.
  const chosen =
    opts.source === undefined ? undefined : await (await import("./load-sources.js")).chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const prettyRecord = opts.pretty ? (await import("../output/pretty.js")).prettyRecord : undefined;
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs, loaded.problems, loaded.names);
  const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);

  const stderr = new LineSink(process.stderr);
  // Records go to -o's file when given; stdout then carries dead letters if asked (--errors -).
  if (opts.output === undefined || opts.errors === "-") checkStdout();
  const fileOutputs = [...(opts.output !== undefined ? [{ flag: "-o", path: opts.output }] : []), ...(opts.errors !== undefined && opts.errors !== "-" ? [{ flag: "--errors", path: opts.errors }] : [])];
  refuseOutputsThatAreInputs(inputs, fileOutputs, true);
  const recordStream = opts.output === undefined ? process.stdout : openOutputFile(opts.output);
  const stdout = new LineSink(recordStream);
  const outIsTty = opts.output === undefined && process.stdout.isTTY === true;
  const [errC, outC] = await Promise.all([paletteFor(process.stderr), paletteFor(opts.output === undefined ? process.stdout : {})]);
  // Invalid schemas are out of the run; only a run that names one stops (selectTypes above).
  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(escapeText(line)));
  if (!opts.quiet) for (const w of named.note ? [named.note, ...loaded.warnings] : loaded.warnings) stderr.writeLine(errC.yellow(escapeText(w)));
  if (!opts.quiet && opts.indicators && opts.pretty) stderr.writeLine(errC.yellow("note: --pretty does not apply to --indicators (a table on a terminal, NDJSON otherwise)"));
  if (!opts.quiet && opts.sourcesGiven && opts.source === undefined) {
    stderr.writeLine(errC.yellow("note: --sources is read only with --source <label|id>; events are classified among the loaded log types"));
  }

  // Outputs before the first input byte: one that cannot be written, or that is an input, is exit 2.
  const records = await openOutput(format, stdout, opts.out, selected.map((t) => t.logType));
  const deadLetters = opts.errors === "-" ? new LineSink(process.stdout) : opts.errors ? new LineSink(openOutputFile(opts.errors)) : undefined;
  const tally = opts.indicators ? new IndicatorTally() : undefined;
  const unknown = opts.unknownFields ? new Map<string, number>() : undefined;
  const clock = fixedNow ?? systemClock;
  const rowIds = new RowIds(opts.seed, clock.now().ms);
  const sourceId = opts.sourceId ?? chosen?.source.id;
  const sourceLabel = opts.sourceLabel ?? chosen?.source.label;
  const maxEventBytes = opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const pipeline = new EventPipeline({
    types: selected.map((t) => t.logType),
    clock,
    rowIds,
    sourceId,
    sourceLabel,
    indicators: Boolean(tally),
    unknownFields: unknown,
    maxEventBytes,
  });
  const stats = new RunStats();
  // A terminal that reports no width (some CI ptys) would make the spinner redraw forever.
  const spinner = !opts.quiet && process.stderr.isTTY && process.stderr.columns > 0 && !process.env.CI ? await startSpinner() : undefined;
  // Progress in bytes when every input is a regular file (their total size is known).
  const totalBytes = inputFiles.every((f) => f.size !== undefined) ? inputFiles.reduce((n, f) => n + (f.size as number), 0) : undefined;
  let bytesRead = 0;
  const errorLimit = new ErrorLimit(opts.maxErrors);
  let failedFast = false;
  // Each candidate's reason under an error line, for people: on a terminal or with --pretty.
  const showCandidates = opts.pretty === true || process.stderr.isTTY === true;
  // Inline with --pretty only where records and errors share a terminal; else errors stay on stderr.
  const inlineErrors = opts.pretty === true && outIsTty && process.stderr.isTTY === true;

  let interrupted = false;
  const abort = new AbortController();
  const onSigint = (): void => {
    // A second Ctrl-C does not wait for the flush.
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    abort.abort();
  };
  // SIGTERM (timeout, systemd, Docker, Kubernetes) and SIGHUP (a closed terminal) stop a run as
  // Ctrl-C does: whole lines flushed, the summary, exit 130.
  for (const signal of STOP_SIGNALS) process.on(signal, onSigint);

  const fail = (f: EventFailure): void => {
    // --fail-fast: the events after the first failure are not the run's (on one thread none is
    // written; with --workers the batches in flight are).
    if (failedFast) return;
    stats.count(f.logType, false);
    deadLetters?.writeLine(deadLetter(f));
    if (opts.failFast) failedFast = true;
    // -q keeps error lines: they are the run's findings (only the summary and progress go).
    if (!errorLimit.take()) return;
    const [sink, c, mark] = inlineErrors ? [stdout, outC, "✗ "] : [stderr, errC, opts.pretty ? "✗ " : ""];
    sink.writeLine(c.red(`${mark}${errorLine(f)}`));
    if (showCandidates) for (const l of candidateLines(f)) sink.writeLine(c.gray(l));
  };

  const sink: EventSink = {
    failure: fail,
    skipped: () => void stats.skipped++,
    record(r, file, line, raw) {
      if (failedFast) return;
      if (tally) {
        if (r.indicators) tally.add(r.indicators);
      } else if (prettyRecord) {
        stdout.writeLine(prettyRecord(r.json, outC));
      } else {
        // An output that cannot hold a record (a Parquet timestamp out of range) makes it a dead letter.
        const refused = records.write(r.logType, r.json);
        if (refused) return fail({ file, line, logType: r.logType, path: refused.path, message: refused.message, raw });
      }
      stats.count(r.logType, true);
    },
  };

  let inputFailed = false;
  const reportInputError = (e: InputError): void => {
    inputFailed = true;
    stderr.writeLine(errC.red(`hexlog: ${escapeText(e.message)}`));
  };
  const flushAll = async (): Promise<void> => {
    await Promise.all([records.flush(), stdout.flush(), stderr.flush(), deadLetters?.flush()]);
  };
  let shownAt = -1;
  const progress = (bytes = 0): void => {
    bytesRead += bytes;
    if (!spinner) return;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    spinner.text = progressText({ events: stats.events, errors: stats.errors, bytesRead, totalBytes, seconds });
    // Drawn now the first time and then at most ten times a second, besides the spinner's own frames.
    if (shownAt < 0 || seconds - shownAt >= 0.1) {
      shownAt = seconds;
      spinner.render();
    }
  };
  const stopped = (): boolean => interrupted || failedFast || stdout.closed || records.failure !== undefined;
  let workers = opts.workers ?? 1;
  if (workers > 1 && format !== "ndjson") {
    // Worker threads hand back records already joined as NDJSON bytes; other formats need each record.
    if (!opts.quiet) stderr.writeLine(errC.yellow(`note: --format ${format} runs on one thread`));
    workers = 1;
  }
  if (workers > 1 && pipeline.wholeStream) {
    // A CSV header is part of its whole file, so no batch of lines stands alone.
    const what = selected.some((t) => t.logType.text?.kind === "csv" && t.logType.text.wholeStream) ? "a CSV schema with hasHeader" : "a native text format with header lines (AWS.VPCFlow)";
    if (!opts.quiet) stderr.writeLine(errC.yellow(`note: ${what} reads each file's header first, so this run is parsed on one thread`));
    workers = 1;
  }
  if (workers === 1 && opts.startedWorkers) await (await import("../pipeline/parallel/start-workers.js")).stopParseWorkers(opts.startedWorkers);
  /** Batches each thread parsed, the main thread first (--workers only). */
  let threadBatches: number[] | undefined;
  if (workers > 1) {
    const { parseInParallel } = await import("../pipeline/parallel/run-parallel.js");
    threadBatches = await parseInParallel({
      inputs,
      workers,
      batchBytes: batchBytes(),
      setup: workerSetup(selected, { ...opts, sourceId, sourceLabel, maxEventBytes }, fixedNow?.now()),
      started: opts.startedWorkers,
      startAfterBytes: opts.startWorkersAfterBytes,
      outputs: { stdout, stats, rowIds, fail, tally, unknown, formatRecord: prettyRecord ? (json: string) => prettyRecord(json, outC) : undefined, flush: flushAll, progress },
      signal: abort.signal,
      stopped,
      discarding: () => stdout.closed,
      inputFailed: reportInputError,
    });
  } else {
    await runInputs({
      inputs,
      pipeline,
      sink,
      signal: abort.signal,
      stopped,
      flush: flushAll,
      inputFailed: reportInputError,
      progress,
    });
  }
  for (const signal of STOP_SIGNALS) process.off(signal, onSigint);
  spinner?.stop();

  if (tally && !stdout.closed) {
    const rows = tally.rows();
    if (outIsTty) stdout.writeLine(indicatorsTable(rows));
    else if (rows.length > 0) stdout.writeLine(indicatorsNdjson(rows));
  }
  const held = errorLimit.note(opts.errors === "-" ? "the dead letters on stdout" : opts.errors);
  if (held) stderr.writeLine(errC.yellow(held));
  if (failedFast && !opts.quiet) stderr.writeLine(errC.red(`hexlog: stopped at the first failed event (--fail-fast) after ${plural(stats.events, "event")}`));
  if (unknown) {
    const counts = { fields: unknown, counted: stats.records, failed: stats.errors };
    stderr.writeLine(opts.unknownFieldsJson ? unknownFieldsJson(counts) : unknownFieldsText(counts));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Files are finished also after Ctrl-C: the records so far are whole.
  await records.end();
  const written = records.describe();
  if (written && !opts.quiet && !records.failure) stderr.writeLine(written);
  if (!opts.quiet && (process.stderr.isTTY || opts.debug) && opts.stats === undefined) stderr.writeLine(summary(stats, seconds, errC, interrupted));
  else if (!opts.quiet && interrupted) stderr.writeLine(`hexlog: interrupted after ${plural(stats.events, "event")} (partial output)`);
  const statsLine = opts.stats !== undefined || opts.statsFile !== undefined ? statsJson(stats, seconds, { interrupted, errorsNotShown: errorLimit.hidden }) : undefined;
  if (opts.stats === "json") stderr.writeLine(statsLine as string);
  if (opts.statsFile !== undefined) writeStatsFile(opts.statsFile, statsLine as string);
  if (process.env.HEXLOG_STATS) stderr.writeLine(JSON.stringify({ ...countsOf(stats), seconds, maxRssBytes: peakRssBytes(), threadBatches, workersFromBoot: workers > 1 && opts.startedWorkers?.[0]?.fromBoot === true }));
  await stdout.flush();
  await stderr.flush();
  if (opts.output !== undefined) await closeStream(recordStream);
  await deadLetters?.end();
  // A failed write is reported through an 'error' event a tick later: let it arrive.
  await new Promise((resolve) => setImmediate(resolve));
  if (deadLetters?.failure) throw new OutputError(`cannot write ${opts.errors}: ${describeWriteError(deadLetters.failure)}`);
  if (stdout.failure) throw new OutputError(`cannot write ${opts.output ?? "output"}: ${describeWriteError(stdout.failure)}`);
  // Parquet: finished files stay, unfinished ones were removed.
  if (records.failure) throw new OutputError(`cannot write ${opts.out ?? "output"}: ${describeWriteError(records.failure)}`);

  if (interrupted) return EXIT_INTERRUPTED;
  return stats.errors > 0 || inputFailed ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Variadic options swallow the words after them (`--type Hex.Audit file.ndjson`), so words that
 * are clearly input files move back to the file list; comma-separated type lists are split.
 */
export function sortArguments(typeArgs: string[], schemaArgs: string[], fileArgs: string[]): { types: string[]; unsure: string[]; schemas: string[]; files: string[] } {
  const files = [...fileArgs];
  const types: string[] = [];
  const moved: string[] = [];
  /** Name-like words that are no file and not quite a log type name: decided once types are loaded. */
  const unsure: string[] = [];
  // "Hex.Audit, Auth0.Events": spaces after commas are fine.
  for (const t of typeArgs.flatMap((x) => x.split(",")).map((x) => x.trim())) {
    if (t === "") continue;
    if (t === "-" || isFile(t)) moved.push(t);
    else if (LOG_TYPE_NAME.test(t)) types.push(t);
    else if (/^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/.test(t)) unsure.push(t);
    else moved.push(t);
  }
  const schemas: string[] = [];
  for (const s of schemaArgs) {
    if (s === "-" || (isInputFile(s) && !/\.ya?ml$/.test(s))) moved.push(s);
    else schemas.push(s);
  }
  return { types, unsure, schemas, files: [...moved, ...files] };
}


/**
 * Words after -t that are no file but name a log type not quite right (Auth0.events), or the
 * log type of a schema that is invalid (custom_lower), are log types: reported as unknown with
 * the right name, or with the schema's problems. The others are input files.
 */
export function typesAndFiles(
  sorted: { types: string[]; unsure: string[]; files: string[] },
  loaded: { types: readonly LoadedType[]; problems: readonly SchemaProblem[] },
  more: readonly string[] = [],
): { types: string[]; files: string[] } {
  const types = [...sorted.types, ...more];
  const files: string[] = [];
  for (const w of sorted.unsure) {
    if (closestTypeName(loaded.types, w) !== undefined || loaded.problems.some((p) => p.logType === w)) types.push(w);
    else files.push(w);
  }
  return { types, files: [...files, ...sorted.files] };
}

/** A file, device or pipe (not a directory): after `-s`, a word naming one is an input (`-s x.yml /dev/null`). */
function isInputFile(p: string): boolean {
  try {
    const st = statSync(p);
    return st.isFile() || st.isCharacterDevice() || st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The clock --now stops at; a usage error when it is not RFC 3339. */
export function parseNow(text: string): Clock {
  const clock = fixedClock(text);
  if (!isClock(clock)) throw new UsageError(`--now must be an RFC 3339 time like 2026-01-01T00:00:00Z: ${clock.problem}`);
  return clock;
}

function workerSetup(selected: readonly LoadedType[], opts: ParseOptions & { maxEventBytes: number }, now: ClockReading | undefined): WorkerSetup {
  return {
    types: selected.map((t) => ({ value: t.source.value, defaultName: defaultSchemaName(t.source.file), builtin: t.source.builtin })),
    sourceId: opts.sourceId,
    sourceLabel: opts.sourceLabel,
    indicators: Boolean(opts.indicators),
    unknownFields: Boolean(opts.unknownFields),
    maxEventBytes: opts.maxEventBytes,
    now,
  };
}

function batchBytes(): number {
  const v = process.env.HEXLOG_BATCH_BYTES;
  if (v === undefined || v === "") return BATCH_BYTES;
  if (!/^[1-9][0-9]*$/.test(v)) throw new UsageError(`HEXLOG_BATCH_BYTES must be a positive integer, got "${v}"`);
  return Number(v);
}

/** Flags that go with some formats only; checked before any input is read. */
function checkFormatOptions(format: RecordFormat, opts: ParseOptions): void {
  if (format === "parquet" && opts.out === undefined) {
    throw new UsageError("--format parquet writes files: give the directory with --out DIR", ["example: hexlog parse -t Hex.Audit --format parquet --out lake/ audit.ndjson"]);
  }
  if (format !== "parquet" && opts.out !== undefined) throw new UsageError("--out DIR is for --format parquet");
  if (format !== "ndjson" && (opts.pretty || opts.indicators)) {
    throw new UsageError(`--format ${format} writes records; it does not go with ${opts.pretty ? "--pretty" : "--indicators"}`);
  }
}

async function openOutput(format: RecordFormat, stdout: LineSink, dir: string | undefined, types: readonly LogType[]): Promise<RecordOutput> {
  if (format === "parquet") {
    // Rows wait in memory until their row group is written, long enough to be promoted, then die
    // together. V8 lets the heap grow up to 4× its live size when GC is cheap: a 110 MB run peaked
    // at 155 MiB RSS; growing by 50 % at a time keeps it at 117 MiB for about the same CPU time.
    setV8Flags("--heap-growing-percent=50");
  }
  try {
    return await openRecordOutput(format, { stdout, dir, types, createdBy: "hexlog" });
  } catch (e) {
    if (e instanceof Error && e.name === "OutputDirError") throw new UsageError(`--out: ${e.message}`);
    throw e;
  }
}

/** Signals that stop a run like Ctrl-C. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** A write failure in words (ENOSPC: "no space left on device"). */
export function describeWriteError(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOSPC") return "no space left on device";
  if (code === "EDQUOT") return "disk quota exceeded";
  if (code === "EIO") return "input/output error";
  if (code === "EFBIG") return "file too large";
  return e.message;
}

function writeStatsFile(path: string, json: string): void {
  try {
    writeFileSync(path, `${json}\n`);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Ends a file stream and waits until its bytes are written. */
function closeStream(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once("error", () => resolve());
    stream.end(() => resolve());
  });
}

function countsOf(stats: RunStats): { events: number; records: number; errors: number; skipped: number } {
  return { events: stats.events, records: stats.records, errors: stats.errors, skipped: stats.skipped };
}

async function startSpinner(): Promise<{ text: string; stop(): void; render(): void }> {
  const { default: ora } = await import("ora");
  return ora({ text: "parsing", stream: process.stderr, discardStdin: false }).start();
}
