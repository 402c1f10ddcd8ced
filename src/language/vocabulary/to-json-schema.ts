/**
 * The editor JSON Schema of the language (schemas/logschema.schema.json), generated from the
 * vocabulary: `npm run build` writes it (scripts/build-json-schema.mjs) and compiles it into
 * validate-schema's standalone validator; a test fails when the checked-in file differs.
 */
import { FIELD_TYPE_VOCABULARY, type FieldTypeEntry } from "./field-types.js";
import { MESSAGE_KEYWORD, ref, RULE_KEYWORD, type JsonSchema } from "./json-schema-types.js";
import { FIELD_KEYS, IP_FAMILIES, KEYWORDS, SHARED_SHAPES, TIME_FORMAT_CONFLICT, TOP_KEYWORDS, VALUE_KEYS, type Keyword, type KeywordName } from "./keywords.js";
import { PARSER_NAMES, PARSER_VOCABULARY, parserOptions, type ParserEntry } from "./parsers.js";

/** The file name under schemas/. */
export const JSON_SCHEMA_FILE = "logschema.schema.json";

function keywordProperties(keys: readonly KeywordName[]): Record<string, JsonSchema> {
  return Object.fromEntries(keys.map((k) => [k, (KEYWORDS[k] as Keyword).inline ? KEYWORDS[k].schema : ref(k)]));
}

/** The keys each type cannot do without, and the pair that excludes each other. */
function typeRequirements(): JsonSchema {
  const needs = Object.entries(FIELD_TYPE_VOCABULARY).flatMap(([type, entry]: [string, FieldTypeEntry]) => {
    if (!entry.needs) return [];
    const condition: Record<string, unknown> = { required: ["type"], properties: { type: { const: type } } };
    // A timestamp's formats may come as the one-element form or the list.
    const other = TIME_FORMAT_CONFLICT.keys.find((k) => k !== entry.needs?.key);
    if (type === "timestamp" && other !== undefined) condition.not = { required: [other] };
    return [{ if: condition, then: { required: [entry.needs.key] } }];
  });
  const conflict = { not: { type: "object", required: TIME_FORMAT_CONFLICT.keys }, [MESSAGE_KEYWORD]: TIME_FORMAT_CONFLICT.message, [RULE_KEYWORD]: TIME_FORMAT_CONFLICT.rule };
  return { description: "Keys each type cannot do without.", allOf: [...needs, conflict] };
}

function parserSchema(entry: ParserEntry, name: string): JsonSchema {
  const out: Record<string, unknown> = { description: entry.description, type: "object", additionalProperties: false };
  if (entry.required.length > 0) out.required = entry.required;
  out.properties = parserOptions(name as keyof typeof PARSER_VOCABULARY);
  return out;
}

/** The whole JSON Schema document. */
export function languageJsonSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {
    fields: KEYWORDS.fields.schema,
    field: {
      description: "A named field: its name in the input and the record, and how its value is read.",
      type: "object",
      additionalProperties: false,
      required: ["name", "type"],
      properties: keywordProperties(FIELD_KEYS),
      allOf: [ref("typeRequirements")],
    },
    value: {
      description: "A value schema without a name: an array's element or a definition (transformations belong to fields).",
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: keywordProperties(VALUE_KEYS),
      allOf: [ref("typeRequirements")],
    },
    typeRequirements: typeRequirements(),
  };
  for (const key of FIELD_KEYS) {
    const k: Keyword = KEYWORDS[key];
    if (!k.inline && !(key in definitions)) definitions[key] = k.schema;
  }
  definitions.ipFamily = { enum: IP_FAMILIES };
  Object.assign(definitions, SHARED_SHAPES);
  definitions.parser = {
    description: `How each input line becomes an event; without a parser the input is JSON. Exactly one of ${PARSER_NAMES.join(", ")}.`,
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    properties: Object.fromEntries(PARSER_NAMES.map((p) => [p, ref(p)])),
    [RULE_KEYWORD]: "parser-count",
  };
  for (const p of PARSER_NAMES) definitions[p] = parserSchema(PARSER_VOCABULARY[p], p);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Panther log schema (hexlog)",
    description:
      "A custom log schema in Panther's YAML language, as hexlog reads it. Checked by `hexlog validate-schema`; editors use it through yaml-language-server. Generated from src/language/vocabulary/ by `npm run build`: edit the vocabulary, not this file.",
    type: "object",
    additionalProperties: false,
    required: ["fields"],
    properties: TOP_KEYWORDS,
    definitions,
  };
}

/**
 * The file's text: JSON with two-space indents, where a value short enough stays on one line
 * (as people would write it), ending with a newline.
 */
export function formatJsonSchema(doc: JsonSchema): string {
  return `${format(doc, "")}\n`;
}

const WIDTH = 120;

/** `column`: where the value starts on its line. */
function format(value: unknown, indent: string, column = indent.length): string {
  const flat = flatJson(value);
  if (column + flat.length <= WIDTH || typeof value !== "object" || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + format(v, inner)).join(",\n")}\n${indent}]`;
  const items = Object.entries(value).map(([k, v]) => {
    const key = `${inner}${JSON.stringify(k)}: `;
    return key + format(v, inner, key.length);
  });
  return `{\n${items.join(",\n")}\n${indent}}`;
}

function flatJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flatJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const items = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${flatJson(v)}`);
    return items.length === 0 ? "{}" : `{ ${items.join(", ")} }`;
  }
  return JSON.stringify(value);
}
