/**
 * `hexlog explain`: flags → which log types and events → the trace of each, as text or JSON on
 * stdout. Exit 0 when every explained event became a record (or a skipped line), 1 when one did
 * not, 2 for usage errors (checked before any input is read), 130 on Ctrl-C.
 */
import { statSync } from "node:fs";
import type { InputError } from "../input/open.js";
import { paletteFor } from "../output/color.js";
import { LineSink } from "../output/sink.js";
import { escapeText as escapeForTerminal } from "../output/escape.js";
import { renderJson, renderText } from "../tools/explain/render.js";
import { explainInputs } from "../tools/explain/run.js";
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, UsageError } from "./errors.js";
import { loadLogTypes, schemaProblemLines, selectTypes } from "./load-types.js";
import { parseNow, sortArguments, typesAndFiles } from "./parse.js";

export interface ExplainOptions {
  type?: string[];
  schemas?: string[];
  limit?: number;
  line?: number;
  format?: "text" | "json";
  now?: string;
  maxEventBytes?: number;
  quiet?: boolean;
}

export async function runExplain(fileArgs: string[], opts: ExplainOptions): Promise<number> {
  const sorted = sortArguments(opts.type ?? [], opts.schemas ?? [], fileArgs);
  const loaded = await loadLogTypes(sorted.schemas);
  const { types: typeArgs, files } = typesAndFiles(sorted, loaded);
  const inputs = files.length === 0 ? ["-"] : files;
  for (const f of inputs) {
    if (f === "-") continue;
    let dir: boolean;
    try {
      dir = statSync(f).isDirectory();
    } catch {
      throw new UsageError(`cannot read ${escapeForTerminal(f)}: no such file or directory`);
    }
    if (dir) throw new UsageError(`${escapeForTerminal(f)} is a directory; give the files inside it`);
  }
  if (inputs.includes("-") && process.stdin.isTTY) {
    throw new UsageError("no input: give files to explain, or pipe events into stdin", ["example: hexlog explain -n 1 testdata/hex/audit.ndjson"]);
  }
  if (opts.limit !== undefined && opts.line !== undefined) throw new UsageError("-n and --line cannot be used together");
  const now = opts.now === undefined ? undefined : parseNow(opts.now);
  const selected = selectTypes(loaded.types, typeArgs, loaded.problems);

  const stdout = new LineSink(process.stdout);
  const stderr = new LineSink(process.stderr);
  const [outC, errC] = await Promise.all([paletteFor(process.stdout), paletteFor(process.stderr)]);
  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(line));
  if (!opts.quiet) for (const w of loaded.warnings) stderr.writeLine(errC.yellow(escapeForTerminal(w)));
  const abort = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  let inputFailed = false;
  const json = opts.format === "json";
  let first = true;
  const summary = await explainInputs({
    inputs,
    types: selected.map((t) => t.logType),
    limit: opts.limit,
    line: opts.line,
    maxEventBytes: opts.maxEventBytes ?? 10 * 1024 * 1024,
    clock: now,
    signal: abort.signal,
    stopped: () => stdout.closed,
    emit: async (trace) => {
      if (json) stdout.writeLine(renderJson(trace));
      else {
        // A blank line between events.
        if (!first) stdout.writeLine("");
        stdout.writeLine(renderText(trace, outC));
      }
      first = false;
      await stdout.flush();
    },
    inputError: (e: InputError) => {
      inputFailed = true;
      stderr.writeLine(errC.red(`hexlog: ${escapeForTerminal(e.message)}`));
    },
  });
  process.off("SIGINT", onSigint);
  if (summary.explained === 0 && !interrupted && !inputFailed) {
    stderr.writeLine(errC.yellow(opts.line !== undefined ? `no event at line ${opts.line}` : "no events in the input"));
  }
  await stdout.flush();
  await stderr.flush();
  if (stdout.failure) throw new UsageError(`cannot write output: ${stdout.failure.message}`);
  if (interrupted) return EXIT_INTERRUPTED;
  if (summary.failed > 0 || inputFailed || (opts.line !== undefined && summary.explained === 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}

/** parse's flags about what records become; with --explain there are no records. */
const RECORD_FLAGS: ReadonlyArray<[string, string]> = [
  ["pretty", "--pretty"],
  ["indicators", "--indicators"],
  ["errors", "--errors"],
  ["unknownFields", "--unknown-fields"],
  ["source", "--source"],
  ["sourceId", "--source-id"],
  ["sourceLabel", "--source-label"],
  ["seed", "--seed"],
  ["out", "--out"],
];

/** `parse --explain`: explain every event with parse's -t, -s, --now and --max-event-bytes. */
export async function runParseExplain(files: string[], opts: ExplainOptions & Record<string, unknown>): Promise<number> {
  const clash = RECORD_FLAGS.filter(([key]) => opts[key] !== undefined && opts[key] !== false).map(([, flag]) => flag);
  if (typeof opts.workers === "number" && opts.workers > 1) clash.push("--workers");
  // parse's --format (ndjson by default) says how records are written.
  const format: unknown = opts.format;
  if (format !== undefined && format !== "ndjson") clash.push(`--format ${String(format)}`);
  if (clash.length > 0) throw new UsageError(`--explain cannot be combined with ${clash.join(", ")}`, ["explain writes traces, not records; use hexlog explain for -n, --line and --format json"]);
  const { type, schemas, now, maxEventBytes, quiet } = opts;
  return runExplain(files, { type, schemas, now, maxEventBytes, quiet, format: "text" } as ExplainOptions);
}
