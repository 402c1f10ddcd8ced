/** Findings across schema files: a log type defined twice (apart from validate.ts, which loads the YAML reader). */
import type { Finding } from "../language/finding.js";

/** What markDuplicateNames needs of a validation result (tools/validate.ts's SchemaResult). */
export interface NamedResult {
  file: string;
  declared?: { name: string; line: number; col: number };
  findings: Finding[];
  valid: boolean;
  logType?: unknown;
}

/** A log type name defined twice is an error on every later definition (which then is not valid). */
export function markDuplicateNames(results: readonly NamedResult[]): void {
  const first = new Map<string, string>();
  for (const r of results) {
    const d = r.declared;
    if (d === undefined) continue;
    const prev = first.get(d.name);
    if (prev === undefined) {
      first.set(d.name, `${r.file}:${d.line}:${d.col}`);
      continue;
    }
    r.findings.push({
      file: r.file,
      line: d.line,
      col: d.col,
      severity: "error",
      rule: "duplicate-log-type",
      message: `log type "${d.name}" is already defined in ${prev}`,
      path: "schema",
    });
    r.findings.sort(byPosition);
    delete r.logType;
    r.valid = false;
  }
}

export function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || (a.col ?? 0) - (b.col ?? 0);
}
