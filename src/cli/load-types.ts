/**
 * The commands' view of the catalog. One invalid schema never blocks the others: its
 * problems are reported (schemaProblemLines) and only what uses its log type fails — a --type
 * naming it is a configuration error (exit 2), as is a schema path that cannot be read at all,
 * or an unknown log type name.
 */
import { closestTypeName, formatSchemaProblem, loadLogTypes as loadCatalog, pickTypes, type LoadedType, type LoadedTypes, type SchemaProblem } from "../catalog/load-types.js";
import { escapeText as escapeForTerminal } from "../output/escape.js";
import { UsageError } from "./errors.js";

export type { LoadedType };

/** The flags that pick the log types of a run and stamp its source (parse, serve, consume). */
export interface TypeChoiceOptions {
  type?: string[];
  schemas?: string[];
  sources?: string;
  source?: string;
  sourceId?: string;
  sourceLabel?: string;
}
export { describeFsError } from "../catalog/load-types.js";

/** `only`: the log types the command will use (see the catalog's LoadOptions); none: all. */
export async function loadLogTypes(schemaPaths: readonly string[] = [], only?: readonly string[]): Promise<LoadedTypes> {
  // The schema cache only matters for the user's files (built-ins are checked by the build).
  const cache = schemaPaths.length > 0 ? (await import("../catalog/schema-cache.js")).openSchemaCache() : undefined;
  const loaded = await loadCatalog(schemaPaths, { only, cache });
  const { problems } = loaded;
  if (problems.length === 1 && problems[0]?.rule === "log-type-as-schema") {
    throw new UsageError(problems[0].message, [`example: hexlog parse -t ${problems[0].file} events.ndjson`]);
  }
  if (problems.length === 1 && problems[0]?.rule === "unreadable" && problems[0].line === undefined && problems[0].message.startsWith("cannot read schemas")) {
    throw new UsageError(problems[0].message);
  }
  return loaded;
}

/** Every schema problem as a line for stderr (file names and messages may quote YAML: escaped). */
export function schemaProblemLines(problems: readonly SchemaProblem[]): string[] {
  return problems.map((p) => `error: ${escapeForTerminal(formatSchemaProblem(p))}`);
}

/**
 * Picks log types by name, in the order given; a name whose schema is invalid fails with the
 * schema's problems, an unknown name with the list of those available (`available`: every name
 * there is, LoadedTypes.names, when not all were loaded).
 */
export function selectTypes(all: readonly LoadedType[], names: readonly string[] | undefined, problems: readonly SchemaProblem[] = [], available?: readonly string[]): LoadedType[] {
  const { types, unknown } = pickTypes(all, names);
  for (const name of unknown) {
    const broken = problems.filter((p) => p.logType === name);
    if (broken.length > 0) {
      // The other invalid schemas are reported too, as a run that goes on would report them.
      const others = problems.filter((p) => p.logType !== name).map((p) => `also invalid: ${escapeForTerminal(formatSchemaProblem(p))}`);
      throw new UsageError(`the schema of log type "${escapeForTerminal(name)}" is invalid:`, [...broken.map((p) => escapeForTerminal(formatSchemaProblem(p))), ...others]);
    }
  }
  const first = unknown[0];
  if (first !== undefined) {
    const hint = closestTypeName(all, first);
    // A schema that could not be read at all may be the one meant. (Messages are escaped where printed.)
    const unread = problems.filter((p) => p.logType === undefined).map((p) => `could not be read: ${formatSchemaProblem(p)}`);
    throw new UsageError(`unknown log type "${first}"${hint ? ` (did you mean ${hint}?)` : ""}`, [...unread, `available: ${(available ?? all.map((x) => x.name)).join(", ")}`]);
  }
  return types;
}
