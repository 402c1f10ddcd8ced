/**
 * `--format lake`: records the way Panther's data lake stores rows, for diffing against Panther
 * exports:
 *   - every timestamp (schema fields, array elements, p_event_time, p_parse_time) in UTC as
 *     `2006-01-02 15:04:05.000000000`, always nine fraction digits;
 *   - every declared field name renamed to a column name: A-Z a-z 0-9 _ - kept, `@ , \` ' $ * & ! %
 *     + / \ # ~ =` spelled as words (`@foo` → `at_sign_foo`), other letters transliterated to
 *     ASCII (`é` → `e`), anything else `_`. Keys inside `json` values are data and stay as they are.
 */
import anyAscii from "any-ascii";
import type { LogType } from "../engine/logtype.js";
import { parseLossless } from "../engine/lossless-json.js";
import { restoreRaw } from "../engine/raw-json.js";
import type { FieldSchema, ValueSchema } from "../language/types.js";

type Rewrite = (v: unknown) => unknown;

/** JSON.parse rounds integer literals beyond 2^53 (16 digits or more). */
const LONG_DIGITS = /[0-9]{16}/;

export class LakeFormatter {
  private readonly rewrites = new Map<string, Rewrite>();

  constructor(private readonly types: readonly LogType[]) {}

  /** One record (JSON text, as the engine makes it) in lake form. */
  format(logType: string, json: string): string {
    let rewrite = this.rewrites.get(logType);
    if (!rewrite) {
      const type = this.types.find((t) => t.name === logType);
      if (!type) throw new Error(`no log type ${logType}`);
      rewrite = recordRewrite(type);
      this.rewrites.set(logType, rewrite);
    }
    const exact = LONG_DIGITS.test(json);
    const record = exact ? parseLossless(json) : (JSON.parse(json) as unknown);
    const out = JSON.stringify(rewrite(record));
    // Lossless numbers serialize as raw markers (see raw-json.ts).
    return exact ? restoreRaw(out) : out;
  }
}

function recordRewrite(type: LogType): Rewrite {
  const defs = type.schema.definitions ?? {};
  const body = objectRewrite(type.schema.fields, defs, []);
  return (v) => {
    const o = v as Record<string, unknown>;
    const out = body(o) as Record<string, unknown>;
    // The p_ fields follow the schema's fields, in the record's order; their names are columns already.
    for (const k of Object.keys(o)) {
      if (!k.startsWith("p_")) continue;
      out[k] = k === "p_event_time" || k === "p_parse_time" ? lakeTimestamp(o[k]) : o[k];
    }
    return out;
  };
}

function objectRewrite(fields: readonly FieldSchema[], defs: Record<string, ValueSchema>, expanding: string[]): Rewrite {
  const parts = fields.map((f) => ({ name: f.name, column: columnName(f.name), rewrite: valueRewrite(f, defs, expanding) }));
  return (v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const p of parts) {
      const x = o[p.name];
      if (x !== undefined) out[p.column] = p.rewrite ? p.rewrite(x) : x;
    }
    return out;
  };
}

/** How a value of this schema changes; undefined when it stays as it is. */
function valueRewrite(vs: ValueSchema, defs: Record<string, ValueSchema>, expanding: string[]): Rewrite | undefined {
  switch (vs.type) {
    case "timestamp":
      return lakeTimestamp;
    case "object":
      return objectRewrite(vs.fields ?? [], defs, expanding);
    case "array": {
      const element = vs.element ? valueRewrite(vs.element, defs, expanding) : undefined;
      if (!element) return undefined;
      return (v) => (Array.isArray(v) ? v.map((x: unknown) => (x === null ? null : element(x))) : v);
    }
    case "ref": {
      const target = vs.target ?? "";
      const def = defs[target];
      if (!def || expanding.includes(target)) return undefined;
      return valueRewrite(def, defs, [...expanding, target]);
    }
    default:
      return undefined;
  }
}

const CANONICAL = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?Z$/;

/** `2026-01-01T00:00:01.648Z` → `2026-01-01 00:00:01.648000000` (records hold canonical UTC text). */
export function lakeTimestamp(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const m = CANONICAL.exec(v);
  if (!m) return v;
  return `${m[1]} ${m[2]}.${(m[3] ?? "").padEnd(9, "0")}`;
}

const WORDS: Record<string, string> = {
  "@": "at_sign",
  ",": "comma",
  "`": "backtick",
  "'": "apostrophe",
  $: "dollar_sign",
  "*": "asterisk",
  "&": "ampersand",
  "!": "exclamation",
  "%": "percent",
  "+": "plus",
  "/": "slash",
  "\\": "backslash",
  "#": "hash",
  "~": "tilde",
  "=": "eq",
};

const cache = new Map<string, string>();

/** A field name as a data-lake column name (Panther's glueschema ColumnName). */
export function columnName(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const chars = [...name];
  let out = "";
  chars.forEach((c, i) => {
    if (/[A-Za-z0-9_-]/.test(c)) {
      out += c;
      return;
    }
    const word = WORDS[c];
    if (word !== undefined) {
      out += (i > 0 ? "_" : "") + word + (i < chars.length - 1 ? "_" : "");
      return;
    }
    if (/\p{L}/u.test(c)) {
      const ascii = anyAscii(c).replace(/[^A-Za-z0-9_-]/g, "");
      out += ascii === "" ? "_" : ascii;
      return;
    }
    out += "_";
  });
  cache.set(name, out);
  return out;
}
