/**
 * validate-schema's results as the schema cache stores them: findings without the file (the same
 * bytes may sit at another path), read back only when the entry has the shape written here.
 */
import type { Finding, SchemaResult } from "./validate.js";

/** What is stored for a result (before duplicate names are marked: those depend on other files). */
export function validationToCache(result: SchemaResult): Record<string, unknown> {
  return { valid: result.valid, declared: result.declared ?? null, findings: result.findings.map(({ file: _file, ...f }) => f) };
}

const SEVERITIES: ReadonlySet<unknown> = new Set(["error", "warning", "note"]);

/** A result from the schema cache at this file, if the entry has the shape validationToCache writes. */
export function validationFromCache(entry: Record<string, unknown> | undefined, file: string): SchemaResult | undefined {
  if (!entry || typeof entry.valid !== "boolean" || !Array.isArray(entry.findings)) return undefined;
  const d = entry.declared as Record<string, unknown> | null;
  if (d !== null && (typeof d !== "object" || typeof d.name !== "string" || typeof d.line !== "number" || typeof d.col !== "number")) return undefined;
  const findings: Finding[] = [];
  for (const f of entry.findings as unknown[]) {
    if (typeof f !== "object" || f === null) return undefined;
    const { line, col, severity, rule, message, path } = f as Record<string, unknown>;
    if (typeof line !== "number" || (col !== undefined && typeof col !== "number") || !SEVERITIES.has(severity) || typeof rule !== "string" || typeof message !== "string" || typeof path !== "string") return undefined;
    findings.push({ file, line, ...(col === undefined ? {} : { col }), severity: severity as Finding["severity"], rule, message, path });
  }
  const result: SchemaResult = { file, valid: entry.valid, findings };
  if (d !== null) result.declared = { name: d.name as string, line: d.line as number, col: d.col as number };
  return result;
}

