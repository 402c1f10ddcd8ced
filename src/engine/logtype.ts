/** A log type ready to run: its checked schema plus the compiled normalizer (and text parser). */
import { checkSchema, type PartialSchema } from "../language/check.js";
import type { LogSchema, SchemaIssue } from "../language/types.js";
import { compileSchema, type CompiledSchema } from "./compile.js";
import { compileNative, type NativeBehaviour } from "./native/index.js";
import { compileTextParser, type CompiledTextParser } from "./parsers/index.js";

export interface LogType {
  readonly name: string;
  readonly description: string;
  readonly schema: LogSchema;
  readonly compiled: CompiledSchema;
  /** The line parser of a text schema (fastmatch, regex, csv, a native text format); absent for JSON schemas. */
  readonly text?: CompiledTextParser | undefined;
  /** What Panther's built-in parser does beyond the fields (`parser: native`), see engine/native/. */
  readonly native?: NativeBehaviour | undefined;
}

/**
 * The events one framed JSON value holds for this log type: several when it is a file of events
 * (CloudTrail's `{"Records":[…]}`), else undefined (the value is one event).
 */
export function expandEvents(type: LogType, value: unknown): unknown[] | undefined {
  return type.native?.expandEvents?.(value);
}

/** Checks and compiles a schema document (its plain YAML value). */
export function buildLogType(value: unknown, defaultName: string): { logType?: LogType; issues: SchemaIssue[] } {
  const { schema, partial, issues } = checkSchema(value, defaultName);
  if (!schema) return { issues: partial ? [...issues, ...compilerIssues(partial, issues)] : issues };
  const compiled = compileSchema(schema);
  let text = compileTextParser(schema.parser);
  if (Array.isArray(compiled) || Array.isArray(text)) {
    return { issues: [...issues, ...(Array.isArray(compiled) ? compiled : []), ...(Array.isArray(text) ? text : [])] };
  }
  let native: NativeBehaviour | undefined;
  if (schema.parser && "native" in schema.parser) {
    const n = compileNative(schema.parser.native.name, schema, compiled);
    native = n.behaviour;
    text = n.text;
    issues.push(...n.issues);
  }
  return {
    logType: { name: schema.schema, description: schema.description ?? `${schema.schema} log type`, schema, compiled, text, native },
    issues,
  };
}

/**
 * Problems the compiler finds in a schema that also has structural errors, so that one run
 * reports them all. Only those about a place itself (a time format, a pattern, a
 * transformation) count: the parts left out of `partial` could make others appear wrongly
 * (a ref to a definition with an error would look unresolved).
 */
const LOCAL_RULES: ReadonlySet<string> = new Set(["invalid-time-format", "invalid-regex", "invalid-fastmatch", "invalid-expand-fields", "invalid-transformation", "unknown-indicator"]);

function compilerIssues(partial: PartialSchema, known: readonly SchemaIssue[]): SchemaIssue[] {
  let found: SchemaIssue[];
  try {
    const compiled = compileSchema(partial.schema);
    const text = compileTextParser(partial.schema.parser);
    found = [...(Array.isArray(compiled) ? compiled : []), ...(Array.isArray(text) ? text : [])];
  } catch {
    // A partial schema breaks what the compiler may assume; these wait until the errors are fixed.
    return [];
  }
  const seen = new Set(known.map((i) => `${i.rule} ${i.path.join(".")}`));
  return found
    .filter((i) => LOCAL_RULES.has(i.rule))
    .map((i) => ({ ...i, path: partial.documentPath(i.path) }))
    .filter((i) => !seen.has(`${i.rule} ${i.path.join(".")}`));
}
