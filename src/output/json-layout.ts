/**
 * Indented JSON the way people write test expectations: a value stays on one line when it fits
 * (short objects, indicator lists), and is spread over lines when it does not. Number literals
 * are kept as written.
 */
import { LosslessNumber, type LosslessValue } from "../engine/lossless-json.js";

export function layoutJson(v: LosslessValue, width = 100): string {
  return layout(v, "", 0, width);
}

/** `prefix` is how many characters precede the value on its line. */
function layout(v: LosslessValue, indent: string, prefix: number, width: number): string {
  const flat = oneLine(v);
  if (prefix + flat.length <= width || !isContainer(v)) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    return `[\n${v.map((x) => inner + layout(x, inner, inner.length, width)).join(",\n")}\n${indent}]`;
  }
  const members = Object.keys(v).map((k) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + layout(v[k] as LosslessValue, inner, inner.length + key.length, width);
  });
  return `{\n${members.join(",\n")}\n${indent}}`;
}

function isContainer(v: LosslessValue): v is LosslessValue[] | { [key: string]: LosslessValue } {
  return typeof v === "object" && v !== null && !(v instanceof LosslessNumber) && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function oneLine(v: LosslessValue): string {
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof LosslessNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(oneLine).join(", ")}]`;
  return `{${Object.keys(v)
    .map((k) => `${JSON.stringify(k)}: ${oneLine(v[k] as LosslessValue)}`)
    .join(", ")}}`;
}
