/** Indented, coloured JSON for humans (--pretty). Numbers keep their exact text. */
import type { Palette } from "./color.js";
import { escapeText } from "./escape.js";
import { LosslessNumber, parseLossless, type LosslessValue } from "../engine/lossless-json.js";

export function prettyRecord(json: string, c: Palette): string {
  return render(parseLossless(json), c, "");
}

function render(v: LosslessValue, c: Palette, indent: string): string {
  if (v === null) return c.gray("null");
  // JSON escapes C0 controls but leaves C1 and bidi characters raw.
  if (typeof v === "string") return c.green(escapeText(JSON.stringify(v)));
  if (typeof v === "boolean") return c.magenta(String(v));
  if (v instanceof LosslessNumber) return c.yellow(v.text);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + render(x, c, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return "{}";
  const lines = keys.map((k) => {
    const quoted = escapeText(JSON.stringify(k));
    const key = k.startsWith("p_") ? c.dimCyan(quoted) : c.cyan(quoted);
    return `${inner}${key}: ${render(v[k] as LosslessValue, c, inner)}`;
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}
