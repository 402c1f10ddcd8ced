/**
 * The commands' view of the catalog. One invalid schema never blocks the others (SPEC §3): its
 * problems are reported (schemaProblemLines) and only what uses its log type fails — a --type
 * naming it is a configuration error (exit 2), as is a schema path that cannot be read at all,
 * or an unknown log type name.
 */
import { formatSchemaProblem, loadLogTypes as loadCatalog, pickTypes, type LoadedType, type LoadedTypes, type SchemaProblem } from "../catalog/load-types.js";
import { UsageError } from "./errors.js";

export type { LoadedType };
export { describeFsError } from "../catalog/load-types.js";

/** `only`: the log types the command will use (see the catalog's LoadOptions); none: all. */
export async function loadLogTypes(schemaPaths: readonly string[] = [], only?: readonly string[]): Promise<LoadedTypes> {
  const loaded = await loadCatalog(schemaPaths, { only });
  const { problems } = loaded;
  if (problems.length === 1 && problems[0]?.rule === "unreadable" && problems[0].line === undefined && problems[0].message.startsWith("cannot read schemas")) {
    throw new UsageError(problems[0].message);
  }
  return loaded;
}

/** Every schema problem as a line for stderr. */
export function schemaProblemLines(problems: readonly SchemaProblem[]): string[] {
  return problems.map((p) => `error: ${formatSchemaProblem(p)}`);
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
    if (broken.length > 0) throw new UsageError(`the schema of log type "${name}" is invalid:`, broken.map(formatSchemaProblem));
  }
  const first = unknown[0];
  if (first !== undefined) throw new UsageError(`unknown log type "${first}"`, [`available: ${(available ?? all.map((x) => x.logType.name)).join(", ")}`]);
  return types;
}
