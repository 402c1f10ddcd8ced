/**
 * `hexlog parse`: wires input → engine → output. Reads each input in chunks, frames events,
 * runs them through the engine and writes records, errors and dead letters, awaiting the
 * output streams between chunks so memory stays flat however large the input.
 */
import { statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import type { LogType } from "../engine/logtype.js";
import { RowIds } from "../engine/rowid.js";
import { LOG_TYPE_NAME } from "../language/names.js";
import type { InputError } from "../input/open.js";
import { paletteFor } from "../output/color.js";
import { defaultSchemaName } from "../catalog/files.js";
import { indicatorsNdjson, indicatorsTable } from "../output/indicators.js";
import { deadLetter, errorLine, summary } from "../output/report.js";
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
import { describeFsError, loadLogTypes, schemaProblemLines, selectTypes, type LoadedType } from "./load-types.js";
import { schemaNamesAsTypes, splitSchemaArgs } from "./pantherlog.js";
import { checkStdout, openOutputFile, refuseOutputsThatAreInputs } from "./outputs.js";
import type { WorkerSetup } from "../pipeline/parallel/messages.js";
import { stopParseWorkers, type StartedWorker } from "../pipeline/parallel/start-workers.js";

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
  color?: boolean;
  /** Threads that parse, the main one included; 1 (the default) parses on the main thread alone. */
  workers?: number;
  /** How records are written: NDJSON (default), lake rows, or Parquet files under `out`. */
  format?: RecordFormat;
  /** The directory of --format parquet. */
  out?: string;
  /** Workers started before parse loaded (main.ts), for --workers > 1. */
  startedWorkers?: StartedWorker[] | undefined;
}

/**
 * Bytes per batch of --workers (HEXLOG_BATCH_BYTES overrides it, for tests). Larger batches are
 * no faster, and the batches waiting to be written (with their records, up to 3.5 times their
 * size for text logs) would weigh on peak memory.
 */
const BATCH_BYTES = 256 * 1024;

export async function runParse(fileArgs: string[], opts: ParseOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const { types: typeArgs, schemas: schemaArgs, files } = sortArguments(opts.type ?? [], opts.schemas ?? [], fileArgs);
  // pantherlog: --path holds the schemas, and --schemas may name log types.
  const { paths: schemas, names: schemaNames } = splitSchemaArgs([...(opts.path ?? []), ...schemaArgs]);
  const inputs = files.length === 0 ? ["-"] : files;
  for (const f of inputs) {
    if (f === "-") continue;
    try {
      if (statSync(f).isDirectory()) throw new UsageError(`${f} is a directory; give the files inside it`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read ${describeFsError(e)}`);
    }
  }
  if (inputs.includes("-") && process.stdin.isTTY) {
    throw new UsageError("no input: give files to parse, or pipe events into stdin", ["example: cat audit.ndjson | hexlog parse --type Hex.Audit"]);
  }

  const format = opts.format ?? "ndjson";
  checkFormatOptions(format, opts);

  const loaded = await loadLogTypes(schemas);
  const named = schemaNamesAsTypes(schemaNames, (n) => loaded.types.some((t) => t.logType.name === n) || loaded.problems.some((p) => p.logType === n));
  if (named.unknown.length > 0) throw new UsageError(`cannot read schemas: ${named.unknown[0]}: no such file or directory, and no loaded log type has that name`);
  typeArgs.push(...named.types);
  // With --source, events are classified among the source's log types (--type narrows them).
  // Modules only some runs need are loaded by those runs: start-up is part of every pipeline's cost.
  const chosen =
    opts.source === undefined ? undefined : await (await import("./load-sources.js")).chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const prettyRecord = opts.pretty ? (await import("../output/pretty.js")).prettyRecord : undefined;
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs, loaded.problems);
  const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);

  const stderr = new LineSink(process.stderr);
  const stdout = new LineSink(process.stdout);
  const [errC, outC] = await Promise.all([paletteFor(process.stderr), paletteFor(process.stdout)]);
  // Invalid schemas are out of the run; only a run that names one stops (selectTypes above).
  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(line));
  if (!opts.quiet) for (const w of named.note ? [named.note, ...loaded.warnings] : loaded.warnings) stderr.writeLine(errC.yellow(w));

  // Outputs before the first input byte: one that cannot be written, or that is an input, is exit 2.
  checkStdout();
  refuseOutputsThatAreInputs(inputs, opts.errors ? [{ flag: "--errors", path: opts.errors }] : [], true);
  const records = await openOutput(format, stdout, opts.out, selected.map((t) => t.logType));
  const deadLetters = opts.errors ? new LineSink(openOutputFile(opts.errors)) : undefined;
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
  const spinner = !opts.quiet && process.stderr.isTTY && !process.env.CI ? await startSpinner() : undefined;

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
    stats.count(f.logType, false);
    if (opts.pretty) stdout.writeLine(outC.red(`✗ ${errorLine(f)}`));
    else if (!opts.quiet) stderr.writeLine(errC.red(errorLine(f)));
    deadLetters?.writeLine(deadLetter(f));
  };

  const sink: EventSink = {
    failure: fail,
    skipped: () => void stats.skipped++,
    record(r, file, line, raw) {
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
    stderr.writeLine(errC.red(`hexlog: ${e.message}`));
  };
  const flushAll = async (): Promise<void> => {
    await Promise.all([records.flush(), stdout.flush(), stderr.flush(), deadLetters?.flush()]);
  };
  const progress = (): void => {
    if (spinner) spinner.text = `${stats.events.toLocaleString("en-US")} events, ${stats.errors} errors`;
  };
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
  if (workers === 1 && opts.startedWorkers) await stopParseWorkers(opts.startedWorkers);
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
      outputs: { stdout, stats, rowIds, fail, tally, unknown, formatRecord: prettyRecord ? (json: string) => prettyRecord(json, outC) : undefined, flush: flushAll, progress },
      signal: abort.signal,
      stopped: () => interrupted || stdout.closed,
      discarding: () => stdout.closed,
      inputFailed: reportInputError,
    });
  } else {
    await runInputs({
      inputs,
      pipeline,
      sink,
      signal: abort.signal,
      stopped: () => interrupted || stdout.closed || records.failure !== undefined,
      flush: flushAll,
      inputFailed: reportInputError,
      progress,
    });
  }
  for (const signal of STOP_SIGNALS) process.off(signal, onSigint);
  spinner?.stop();

  if (tally && !stdout.closed) {
    const rows = tally.rows();
    if (process.stdout.isTTY) stdout.writeLine(indicatorsTable(rows));
    else if (rows.length > 0) stdout.writeLine(indicatorsNdjson(rows));
  }
  if (unknown) stderr.writeLine(unknownReport(unknown));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!opts.quiet && (process.stderr.isTTY || opts.debug)) stderr.writeLine(summary(stats, seconds, errC));
  // Files are finished also after Ctrl-C: the records so far are whole.
  await records.end();
  const written = records.describe();
  if (written && !opts.quiet && !records.failure) stderr.writeLine(written);
  if (process.env.HEXLOG_STATS) stderr.writeLine(JSON.stringify({ ...countsOf(stats), seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, threadBatches }));
  await stdout.flush();
  await stderr.flush();
  await deadLetters?.end();
  // A failed write is reported through an 'error' event a tick later: let it arrive.
  await new Promise((resolve) => setImmediate(resolve));
  if (deadLetters?.failure) throw new OutputError(`cannot write ${opts.errors}: ${describeWriteError(deadLetters.failure)}`);
  if (stdout.failure) throw new OutputError(`cannot write output: ${describeWriteError(stdout.failure)}`);
  // Parquet: finished files stay, unfinished ones were removed.
  if (records.failure) throw new OutputError(`cannot write ${opts.out ?? "output"}: ${describeWriteError(records.failure)}`);

  if (interrupted) return EXIT_INTERRUPTED;
  return stats.errors > 0 || inputFailed ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Variadic options swallow the words after them (`--type Hex.Audit file.ndjson`), so words that
 * are clearly input files move back to the file list; comma-separated type lists are split.
 */
export function sortArguments(typeArgs: string[], schemaArgs: string[], fileArgs: string[]): { types: string[]; schemas: string[]; files: string[] } {
  const files = [...fileArgs];
  const types: string[] = [];
  const moved: string[] = [];
  for (const t of typeArgs.flatMap((x) => x.split(","))) {
    if (t === "") continue;
    if (t === "-" || isFile(t) || !LOG_TYPE_NAME.test(t)) moved.push(t);
    else types.push(t);
  }
  const schemas: string[] = [];
  for (const s of schemaArgs) {
    if (s === "-" || (isInputFile(s) && !/\.ya?ml$/.test(s))) moved.push(s);
    else schemas.push(s);
  }
  return { types, schemas, files: [...moved, ...files] };
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
    types: selected.map((t) => ({ value: t.source.value, defaultName: defaultSchemaName(t.source.file) })),
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
    setFlagsFromString("--heap-growing-percent=50");
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

function unknownReport(counts: Map<string, number>): string {
  if (counts.size === 0) return "unknown fields: none (every input field is declared in the schema)";
  const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const width = Math.max(...rows.map(([p]) => p.length));
  return `unknown fields (in the input, not in the schema; dropped from records):\n${rows.map(([p, n]) => `  ${p.padEnd(width)}  ${n}`).join("\n")}`;
}

function countsOf(stats: RunStats): { events: number; records: number; errors: number; skipped: number } {
  return { events: stats.events, records: stats.records, errors: stats.errors, skipped: stats.skipped };
}

async function startSpinner(): Promise<{ text: string; stop(): void }> {
  const { default: ora } = await import("ora");
  return ora({ text: "parsing", stream: process.stderr, discardStdin: false }).start();
}
