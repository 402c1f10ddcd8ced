/**
 * Validation of schema documents, as `hexlog validate-schema` runs it: the JSON Schema of the
 * language (structure, unknown keys everywhere, parser and transformation options), then the
 * semantic checker and the parse compiler — the very `buildLogType` that `parse` uses, so a
 * schema that validates always parses. Every problem becomes a finding located in the YAML.
 */
import { buildLogType, type LogType } from "../engine/logtype.js";
// validateDocument compiles any schema synchronously.
import "../engine/all-modules.js";
import { formatPath } from "../engine/errors.js";
import { defaultSchemaName } from "../catalog/files.js";
import type { JsonSchemaCheck } from "../language/json-schema.js";
import { locate, sourcePath, type SchemaSource, type YamlProblem } from "../language/yaml-source.js";
import type { Finding } from "../language/finding.js";
import type { SchemaIssue, SchemaPath } from "../language/types.js";
import { byPosition } from "./duplicates.js";

export type { Finding };
export { byPosition, markDuplicateNames } from "./duplicates.js";

/** The outcome for one schema document. */
export interface SchemaResult {
  file: string;
  /** The log type name (`schema:`, or for a file without it, the file name) and where it is written. */
  declared?: { name: string; line: number; col: number };
  /** No error finding: the schema compiles (a result from the schema cache has no logType). */
  valid: boolean;
  /** Present when the schema compiled and has no error finding (and was not taken from the cache). */
  logType?: LogType;
  findings: Finding[];
  /** The document as read (positions for later checks, such as breaking changes). */
  source?: SchemaSource;
}

/** Validates one parsed document (or reports why it could not be read). */
export function validateDocument(loaded: { source: SchemaSource; problems: YamlProblem[] }, jsonSchema: JsonSchemaCheck, stdin = false): SchemaResult {
  const { source, problems } = loaded;
  const file = source.file;
  if (problems.length > 0) {
    return { file, valid: false, findings: problems.map((p) => ({ file, line: p.line, col: p.col, severity: "error", rule: p.rule, message: p.message, path: "" })) };
  }
  const built = buildLogType(source.value, stdin ? file : defaultSchemaName(file));
  const structural = jsonSchema(source.value);
  // Both layers know unknown keys, missing keys and types: where the semantic checker already
  // speaks about a place (or about a missing key at its parent, by the same rule), its finding
  // stands for both.
  const covered = new Set(built.issues.flatMap((i) => [pathKey(sourcePath(source, i.path)), `${i.rule}>${pathKey(sourcePath(source, i.path))}`]));
  const isCovered = (i: SchemaIssue): boolean => {
    const path = sourcePath(source, i.path);
    return covered.has(pathKey(path)) || covered.has(`${i.rule}>${pathKey(path.slice(0, -1))}`);
  };
  const issues = [...built.issues, ...structural.filter((i) => !isCovered(i))];
  const findings = issues.map((i) => locateIssue(source, i)).sort(byPosition);

  const explicit = explicitName(source.value);
  const result: SchemaResult = { file, valid: false, findings, source };
  if (explicit !== undefined) result.declared = { name: explicit, ...locate(source, ["schema"]) };
  else if (!stdin) result.declared = { name: defaultSchemaName(file), line: 1, col: 1 };
  if (built.logType && !findings.some((f) => f.severity === "error")) {
    result.logType = built.logType;
    result.valid = true;
  }
  return result;
}

function locateIssue(source: SchemaSource, issue: SchemaIssue): Finding {
  const pos = locate(source, issue.path, issue.atKey);
  return {
    file: source.file,
    line: pos.line,
    col: pos.col,
    severity: issue.severity,
    rule: issue.rule,
    message: issue.message,
    path: formatPath(sourcePath(source, issue.path)),
  };
}

function pathKey(path: SchemaPath): string {
  return path.join("\u0000");
}

function explicitName(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const name = (value as Record<string, unknown>).schema;
  return typeof name === "string" && name !== "" ? name : undefined;
}
