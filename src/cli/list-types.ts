/** `hexlog list-types`: what log types are loaded, and the schema of one. */
import { UsageError } from "./errors.js";
import { escapeLines, escapeText } from "../output/escape.js";
import { loadLogTypes, schemaProblemLines, selectTypes } from "./load-types.js";

export async function runListTypes(opts: { schemas?: string[]; show?: string; format?: "text" | "json" }): Promise<number> {
  const { types, problems } = await loadLogTypes(opts.schemas ?? []);
  // A listing of what is loaded would mislead while a schema is missing from it.
  if (problems.length > 0) throw new UsageError(`${problems.length === 1 ? "a schema is" : `${problems.length} schema problems are`} in the way:`, schemaProblemLines(problems).map((l) => l.slice("error: ".length)));
  if (opts.show) {
    const [t] = selectTypes(types, [opts.show], problems);
    if (!t) throw new UsageError(`unknown log type "${opts.show}"`);
    const text = t.source.text.endsWith("\n") ? t.source.text : `${t.source.text}\n`;
    // The file as it is for programs; on a terminal, control characters in it are shown, not run.
    process.stdout.write(process.stdout.isTTY ? escapeLines(text.replace(/\r\n/g, "\n").replace(/\t/g, "  ")) : text);
    return 0;
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
