/**
 * Schema drift report (--unknown-fields): counts input paths the schema does not declare.
 * Panther drops such fields silently; seeing them early tells users what their schema misses.
 */
import type { Shape } from "./compile.js";
import { isObject } from "./coerce.js";

/**
 * A key holding undefined is a field a text parser's dense object leaves out (TextParser.parse):
 * absent, as here and in countDeclaredFields. Parsed JSON never holds undefined.
 */
export function countUnknownFields(value: unknown, shape: Shape, counts: Map<string, number>, prefix = ""): void {
  if (shape.kind === "object") {
    if (!isObject(value)) return;
    for (const key of Object.keys(value)) {
      if (value[key] === undefined) continue;
      const child = shape.fields.get(key);
      const path = prefix === "" ? key : `${prefix}.${key}`;
      if (!child) counts.set(path, (counts.get(path) ?? 0) + 1);
      else countUnknownFields(value[key], child, counts, path);
    }
  } else if (shape.kind === "array") {
    if (!Array.isArray(value)) return;
    for (const el of value) countUnknownFields(el, shape.element, counts, `${prefix}[]`);
  }
}

/**
 * How many of an event's input paths a schema declares (array elements each count): how far
 * an event got with a log type, to blame the closest one when none accepts it.
 */
export function countDeclaredFields(value: unknown, shape: Shape): number {
  let n = 0;
  if (shape.kind === "object") {
    if (!isObject(value)) return 0;
    for (const key of Object.keys(value)) {
      const child = shape.fields.get(key);
      if (child && value[key] !== undefined) n += 1 + countDeclaredFields(value[key], child);
    }
  } else if (shape.kind === "array" && Array.isArray(value)) {
    for (const el of value) n += countDeclaredFields(el, shape.element);
  }
  return n;
}
