/**
 * `hexlog list-types`: what log types are loaded, and the schema of one. An invalid schema does
 * not stop the listing (as it does not stop parse or test): the valid types are listed on stdout,
 * each problem goes to stderr at file:line:col, and the exit code stays 0 — validate-schema is
 * where an invalid schema fails a run. `--show` naming an invalid schema is exit 2.
 */
import { UsageError } from "./errors.js";
import { paletteFor } from "../output/color.js";
import { escapeLines, escapeText } from "../output/escape.js";
import { loadLogTypes, schemaProblemLines, selectTypes } from "./load-types.js";

export async function runListTypes(opts: { schemas?: string[]; show?: string; format?: "text" | "json"; quiet?: boolean }): Promise<number> {
  const { types, problems } = await loadLogTypes(opts.schemas ?? []);
  if (opts.show) {
    const [t] = selectTypes(types, [opts.show], problems);
    if (!t) throw new UsageError(`unknown log type "${opts.show}"`);
    const text = t.source.text.endsWith("\n") ? t.source.text : `${t.source.text}\n`;
    // The file as it is for programs; on a terminal, control characters in it are shown, not run.
    process.stdout.write(process.stdout.isTTY ? escapeLines(text.replace(/\r\n/g, "\n").replace(/\t/g, "  ")) : text);
    return 0;
  }
  if (problems.length > 0) {
    const errC = await paletteFor(process.stderr);
    for (const line of schemaProblemLines(problems)) process.stderr.write(`${errC.red(line)}\n`);
    const files = new Set(problems.map((p) => p.file)).size;
    if (!opts.quiet) process.stderr.write(`${errC.yellow(`note: ${files === 1 ? "1 schema file is" : `${files} schema files are`} invalid and not listed (hexlog validate-schema shows every finding)`)}\n`);
  }
  if (opts.format === "json") {
    // One object per line: what programs need to pick a type or find its file.
    for (const { logType, source } of types) {
      const parser = logType.schema.parser ? Object.keys(logType.schema.parser)[0] : "json";
      process.stdout.write(`${JSON.stringify({ name: logType.name, description: logType.description, builtin: source.builtin, file: source.builtin ? null : source.file, parser })}\n`);
    }
    return 0;
  }
  const width = Math.max(...types.map((t) => t.logType.name.length));
  for (const { logType, source } of types) {
    const origin = source.builtin ? "built-in" : source.file;
    process.stdout.write(`${logType.name.padEnd(width)}  ${escapeText(`${logType.description}  (${origin})`)}\n`);
  }
  return 0;
}
