/**
 * The field types of the language: each one's meaning and the key it cannot do without. The
 * checker, the JSON Schema (generated) and the compiler's exhaustive switch all read this list.
 */

/** A key a type needs, and what the checker and the JSON Schema say when it is missing. */
export interface NeededKey {
  readonly key: string;
  readonly rule: string;
  readonly message: string;
}

export interface FieldTypeEntry {
  /** What the type reads and what the record holds (docs). */
  readonly description: string;
  readonly needs?: NeededKey;
}

/** In the order messages list them ("expected one of string, int, …"). */
export const FIELD_TYPE_VOCABULARY = {
  string: { description: "Text; numbers and booleans keep their JSON literal, objects and arrays are errors." },
  int: { description: "A 32-bit integer, from a JSON number or a base-10 string." },
  smallint: { description: "A 16-bit integer, from a JSON number or a base-10 string." },
  bigint: { description: "A 64-bit integer, kept exact beyond 2^53." },
  float: { description: "A finite double; NaN and Infinity are errors." },
  boolean: { description: "true/false, 1/0, or the strings Go's ParseBool accepts." },
  timestamp: {
    description: "A point in time read by its time formats, written as UTC RFC 3339 with nanoseconds.",
    needs: { key: "timeFormat", rule: "missing-time-format", message: "timestamp has no timeFormat (e.g. rfc3339, unix_ms, or a strftime format)" },
  },
  array: { description: "A list whose items all have the element's schema.", needs: { key: "element", rule: "missing-element", message: "array has no element" } },
  object: { description: "A mapping with the listed fields (others are dropped).", needs: { key: "fields", rule: "missing-fields", message: "object has no fields" } },
  json: { description: "Any JSON value, kept as it is." },
  ref: {
    description: "The value schema of a definition, by name.",
    needs: { key: "target", rule: "missing-target", message: "ref has no target (the name of a definition)" },
  },
} as const satisfies Record<string, FieldTypeEntry>;

export type FieldType = keyof typeof FIELD_TYPE_VOCABULARY;

export const FIELD_TYPES = Object.keys(FIELD_TYPE_VOCABULARY) as readonly FieldType[];

export function isFieldType(name: unknown): name is FieldType {
  return typeof name === "string" && Object.hasOwn(FIELD_TYPE_VOCABULARY, name);
}

/** The types that need a key, with it (object → fields, …). */
export function neededKeys(): Array<[FieldType, NeededKey]> {
  return Object.entries(FIELD_TYPE_VOCABULARY).flatMap(([type, entry]: [string, FieldTypeEntry]) => (entry.needs ? [[type as FieldType, entry.needs] as [FieldType, NeededKey]] : []));
}
