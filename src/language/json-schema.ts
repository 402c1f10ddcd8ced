/**
 * The JSON Schema of the log schema language, run by ajv, with its errors turned into schema
 * issues: a path, a rule id, a message a person understands. The JSON Schema is generated from
 * the vocabulary (vocabulary/to-json-schema.ts; schemas/logschema.schema.json is its copy for
 * editors).
 *
 * The build compiles the JSON Schema into standalone validation code
 * (scripts/build-validator.mjs → dist/language/logschema-validator.js), so a run imports one
 * generated module instead of loading and compiling with ajv (about 130 ms). Running from the
 * sources (unit tests), ajv compiles it here instead, with the same options.
 */
import type { Ajv, Options } from "ajv";
import { describe } from "./check.js";
import { didYouMean } from "./suggest.js";
import type { SchemaIssue, SchemaPath } from "./types.js";
import { FIELD_TYPE_VOCABULARY, isFieldType, type FieldTypeEntry } from "./vocabulary/field-types.js";
import { ENUM_DOCS_KEYWORD, MESSAGE_KEYWORD, RULE_KEYWORD } from "./vocabulary/json-schema-types.js";
import { KEYWORDS, type Keyword } from "./vocabulary/keywords.js";
import { MISSING_MATCH } from "./vocabulary/parsers.js";
import { languageJsonSchema } from "./vocabulary/to-json-schema.js";

/** What hexlog reads from an ajv error (compiled with allErrors and verbose). */
interface AjvError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  schema?: unknown;
  parentSchema?: Record<string, unknown>;
  data?: unknown;
  message?: string;
}

interface ValidateFunction {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** Checks a schema document (its plain YAML value) against the JSON Schema. */
export type JsonSchemaCheck = (value: unknown) => SchemaIssue[];

/** One ajv set-up for the build and for runs from source, so both validate alike. */
export async function createAjv(extra: Options = {}): Promise<Ajv> {
  const { Ajv } = await import("ajv");
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strictSchema: true,
    // The conditional parts (`if: {required: [type]}`) are fine without type annotations.
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
    // Only minLength 1 is used, where UTF-16 length is as good (and standalone code needs no runtime import).
    unicode: false,
    logger: false,
    ...extra,
  });
  ajv.addKeyword({ keyword: RULE_KEYWORD, schemaType: "string" });
  ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: "string" });
  ajv.addKeyword({ keyword: ENUM_DOCS_KEYWORD, schemaType: "array" });
  return ajv;
}

let loaded: Promise<ValidateFunction> | undefined;

/** The JSON Schema check, loaded once per process. */
export async function loadJsonSchemaCheck(): Promise<JsonSchemaCheck> {
  loaded ??= loadValidateFunction();
  const validate = await loaded;
  return (value) => (validate(value) ? [] : issuesFromErrors(validate.errors ?? [], value));
}

async function loadValidateFunction(): Promise<ValidateFunction> {
  try {
    // A computed specifier: the module exists only in dist/language/, after the build (the path
    // holds from there and from the command line's bundle in dist/bin/).
    const url = new URL("../language/logschema-validator.js", import.meta.url);
    const mod = (await import(url.href)) as { default: ValidateFunction };
    return mod.default;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw e;
  }
  const ajv = await createAjv();
  return ajv.compile(languageJsonSchema()) as unknown as ValidateFunction;
}

/** Keywords whose sub-errors only explain why the alternatives failed; the outer error says it better. */
const CONTAINERS = new Set(["anyOf", "oneOf", "propertyNames"]);

/**
 * What the semantic checker says of a missing key, so that the two agree (and merge): the
 * vocabulary's words for a key the value's type needs, a key every field needs, or `match`.
 */
function missingKey(key: string, data: unknown): { rule: string; message: string } {
  const type = typeof data === "object" && data !== null ? (data as Record<string, unknown>).type : undefined;
  const needs = isFieldType(type) ? (FIELD_TYPE_VOCABULARY[type] as FieldTypeEntry).needs : undefined;
  if (needs?.key === key) return needs;
  if (Object.hasOwn(KEYWORDS, key)) {
    const missing = (KEYWORDS[key as keyof typeof KEYWORDS] as Keyword).missing;
    if (missing) return missing;
  }
  const forType = Object.values(FIELD_TYPE_VOCABULARY).find((t: FieldTypeEntry) => t.needs?.key === key) as FieldTypeEntry | undefined;
  if (forType?.needs) return forType.needs;
  if (key === "match") return MISSING_MATCH;
  return { rule: "missing-key", message: `"${key}" is required here` };
}

function issuesFromErrors(errors: readonly AjvError[], value: unknown): SchemaIssue[] {
  const inner = new Set<AjvError>();
  for (const e of errors) {
    if (!CONTAINERS.has(e.keyword)) continue;
    for (const other of errors) {
      if (other !== e && other.schemaPath.startsWith(`${e.schemaPath}/`) && other.instancePath.startsWith(e.instancePath)) inner.add(other);
    }
  }
  const out: SchemaIssue[] = [];
  for (const e of errors) {
    // `if` only reports that its `then` failed; the `then` error is listed on its own.
    if (inner.has(e) || e.keyword === "if") continue;
    out.push(toIssue(e, toPath(e.instancePath, value), errors));
  }
  return out;
}

function toIssue(e: AjvError, path: SchemaPath, all: readonly AjvError[]): SchemaIssue {
  const parent = e.parentSchema ?? {};
  const annotated = typeof parent[RULE_KEYWORD] === "string" ? (parent[RULE_KEYWORD] as string) : undefined;
  const custom = typeof parent[MESSAGE_KEYWORD] === "string" ? (parent[MESSAGE_KEYWORD] as string) : undefined;
  const label = labelOf(path);
  const issue = (rule: string, message: string, at: SchemaPath = path, atKey = false): SchemaIssue =>
    atKey ? { path: at, rule, message, severity: "error", atKey } : { path: at, rule, message, severity: "error" };

  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(e.params.additionalProperty);
      const known = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
      return issue("unknown-key", `unknown key "${key}"${didYouMean(key, known)}`, [...path, key], true);
    }
    case "type":
      return issue("type-mismatch", `${label} must be ${typeNames(e.params.type)}, got ${describe(e.data)}`);
    case "required": {
      const key = String(e.params.missingProperty);
      const { rule, message } = missingKey(key, e.data);
      return issue(rule, message, [...path, key]);
    }
    case "propertyNames": {
      const name = String(e.params.propertyName);
      const cause = all.find((x) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`) && x.instancePath === e.instancePath);
      const schema = cause?.parentSchema ?? {};
      const rule = typeof schema[RULE_KEYWORD] === "string" ? (schema[RULE_KEYWORD] as string) : "invalid-name";
      const why = typeof schema[MESSAGE_KEYWORD] === "string" ? (schema[MESSAGE_KEYWORD] as string) : (cause?.message ?? "is not allowed");
      return issue(rule, `"${name}": ${why}`, [...path, name], true);
    }
    case "not": {
      // `not: {required: [a, b]}`: point at the key that should not be there too.
      const required = (e.schema as { required?: unknown } | undefined)?.required;
      const key = Array.isArray(required) ? String(required[required.length - 1]) : undefined;
      return issue(annotated ?? "invalid-value", custom ?? `${label} is not allowed here`, key ? [...path, key] : path, Boolean(key));
    }
    case "enum": {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const hint = typeof e.data === "string" ? didYouMean(e.data, allowed) : "";
      if (annotated === "unknown-type") return issue(annotated, `unknown type ${JSON.stringify(e.data)}${hint}; expected one of ${allowed.join(", ")}`);
      if (annotated === "unknown-indicator") return issue(annotated, `unknown indicator ${JSON.stringify(e.data)}${hint}`);
      return issue(annotated ?? "invalid-value", `${label} must be one of ${allowed.join(", ")}, got ${describe(e.data)}${hint}`);
    }
    case "anyOf": {
      const choices = enumsIn(parent.anyOf);
      const hint = typeof e.data === "string" ? didYouMean(e.data, choices) : "";
      return issue(annotated ?? "invalid-value", `${label} ${describe(e.data)}: ${custom ?? "matches none of the allowed forms"}${hint}`);
    }
    case "const":
      return issue(annotated ?? "invalid-value", `${label} must be ${JSON.stringify(e.params.allowedValue)}, got ${describe(e.data)}`);
    case "pattern":
      return issue(annotated ?? "invalid-value", `${label} ${describe(e.data)}: ${custom ?? `does not match ${String(e.params.pattern)}`}`);
    case "minItems":
      return issue(annotated ?? "empty-list", e.params.limit === 1 ? `${label} must not be empty` : `${label} needs at least ${String(e.params.limit)} items`);
    case "minLength":
      return issue(annotated ?? "empty-value", `${label} must not be empty`);
    case "maxLength":
      return issue(annotated ?? "invalid-value", `${label} ${describe(e.data)}: ${custom ?? `is longer than ${String(e.params.limit)}`}`);
    case "minProperties":
    case "maxProperties": {
      const known = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
      return issue(annotated ?? "invalid-value", `${label} must name exactly one of ${known.join(", ")}`);
    }
    case "minimum":
      return issue(annotated ?? "invalid-value", `${label} must be at least ${String(e.params.limit)}, got ${describe(e.data)}`);
    default:
      return issue(annotated ?? "invalid-value", `${label} ${e.message ?? "is not valid"}`);
  }
}

/** JSON pointer → schema path, with array indices as numbers (as the semantic checker writes them). */
function toPath(pointer: string, value: unknown): SchemaPath {
  if (pointer === "") return [];
  const out: Array<string | number> = [];
  let node = value;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      const i = Number(seg);
      out.push(i);
      node = node[i];
    } else {
      out.push(seg);
      node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/** What to call the value at a path in a message: its key, or "fields[2]" for list items. */
function labelOf(path: SchemaPath): string {
  if (path.length === 0) return "the schema";
  const last = path[path.length - 1];
  if (typeof last === "string") return last;
  const parent = path[path.length - 2];
  return parent === "fields" ? "a field" : `${String(parent ?? "item")}[${last}]`;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  boolean: "true or false",
  integer: "a whole number",
  number: "a number",
  null: "null",
};

function typeNames(t: unknown): string {
  const list = Array.isArray(t) ? t : String(t).split(",");
  return list.map((x) => TYPE_NAMES[String(x)] ?? String(x)).join(" or ");
}

function enumsIn(alternatives: unknown): string[] {
  if (!Array.isArray(alternatives)) return [];
  return alternatives.flatMap((a) => (Array.isArray((a as { enum?: unknown }).enum) ? ((a as { enum: unknown[] }).enum.map(String)) : []));
}

