/** `hexlog list-types`: what log types are loaded, and the schema of one. */
import { UsageError } from "./errors.js";
import { loadLogTypes, schemaProblemLines, selectTypes } from "./load-types.js";

export async function runListTypes(opts: { schemas?: string[]; show?: string }): Promise<number> {
  const { types, problems } = await loadLogTypes(opts.schemas ?? []);
  for (const line of schemaProblemLines(problems)) process.stderr.write(`${line}\n`);
  if (opts.show) {
    const [t] = selectTypes(types, [opts.show], problems);
    if (!t) throw new UsageError(`unknown log type "${opts.show}"`);
    process.stdout.write(t.source.text.endsWith("\n") ? t.source.text : `${t.source.text}\n`);
    return 0;
  }
  const width = Math.max(...types.map((t) => t.logType.name.length));
  for (const { logType, source } of types) {
    const origin = source.builtin ? "built-in" : source.file;
    process.stdout.write(`${logType.name.padEnd(width)}  ${logType.description}  (${origin})\n`);
  }
  return 0;
}
