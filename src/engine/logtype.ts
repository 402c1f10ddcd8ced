/** A log type ready to run: its checked schema plus the compiled normalizer (and text parser). */
import { checkSchema, type PartialSchema } from "../language/check.js";
import type { LogSchema, SchemaIssue } from "../language/types.js";
import { compileSchema, type CompiledSchema } from "./compile.js";
import type { NativeBehaviour } from "./native/index.js";
import { hasModule, optionalModule, type OptionalModuleName } from "./optional.js";
import type { CompiledTextParser } from "./parsers/index.js";

type Parsers = Pick<typeof import("./parsers/index.js"), "compileTextParser">;
type Native = Pick<typeof import("./native/index.js"), "compileNative">;

export interface LogType {
  readonly name: string;
  readonly description: string;
  readonly schema: LogSchema;
  readonly compiled: CompiledSchema;
  /** The line parser of a text schema (fastmatch, regex, csv, a native text format); absent for JSON schemas. */
  readonly text?: CompiledTextParser | undefined;
  /** What Panther's built-in parser does beyond the fields (`parser: native`), see engine/native/. */
  readonly native?: NativeBehaviour | undefined;
  /** Shipped with hexlog: the user's own schemas are blamed first when an event matches none equally. */
  readonly builtin?: boolean | undefined;
}

/**
 * The events one framed JSON value holds for this log type: several when it is a file of events
 * (CloudTrail's `{"Records":[…]}`), else undefined (the value is one event).
 */
export function expandEvents(type: LogType, value: unknown): unknown[] | undefined {
  return type.native?.expandEvents?.(value);
}

/** What a schema document (its plain value, checked or not) needs of the optional modules. */
function needs(value: unknown, into: Set<OptionalModuleName>): void {
  if (typeof value !== "object" || value === null || !("parser" in value)) return;
  const parser = (value as { parser: unknown }).parser;
  if (parser === undefined || parser === null) return;
  // Any parser, even a misspelt one, goes through compileTextParser (and its messages).
  into.add("parsers");
  if (typeof parser === "object" && "native" in parser) into.add("native");
}

/**
 * Loads the engine's optional modules (engine/optional.ts) that these schema documents use, each
 * once a process: a run whose schemas have no `parser` never loads the text or native parsers.
 */
export async function prepareFor(values: Iterable<unknown>): Promise<void> {
  const need = new Set<OptionalModuleName>();
  for (const v of values) needs(v, need);
  // Each registers itself (provideModule) as it loads.
  const loads: Array<Promise<unknown>> = [];
  if (need.has("parsers") && !hasModule("parsers")) loads.push(import("./parsers/index.js"));
  if (need.has("native") && !hasModule("native")) loads.push(import("./native/index.js"));
  await Promise.all(loads);
}

/** A text schema's parser; the parsers' module is needed only by schemas that have one. */
function compileTextParser(spec: LogSchema["parser"]): CompiledTextParser | SchemaIssue[] | undefined {
  return spec === undefined ? undefined : (optionalModule("parsers") as Parsers).compileTextParser(spec);
}

/**
 * Checks and compiles a schema document (its plain YAML value). A schema with a `parser` needs the
 * engine's optional modules: `await prepareFor([value])` first (engine/optional.ts), unless they
 * were imported statically (engine/all-modules.ts: the library's entry, src/index.ts, does so).
 */
export function buildLogType(value: unknown, defaultName: string, builtin = false): { logType?: LogType; issues: SchemaIssue[] } {
  const { schema, partial, issues } = checkSchema(value, defaultName);
  if (!schema) return { issues: partial ? [...issues, ...compilerIssues(partial, issues)] : issues };
  return compileChecked(schema, issues, builtin);
}

/**
 * Compiles a schema that checkSchema has passed without findings, as the build does for each
 * built-in and keeps the result in its bundle (src/catalog/files.ts): a run using a built-in
 * then spends nothing on checking it again.
 */
export function buildCheckedLogType(schema: LogSchema, builtin = false): { logType?: LogType; issues: SchemaIssue[] } {
  return compileChecked(schema, [], builtin);
}

function compileChecked(schema: LogSchema, issues: SchemaIssue[], builtin: boolean): { logType?: LogType; issues: SchemaIssue[] } {
  let text = compileTextParser(schema.parser);
  // The parser's plain fields spare the record writer its escape checks.
  const compiled = compileSchema(schema, Array.isArray(text) ? undefined : text?.plainFields);
  if (Array.isArray(compiled) || Array.isArray(text)) {
    return { issues: [...issues, ...(Array.isArray(compiled) ? compiled : []), ...(Array.isArray(text) ? text : [])] };
  }
  let native: NativeBehaviour | undefined;
  if (schema.parser && "native" in schema.parser) {
    const n = (optionalModule("native") as Native).compileNative(schema.parser.native.name, schema, compiled);
    native = n.behaviour;
    text = n.text;
    issues.push(...n.issues);
  }
  return {
    logType: { name: schema.schema, description: schema.description ?? `${schema.schema} log type`, schema, compiled, text, native, builtin },
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
