/**
 * The commands' view of the catalog: any schema problem is a configuration error (exit 2)
 * listing every problem at file:line:column; an unknown log type name likewise.
 */
import { formatSchemaProblem, loadLogTypes as loadCatalog, pickTypes, type LoadedType, type LoadedTypes } from "../catalog/load-types.js";
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
  if (problems.length > 0) {
    throw new UsageError(`${problems.length === 1 ? "a schema is" : `${problems.length} schema problems are`} in the way:`, problems.map(formatSchemaProblem));
  }
  return loaded;
}

/**
 * Picks log types by name, in the order given; unknown names are a usage error. `available`:
 * every name there is (LoadedTypes.names), when not all were loaded.
 */
export function selectTypes(all: readonly LoadedType[], names: readonly string[] | undefined, available?: readonly string[]): LoadedType[] {
  const { types, unknown } = pickTypes(all, names);
  const first = unknown[0];
  if (first !== undefined) throw new UsageError(`unknown log type "${first}"`, [`available: ${(available ?? all.map((x) => x.logType.name)).join(", ")}`]);
  return types;
}
