/**
 * `hexlog parse`: wires input → engine → output. Reads each input in chunks, frames events,
 * runs them through the engine and writes records, errors and dead letters, awaiting the
 * output streams between chunks so memory stays flat however large the input.
 */
import { createWriteStream, statSync } from "node:fs";
import { RowIds } from "../engine/rowid.js";
import { LOG_TYPE_NAME } from "../language/names.js";
import type { InputError } from "../input/open.js";
import { paletteFor } from "../output/color.js";
import { defaultSchemaName } from "../catalog/files.js";
import { indicatorsNdjson, indicatorsTable } from "../output/indicators.js";
import { deadLetter, errorLine, summary } from "../output/report.js";
import { LineSink } from "../output/sink.js";
import { fixedClock, isClock, systemClock, type Clock, type ClockReading } from "../pipeline/clock.js";
import { EventPipeline, type EventSink } from "../pipeline/event-loop.js";
import type { EventFailure } from "../pipeline/events.js";
import { IndicatorTally } from "../pipeline/indicator-tally.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import { runInputs } from "../pipeline/run-inputs.js";
import { RunStats } from "../pipeline/stats.js";
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, UsageError } from "./errors.js";
import { loadLogTypes, schemaProblemLines, selectTypes, type LoadedType } from "./load-types.js";
import { schemaNamesAsTypes, splitSchemaArgs } from "./pantherlog.js";
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
      throw new UsageError(`cannot read ${f}: no such file or directory`);
    }
  }
  if (inputs.includes("-") && process.stdin.isTTY) {
    throw new UsageError("no input: give files to parse, or pipe events into stdin", ["example: cat audit.ndjson | hexlog parse --type Hex.Audit"]);
  }

  // With --type (and no --source), only the named log types are compiled and checked.
  const only = opts.source === undefined && typeArgs.length > 0 ? [...typeArgs, ...schemaNames] : undefined;
  const loaded = await loadLogTypes(schemas, only);
  const named = schemaNamesAsTypes(schemaNames, (n) => loaded.types.some((t) => t.logType.name === n) || loaded.problems.some((p) => p.logType === n));
  if (named.unknown.length > 0) throw new UsageError(`cannot read schemas: ${named.unknown[0]}: no such file or directory, and no loaded log type has that name`);
  typeArgs.push(...named.types);
  // With --source, events are classified among the source's log types (--type narrows them).
  // Modules only some runs need are loaded by those runs: start-up is part of every pipeline's cost.
  const chosen =
    opts.source === undefined ? undefined : await (await import("./load-sources.js")).chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const prettyRecord = opts.pretty ? (await import("../output/pretty.js")).prettyRecord : undefined;
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs, loaded.problems, loaded.names);
  const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);

  const stderr = new LineSink(process.stderr);
  const stdout = new LineSink(process.stdout);
  const [errC, outC] = await Promise.all([paletteFor(process.stderr), paletteFor(process.stdout)]);
  // Invalid schemas are out of the run; only a run that names one stops (selectTypes above).
  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(line));
  if (!opts.quiet) for (const w of named.note ? [named.note, ...loaded.warnings] : loaded.warnings) stderr.writeLine(errC.yellow(w));

  const deadLetters = opts.errors ? openDeadLetters(opts.errors) : undefined;
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
  process.on("SIGINT", onSigint);

  const fail = (f: EventFailure): void => {
    stats.count(f.logType, false);
    if (opts.pretty) stdout.writeLine(outC.red(`✗ ${errorLine(f)}`));
    else if (!opts.quiet) stderr.writeLine(errC.red(errorLine(f)));
    deadLetters?.writeLine(deadLetter(f));
  };

  const sink: EventSink = {
    failure: fail,
    skipped: () => void stats.skipped++,
    record(r) {
      stats.count(r.logType, true);
      if (tally) {
        if (r.indicators) tally.add(r.indicators);
      } else if (prettyRecord) {
        stdout.writeLine(prettyRecord(r.json, outC));
      } else {
        stdout.writeLine(r.json);
      }
    },
  };

  let inputFailed = false;
  const reportInputError = (e: InputError): void => {
    inputFailed = true;
    stderr.writeLine(errC.red(`hexlog: ${e.message}`));
  };
  const flushAll = async (): Promise<void> => {
    await Promise.all([stdout.flush(), stderr.flush(), deadLetters?.flush()]);
  };
  const progress = (): void => {
    if (spinner) spinner.text = `${stats.events.toLocaleString("en-US")} events, ${stats.errors} errors`;
  };
  let workers = opts.workers ?? 1;
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
      stopped: () => interrupted || stdout.closed,
      flush: flushAll,
      inputFailed: reportInputError,
      progress,
    });
  }
  process.off("SIGINT", onSigint);
  spinner?.stop();

  if (tally && !stdout.closed) {
    const rows = tally.rows();
    if (process.stdout.isTTY) stdout.writeLine(indicatorsTable(rows));
    else if (rows.length > 0) stdout.writeLine(indicatorsNdjson(rows));
  }
  if (unknown) stderr.writeLine(unknownReport(unknown));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!opts.quiet && (process.stderr.isTTY || opts.debug)) stderr.writeLine(summary(stats, seconds, errC));
  if (process.env.HEXLOG_STATS) stderr.writeLine(JSON.stringify({ ...countsOf(stats), seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, threadBatches }));
  await stdout.flush();
  await stderr.flush();
  await deadLetters?.end();
  if (deadLetters?.failure) throw new UsageError(`cannot write ${opts.errors}: ${deadLetters.failure.message}`);
  if (stdout.failure) throw new UsageError(`cannot write output: ${stdout.failure.message}`);

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
    if (s === "-" || (isFile(s) && !/\.ya?ml$/.test(s))) moved.push(s);
    else schemas.push(s);
  }
  return { types, schemas, files: [...moved, ...files] };
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

function openDeadLetters(path: string): LineSink {
  return new LineSink(createWriteStream(path));
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
