/**
 * `hexlog infer`: reads sample events (files or stdin, framed like `parse` frames them), infers
 * a log schema that parses all of them, and prints it as YAML on stdout. Events that are not
 * JSON objects are reported (file:line) and skipped; notes about the schema go to stderr.
 */
import { statSync } from "node:fs";
import { JsonFramer, type FramedEvent } from "../input/framing.js";
import { InputError, readInput } from "../input/open.js";
import { paletteFor } from "../output/color.js";
import { schemaYaml } from "../output/schema-yaml.js";
import { LineSink } from "../output/sink.js";
import { SchemaInferrer } from "../tools/infer/index.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./errors.js";
import { LOG_TYPE_NAME } from "../language/names.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import { inputLabel } from "../pipeline/run-inputs.js";

export interface InferCliOptions {
  name?: string;
  description?: string;
  maxEventBytes?: number;
  quiet?: boolean;
}

export const DEFAULT_SCHEMA_NAME = "Custom.Inferred";

export async function runInfer(fileArgs: string[], opts: InferCliOptions): Promise<number> {
  const name = opts.name ?? DEFAULT_SCHEMA_NAME;
  if (!LOG_TYPE_NAME.test(name)) {
    throw new UsageError(`--name must look like a log type name (Custom.MyApp: dot-separated words, each starting with a capital letter), got "${name}"`);
  }
  const inputs = fileArgs.length === 0 ? ["-"] : fileArgs;
  for (const f of inputs) {
    if (f === "-") continue;
    let isDir: boolean;
    try {
      isDir = statSync(f).isDirectory();
    } catch {
      throw new UsageError(`cannot read ${f}: no such file or directory`);
    }
    if (isDir) throw new UsageError(`${f} is a directory; give the files inside it`);
  }
  if (inputs.includes("-") && process.stdin.isTTY) {
    throw new UsageError("no input: give sample files, or pipe events into stdin", ["example: hexlog infer samples.ndjson > schema.yml"]);
  }

  const stderr = new LineSink(process.stderr);
  const stdout = new LineSink(process.stdout);
  const errC = await paletteFor(process.stderr);
  const spinner = !opts.quiet && process.stderr.isTTY && !process.env.CI ? await startSpinner() : undefined;
  const inferrer = new SchemaInferrer();
  let skipped = 0;
  let inputFailed = false;

  const events: FramedEvent[] = [];
  const handle = (label: string): void => {
    for (const ev of events) {
      const problem = ev.error ?? inferrer.add(ev.raw, ev.value);
      if (problem === undefined) continue;
      skipped++;
      stderr.writeLine(errC.red(`${label}:${ev.line}: ${problem}; skipped`));
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
      stderr.writeLine(errC.red(`hexlog: ${e.message}`));
    }
  }
  spinner?.stop();

  const result = inferrer.result({ name, description: opts.description });
  const counted = `${result.events} event${result.events === 1 ? "" : "s"}`;
  if (!opts.quiet) for (const n of result.notes) stderr.writeLine(errC.yellow(`note: ${n.path}: ${n.message}`));
  if (result.schema === undefined) {
    stderr.writeLine(
      errC.red(result.events === 0 ? "hexlog: no JSON object events to infer a schema from" : `hexlog: no field could be inferred from ${counted}`),
    );
    await stderr.flush();
    return EXIT_FINDINGS;
  }
  const source = inputs.map((f) => (f === "-" ? "stdin" : f)).join(", ");
  const comment = [
    `Inferred by hexlog infer from ${counted} (${source}).`,
    "Review the types, required flags, indicators and isEventTime before relying on it.",
  ];
  stdout.writeLine(schemaYaml(result.schema, comment).trimEnd());
  if (!opts.quiet && process.stderr.isTTY) {
    stderr.writeLine(`${result.schema.schema}: ${result.schema.fields.length} top-level fields from ${counted}${skipped ? `, ${skipped} skipped` : ""}`);
  }
  await stdout.flush();
  await stderr.flush();
  if (stdout.failure) throw new UsageError(`cannot write output: ${stdout.failure.message}`);
  return skipped > 0 || inputFailed ? EXIT_FINDINGS : EXIT_OK;
}

async function startSpinner(): Promise<{ stop(): void }> {
  const { default: ora } = await import("ora");
  return ora({ text: "reading samples", stream: process.stderr, discardStdin: false }).start();
}
