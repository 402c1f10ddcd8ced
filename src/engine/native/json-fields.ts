/** Where a schema's json fields are, for native parsers that look inside them. */
import type { FieldSchema, LogSchema, ValueSchema } from "../../language/types.js";

/** A path to json values: keys, with `[]` for every element of an array. */
export type JsonFieldPath = readonly string[];

const MAX_DEPTH = 64;

/** Every json field of a schema (refs followed), as record paths. */
export function jsonFieldPaths(schema: LogSchema): JsonFieldPath[] {
  const out: string[][] = [];
  const visit = (fields: readonly FieldSchema[], prefix: string[], depth: number): void => {
    for (const f of fields) value(f, [...prefix, f.name], depth);
  };
  const value = (vs: ValueSchema, path: string[], depth: number): void => {
    if (depth > MAX_DEPTH) return;
    let v: ValueSchema | undefined = vs;
    for (let n = 0; v?.type === "ref" && n <= MAX_DEPTH; n++) v = schema.definitions?.[v.target ?? ""];
    if (!v) return;
    if (v.type === "json") out.push(path);
    else if (v.type === "object") visit(v.fields ?? [], path, depth + 1);
    else if (v.type === "array" && v.element) value(v.element, [...path, "[]"], depth + 1);
  };
  visit(schema.fields, [], 0);
  return out;
}

/** Calls `f` with every value at `path` in a record. */
export function valuesAt(record: unknown, path: JsonFieldPath, f: (v: unknown) => void, i = 0): void {
  if (record === null || record === undefined) return;
  if (i === path.length) {
    f(record);
    return;
  }
  const seg = path[i] as string;
  if (seg === "[]") {
    if (Array.isArray(record)) for (const el of record) valuesAt(el, path, f, i + 1);
    return;
  }
  if (typeof record !== "object" || Array.isArray(record)) return;
  const o = record as Record<string, unknown>;
  if (Object.hasOwn(o, seg)) valuesAt(o[seg], path, f, i + 1);
}

/**
 * The value at a path of keys in an event, each key matched as Go's JSON decoder matches a
 * struct field: the exact key, else the first equal ignoring case. Undefined when absent.
 */
export function valueAtIgnoringCase(event: unknown, path: readonly string[]): unknown {
  let v = event;
  for (const key of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    if (Object.hasOwn(o, key)) {
      v = o[key];
      continue;
    }
    const lower = key.toLowerCase();
    const found = Object.keys(o).find((k) => k.toLowerCase() === lower);
    if (found === undefined) return undefined;
    v = o[found];
  }
  return v;
}
