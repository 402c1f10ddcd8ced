/**
 * `hexlog infer`: reads sample events (files or stdin, framed like `parse` frames them), infers
 * a log schema that parses all of them, and prints it as YAML on stdout. Events that are not
 * JSON objects are reported (file:line) and skipped; notes about the schema go to stderr.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { defaultSchemaName } from "../catalog/files.js";
import type { Sample } from "../tools/infer/sample-records.js";
import { JsonFramer, type FramedEvent } from "../input/framing.js";
import { InputError, readInput } from "../input/open.js";
import { expandInputPaths, InputPathError } from "../input/paths.js";
import { paletteFor } from "../output/color.js";
import { schemaYaml } from "../output/schema-yaml.js";
import { LineSink } from "../output/sink.js";
import { escapeText } from "../output/escape.js";
import { escapeText as escapeForTerminal } from "../output/escape.js";
import { SchemaInferrer } from "../tools/infer/index.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./errors.js";
import { LOG_TYPE_NAME } from "../language/names.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import { inputLabel } from "../pipeline/run-inputs.js";

export interface InferCliOptions {
  name?: string;
  description?: string;
  maxEventBytes?: number;
  /** A schema file to extend (written back) instead of printing a new schema. */
  extend?: string;
  /** With --extend: print the change as a diff instead of writing it. */
  dryRun?: boolean;
  /** Write a test file with one test per sample, the current records as expectations. */
  tests?: string;
  quiet?: boolean;
}

export const DEFAULT_SCHEMA_NAME = "Custom.Inferred";

export async function runInfer(fileArgs: string[], opts: InferCliOptions): Promise<number> {
  const name = opts.name ?? DEFAULT_SCHEMA_NAME;
  if (!LOG_TYPE_NAME.test(name)) {
    throw new UsageError(`--name must look like a log type name (Custom.MyApp: dot-separated words, each starting with a capital letter), got "${name}"`);
  }
  if (opts.dryRun && opts.extend === undefined) throw new UsageError("--dry-run goes with --extend (it shows the change to the schema instead of writing it)");
  // The schema to extend is read and checked before any sample.
  const extending = opts.extend === undefined ? undefined : await readExtended(opts.extend);
  if (opts.tests !== undefined && existsSync(opts.tests)) throw new UsageError(`--tests ${opts.tests}: the file exists; give a new file name (nothing is overwritten)`);
  let inputs: string[];
  try {
    // A directory stands for its files (sorted, recursive, hidden ones skipped), as in parse.
    inputs = expandInputPaths(fileArgs.length === 0 ? ["-"] : fileArgs).map((f) => f.path);
  } catch (e) {
    if (e instanceof InputPathError) throw new UsageError(e.message);
    throw e;
  }
  if (inputs.length === 0) throw new UsageError(`no input files in ${fileArgs.join(", ")} (hidden files are skipped)`);
  if (inputs.includes("-") && process.stdin.isTTY) {
    throw new UsageError("no input: give sample files, or pipe events into stdin", ["example: hexlog infer samples.ndjson > schema.yml"]);
  }

  const stderr = new LineSink(process.stderr);
  const stdout = new LineSink(process.stdout);
  const errC = await paletteFor(process.stderr);
  // A terminal that reports no width (some CI ptys) would make the spinner redraw forever.
  const spinner = !opts.quiet && process.stderr.isTTY && process.stderr.columns > 0 && !process.env.CI ? await startSpinner() : undefined;
  const inferrer = new SchemaInferrer();
  let skipped = 0;
  let inputFailed = false;

  const events: FramedEvent[] = [];
  // Kept only for --tests (each becomes a test) and --extend (timestamps are checked with the schema's formats).
  const samples: Sample[] = [];
  const handle = (label: string): void => {
    for (const ev of events) {
      const problem = ev.error ?? inferrer.add(ev.raw, ev.value);
      if (problem === undefined) {
        if (opts.tests !== undefined || extending) samples.push({ name: `${basename(label)} line ${ev.line}`, raw: ev.raw, value: ev.value });
        continue;
      }
      skipped++;
      stderr.writeLine(errC.red(escapeText(`${label}:${ev.line}: ${problem}; skipped`)));
    }
    events.length = 0;
  };
  for (const file of inputs) {
    const label = inputLabel(file);
    const framer = new JsonFramer({ maxEventBytes: opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES });
    try {
      for await (const chunk of readInput(file)) {
        framer.push(chunk, events);
        handle(label);
        await stderr.flush();
      }
      framer.end(events);
      handle(label);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      inputFailed = true;
      stderr.writeLine(errC.red(`hexlog: ${escapeText(e.message)}`));
    }
  }
  spinner?.stop();

  const result = inferrer.result({ name, description: opts.description });
  const counted = `${result.events} event${result.events === 1 ? "" : "s"}`;
  if (!opts.quiet) for (const n of result.notes) stderr.writeLine(errC.yellow(escapeText(`note: ${n.path}: ${n.message}`)));
  if (result.schema === undefined) {
    stderr.writeLine(
      errC.red(result.events === 0 ? "hexlog: no JSON object events to infer a schema from" : `hexlog: no field could be inferred from ${counted}`),
    );
    await stderr.flush();
    return EXIT_FINDINGS;
  }
  let schemaText: string;
  let schemaFile: string;
  if (extending) {
    const { extendSchema } = await import("../tools/infer/extend.js");
    const outcome = extendSchema(extending.text, extending.file, result.schema, samples.map((e) => e.value));
    if (!outcome.ok) throw new UsageError(`cannot extend ${extending.file}:`, outcome.problems);
    // Field names come from the samples: escaped before they reach the terminal.
    for (const c of outcome.changes) stderr.writeLine(c.warning ? errC.yellow(`warning: ${escapeForTerminal(c.message)}`) : escapeForTerminal(c.message));
    if (!opts.quiet) for (const n of outcome.notes) stderr.writeLine(errC.yellow(`note: ${escapeForTerminal(n)}`));
    if (outcome.changes.length === 0 && !opts.quiet) stderr.writeLine(`${extending.file}: the samples fit the schema; nothing to change`);
    if (opts.dryRun) {
      if (outcome.text !== extending.text) stdout.writeLine((await unifiedDiff(extending.file, extending.text, outcome.text)).trimEnd());
    } else if (outcome.text !== extending.text) {
      await writeText(extending.file, outcome.text);
    }
    schemaText = outcome.text;
    schemaFile = extending.file;
  } else {
    const source = inputs.map((f) => (f === "-" ? "stdin" : f)).join(", ");
    const comment = [
      `Inferred by hexlog infer from ${counted} (${source}).`,
      "Review the types, required flags, indicators and isEventTime before relying on it.",
    ];
    schemaText = schemaYaml(result.schema, comment);
    schemaFile = "<inferred>";
    stdout.writeLine(schemaText.trimEnd());
    if (!opts.quiet && process.stderr.isTTY) {
      stderr.writeLine(`${result.schema.schema}: ${result.schema.fields.length} top-level fields from ${counted}${skipped ? `, ${skipped} skipped` : ""}`);
    }
  }
  if (opts.tests !== undefined) {
    const [{ buildLogType }, { parseSchemaText }, { sampleOutcomes }, { testDocuments }] = await Promise.all([
      import("../engine/logtype.js"),
      import("../language/yaml-source.js"),
      import("../tools/infer/sample-records.js"),
      import("../tools/schema-tests/generate.js"),
      import("../engine/all-modules.js"),
    ]);
    const built = buildLogType(parseSchemaText(schemaText, schemaFile).source.value, name);
    if (!built.logType) throw new Error(`the schema written is not valid: ${built.issues[0]?.message ?? "?"}`);
    const outcomes = sampleOutcomes(built.logType, samples);
    await writeText(opts.tests, `# Written by hexlog infer --tests from ${counted}: the current records as expectations.\n${testDocuments(outcomes)}`);
    if (!opts.quiet) stderr.writeLine(`${opts.tests}: ${outcomes.length} test${outcomes.length === 1 ? "" : "s"} of ${built.logType.name}`);
  }
  await stdout.flush();
  await stderr.flush();
  if (stdout.failure) throw new UsageError(`cannot write output: ${stdout.failure.message}`);
  return skipped > 0 || inputFailed ? EXIT_FINDINGS : EXIT_OK;
}

async function readExtended(file: string): Promise<{ file: string; text: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const { describeFsError } = await import("../catalog/load-types.js");
    throw new UsageError(`--extend: cannot read ${describeFsError(e)}`);
  }
  const [{ buildLogType }, { parseSchemaText }] = await Promise.all([import("../engine/logtype.js"), import("../language/yaml-source.js"), import("../engine/all-modules.js")]);
  const built = buildLogType(parseSchemaText(text, file).source.value, defaultSchemaName(file));
  if (!built.logType) throw new UsageError(`--extend ${file}: not a valid schema (run hexlog validate-schema ${file})`);
  return { file, text };
}

async function writeText(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (e) {
    const { describeFsError } = await import("../catalog/load-types.js");
    throw new UsageError(`cannot write ${describeFsError(e)}`);
  }
}

/** A unified diff of the schema, as `diff -u` prints it. */
async function unifiedDiff(file: string, before: string, after: string): Promise<string> {
  const { createTwoFilesPatch } = await import("diff");
  return createTwoFilesPatch(file, file, before, after, "current", "extended", { context: 3 }).replace(/^[\s\S]*?(?=^--- )/m, "");
}

async function startSpinner(): Promise<{ stop(): void }> {
  const { default: ora } = await import("ora");
  return ora({ text: "reading samples", stream: process.stderr, discardStdin: false }).start();
}
