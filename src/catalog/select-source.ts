/**
 * Choosing a log source (`--source <label or id>`) and the log types events are classified
 * among, as Panther does for a source: only the types the source carries, in its order.
 */
import type { LogSource } from "./sources.js";
import { suggest } from "../language/suggest.js";

/** Why a source cannot be used: one line, plus lines listing what is available. */
export class SourceProblem {
  constructor(
    readonly message: string,
    readonly details: string[],
  ) {}
}

/** `"Hex audit logs" (bcd45662-…)` */
export function sourceName(s: LogSource): string {
  return `"${s.label}" (${s.id})`;
}

/** The source with this id, else the one source with this label. */
export function pickSource(sources: readonly LogSource[], ref: string): LogSource | SourceProblem {
  const byId = sources.find((s) => s.id === ref);
  if (byId) return byId;
  const byLabel = sources.filter((s) => s.label === ref);
  if (byLabel.length === 1) return byLabel[0] as LogSource;
  if (byLabel.length > 1) {
    return new SourceProblem(`source label "${ref}" is ambiguous: ${byLabel.length} sources have it; give the id instead`, listing(byLabel));
  }
  if (sources.length === 0) return new SourceProblem(`unknown source "${ref}": the sources file lists no sources`, []);
  const hint = suggest(ref, [...new Set(sources.map((s) => s.label))]);
  return new SourceProblem(`unknown source "${ref}"${hint ? ` (did you mean "${hint}"?)` : ""}`, ["available (label, id, log types):", ...listing(sources)]);
}

/**
 * The log types to classify among: the source's own, or those of `only` (--type), which must be
 * among them. Each must be loaded, or events would be judged against the wrong set of types.
 */
export function sourceLogTypes(source: LogSource, loaded: readonly string[], only: readonly string[]): string[] | SourceProblem {
  if (source.logTypes.length === 0) return new SourceProblem(`source ${sourceName(source)} carries no log types`, []);
  const foreign = only.filter((t) => !source.logTypes.includes(t));
  if (foreign.length > 0) {
    return new SourceProblem(`source ${sourceName(source)} does not carry ${list(foreign)}`, [`it carries: ${source.logTypes.join(", ")}`]);
  }
  const wanted = only.length > 0 ? [...new Set(only)] : source.logTypes;
  const missing = wanted.filter((t) => !loaded.includes(t));
  if (missing.length > 0) {
    return new SourceProblem(`source ${sourceName(source)} carries ${list(missing)}, which no loaded schema defines`, [
      `loaded: ${loaded.join(", ")}`,
      "add the schemas with --schemas <files or directories>",
    ]);
  }
  return wanted;
}

/** The log types of a source that no loaded schema defines. */
export function undefinedLogTypes(source: LogSource, loaded: readonly string[]): string[] {
  return source.logTypes.filter((t) => !loaded.includes(t));
}

/** Sources as aligned lines: label, id, log types. */
function listing(sources: readonly LogSource[]): string[] {
  const lw = Math.max(...sources.map((s) => s.label.length));
  const iw = Math.max(...sources.map((s) => s.id.length));
  return sources.map((s) => `  ${s.label.padEnd(lw)}  ${s.id.padEnd(iw)}  ${s.logTypes.join(", ") || "(no log types)"}`);
}

function list(types: readonly string[]): string {
  return types.length === 1 ? `log type ${types[0]}` : `log types ${types.join(", ")}`;
}
