/**
 * The keys of the language: where each may be written, which types it applies to, and the JSON
 * Schema of its value (its `description` is the docs editors show). The checker takes its key
 * lists and applicability rules from here; the editor JSON Schema is generated from it
 * (to-json-schema.ts).
 */
import { FIELD_TYPE_VOCABULARY, FIELD_TYPES, type FieldType } from "./field-types.js";
import { ENUM_DOCS_KEYWORD, MESSAGE_KEYWORD, ref, RULE_KEYWORD, type JsonSchema } from "./json-schema-types.js";
import { DEFINITION_NAME, DEFINITION_NAME_RULE, LOG_TYPE_NAME, LOG_TYPE_NAME_RULE } from "../names.js";
import { INDICATOR_NAMES, INDICATOR_VOCABULARY } from "./indicator-kinds.js";
import { NAMED_TIME_FORMATS, TIME_FORMAT_FAMILIES, TIME_FORMAT_NAMES } from "./time-formats.js";

export interface Keyword {
  /**
   * "value": any value schema (fields, array elements, definitions); "field": named fields only
   * (transformations, name, required).
   */
  readonly scope: "value" | "field";
  /** The types on which it means something; absent: every type. */
  readonly appliesTo?: readonly FieldType[];
  /** The JSON Schema of its value. */
  readonly schema: JsonSchema;
  /** Written in place rather than as a definition of its own in the generated JSON Schema. */
  readonly inline?: boolean;
  /** When a value schema lacks it: the rule and the message. */
  readonly missing?: { readonly rule: string; readonly message: string };
}

/** Shapes several keys share (definitions of the generated JSON Schema). */
export const SHARED_SHAPES = {
  nonEmptyString: { type: "string", minLength: 1 },
  nonEmptyStrings: { type: "array", minItems: 1, items: ref("nonEmptyString") },
  strings: { type: "array", items: { type: "string" } },
  expandFields: {
    description: "Extra fields built from templates over the extracted ones, e.g. ts: '%{date}T%{time}Z'.",
    type: "object",
    additionalProperties: { type: "string" },
  },
  path: {
    description: "Keys joined by dots, relative to the object holding the field, e.g. actor.email (a numeric key indexes an array).",
    type: "string",
    pattern: "^[^.]+(\\.[^.]+)*$",
    [MESSAGE_KEYWORD]: "a path is keys joined by single dots, e.g. actor.email",
    [RULE_KEYWORD]: "invalid-transformation",
  },
} as const satisfies Record<string, JsonSchema>;

export const IP_FAMILIES = ["ipv4", "ipv6", "any"] as const;
export type IpFamily = (typeof IP_FAMILIES)[number];

export const HASH_ALGORITHMS = ["md5", "sha1", "sha256", "sha512"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export const MASK_TYPES = ["redact", "hash"] as const;

/** The options of `validate:`, each checked on a string value. */
export const VALIDATE_OPTIONS = {
  allow: { description: "The value must be one of these.", ...ref("nonEmptyStrings") },
  deny: { description: "The value must be none of these.", ...ref("nonEmptyStrings") },
  ip: { description: "The value must be an IP address of this family.", ...ref("ipFamily") },
  cidr: { description: "The value must be a CIDR range of this family.", ...ref("ipFamily") },
} as const satisfies Record<string, JsonSchema>;

/** Two keys of which a value schema may have only one. */
export const TIME_FORMAT_CONFLICT = { keys: ["timeFormat", "timeFormats"], rule: "conflicting-keys", message: "use either timeFormat or timeFormats, not both" } as const;

/** The keys of a field entry and of value schemas, in the order messages list them. */
export const KEYWORDS = {
  name: {
    scope: "field",
    schema: { description: "The key in the input JSON; the record keeps the same name.", type: "string", minLength: 1, [RULE_KEYWORD]: "empty-name" },
    missing: { rule: "empty-name", message: "field has no name" },
  },
  required: {
    scope: "field",
    inline: true,
    schema: { description: "The event fails (does not match this log type) when the field is absent or null.", type: "boolean" },
  },
  type: {
    scope: "value",
    schema: {
      description: "How the value is read.",
      enum: FIELD_TYPES,
      [ENUM_DOCS_KEYWORD]: FIELD_TYPES.map((t) => FIELD_TYPE_VOCABULARY[t].description),
      [RULE_KEYWORD]: "unknown-type",
    },
    missing: { rule: "missing-type", message: "field has no type" },
  },
  description: { scope: "value", schema: { description: "Documentation for people reading the schema.", type: "string" } },
  fields: {
    scope: "value",
    appliesTo: ["object"],
    schema: { description: "The fields of each event (or of an object), in output order.", type: "array", minItems: 1, items: ref("field"), [RULE_KEYWORD]: "missing-fields" },
    missing: { rule: "missing-fields", message: "fields are missing" },
  },
  element: { scope: "value", appliesTo: ["array"], inline: true, schema: ref("value") },
  target: {
    scope: "value",
    appliesTo: ["ref"],
    schema: { description: "The name of a definition (type: ref).", type: "string", minLength: 1, [RULE_KEYWORD]: "missing-target" },
  },
  // On an array of strings too, with a warning (check.ts): Panther's managed schemas do that.
  indicators: {
    scope: "value",
    appliesTo: ["string"],
    schema: {
      description: "Indicator scanners run on the string value; found values go to p_any_* fields.",
      type: "array",
      minItems: 1,
      items: { enum: INDICATOR_NAMES, [ENUM_DOCS_KEYWORD]: INDICATOR_NAMES.map((n) => INDICATOR_VOCABULARY[n]), [RULE_KEYWORD]: "unknown-indicator" },
    },
  },
  validate: {
    scope: "value",
    appliesTo: ["string"],
    schema: {
      description: "Checks on a string value; an event that fails them does not match this log type.",
      type: "object",
      additionalProperties: false,
      properties: VALIDATE_OPTIONS,
    },
  },
  timeFormat: {
    scope: "value",
    appliesTo: ["timestamp"],
    schema: {
      description: `${TIME_FORMAT_NAMES.join(", ")}, ${TIME_FORMAT_FAMILIES.strftime.description}, or ${TIME_FORMAT_FAMILIES.layout.prefix}<Go reference layout>.`,
      type: "string",
      anyOf: [{ enum: TIME_FORMAT_NAMES, [ENUM_DOCS_KEYWORD]: TIME_FORMAT_NAMES.map((n) => NAMED_TIME_FORMATS[n]) }, { pattern: TIME_FORMAT_FAMILIES.strftime.jsonPattern }, { pattern: TIME_FORMAT_FAMILIES.layout.jsonPattern }],
      [MESSAGE_KEYWORD]: `a time format is ${TIME_FORMAT_NAMES.join(", ")}, a strftime format with % directives, or ${TIME_FORMAT_FAMILIES.layout.prefix}<Go layout>`,
      [RULE_KEYWORD]: "invalid-time-format",
    },
  },
  timeFormats: {
    scope: "value",
    appliesTo: ["timestamp"],
    schema: { description: "Time formats tried in order; the first that reads the value wins.", type: "array", minItems: 1, items: ref("timeFormat") },
  },
  isEventTime: {
    scope: "value",
    appliesTo: ["timestamp"],
    schema: { description: "This timestamp becomes p_event_time (the first non-null one in schema order wins).", type: "boolean" },
  },
  isEmbeddedJSON: {
    scope: "value",
    appliesTo: ["object", "array", "json"],
    schema: { description: "The value arrives as a string holding JSON (object, array or json fields).", type: "boolean" },
  },
  // Transformations (see language/types.ts for what each does and their order).
  rename: {
    scope: "field",
    schema: {
      description: "Take the value from another key of the same object (the key is consumed).",
      type: "object",
      additionalProperties: false,
      required: ["from"],
      properties: { from: { description: "The input key, taken literally (dots included).", ...ref("nonEmptyString") } },
    },
  },
  copy: {
    scope: "field",
    schema: {
      description: "Take the value at a path; the source stays where it is.",
      type: "object",
      additionalProperties: false,
      required: ["from"],
      properties: { from: ref("path") },
    },
  },
  concat: {
    scope: "field",
    schema: {
      description: "Join the values at several paths (those present) into one string.",
      type: "object",
      additionalProperties: false,
      required: ["paths"],
      properties: {
        paths: { description: "The paths of the parts, in order.", type: "array", minItems: 1, items: ref("path") },
        separator: { description: "Text put between the parts (default: none).", type: "string" },
      },
    },
  },
  split: {
    scope: "field",
    schema: {
      description: "Cut the text at every separator: one part with index, all parts (for an array field) without.",
      type: "object",
      additionalProperties: false,
      required: ["separator"],
      properties: {
        separator: { description: "The text to cut at.", ...ref("nonEmptyString") },
        index: { description: "Which part to keep, from 0; -1 is the last.", type: "integer" },
        from: { description: "Split the value at this path instead of the field's own.", ...ref("path") },
      },
    },
  },
  mask: {
    scope: "field",
    schema: {
      description: "Hide a string value: redact it, or replace it with a hex digest.",
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: {
        type: { description: "redact (replace the value with to) or hash (salted digest).", enum: MASK_TYPES, [RULE_KEYWORD]: "invalid-transformation" },
        to: { description: "redact: the replacement text (default ***).", type: "string" },
        algorithm: { description: "hash: the digest (default sha256).", enum: HASH_ALGORITHMS, [RULE_KEYWORD]: "invalid-transformation" },
        salt: { description: "hash: text put before the value (default none).", type: "string" },
      },
    },
  },
} as const satisfies Record<string, Keyword>;

export type KeywordName = keyof typeof KEYWORDS;

/** The transformations, in the order they run (types.ts). */
export const TRANSFORMATIONS = ["rename", "copy", "concat", "split", "mask"] as const satisfies readonly KeywordName[];
export type TransformationKey = (typeof TRANSFORMATIONS)[number];

const entries = Object.entries(KEYWORDS) as Array<[KeywordName, Keyword]>;

/** Keys of any value schema (array elements, definitions). */
export const VALUE_KEYS: readonly KeywordName[] = entries.filter(([, k]) => k.scope === "value").map(([n]) => n);

/** Keys of a field entry: its name and required, the value keys, the transformations. */
export const FIELD_KEYS: readonly KeywordName[] = [
  ...entries.filter(([n, k]) => k.scope === "field" && !(TRANSFORMATIONS as readonly string[]).includes(n)).map(([n]) => n),
  ...VALUE_KEYS,
  ...TRANSFORMATIONS,
];

/** Keys that mean something on some types only, with those types. */
export const TYPE_BOUND_KEYS: ReadonlyArray<[KeywordName, readonly FieldType[]]> = entries.flatMap(([n, k]) => (k.appliesTo ? [[n, k.appliesTo] as [KeywordName, readonly FieldType[]]] : []));

export function appliesTo(key: KeywordName, type: FieldType): boolean {
  const types: readonly FieldType[] | undefined = (KEYWORDS[key] as Keyword).appliesTo;
  return types === undefined || types.includes(type);
}

/** The top-level keys of a schema document. */
export const TOP_KEYWORDS = {
  schema: {
    description: "Log type name, e.g. Custom.MyApp: dot-separated segments, each starting with an upper-case letter.",
    type: "string",
    pattern: LOG_TYPE_NAME.source,
    [MESSAGE_KEYWORD]: LOG_TYPE_NAME_RULE,
    [RULE_KEYWORD]: "invalid-name",
  },
  description: { description: "What these logs are.", type: "string" },
  referenceURL: {
    description: "Link to the vendor's documentation of the log format (http or https), or -.",
    type: "string",
    pattern: "^(https?://[^\\s]+|-)$",
    [MESSAGE_KEYWORD]: "must be an http:// or https:// URL, or -",
    [RULE_KEYWORD]: "invalid-url",
  },
  version: { description: "Schema language version; always 0.", const: 0, [RULE_KEYWORD]: "invalid-value" },
  fieldDiscoveryEnabled: { description: "Panther adds fields seen in the data that the schema does not list.", type: "boolean" },
  parser: ref("parser"),
  fields: ref("fields"),
  definitions: {
    description: "Named value schemas, used by fields with type: ref and target: <Name>.",
    type: "object",
    propertyNames: { pattern: DEFINITION_NAME.source, [MESSAGE_KEYWORD]: DEFINITION_NAME_RULE, [RULE_KEYWORD]: "invalid-name" },
    additionalProperties: ref("value"),
  },
} as const satisfies Record<string, JsonSchema>;

export const TOP_KEYS = Object.keys(TOP_KEYWORDS) as ReadonlyArray<keyof typeof TOP_KEYWORDS>;
