/**
 * fastmatch: patterns of literal text and `%{field}` placeholders, matched left to right with no
 * backtracking. Each field runs up to the first occurrence of the literal text after it; a last
 * field with nothing after it takes the rest of the line; a field between quotes (`"%{f}"`) has
 * backslash escapes decoded and may contain escaped quotes. Several patterns are tried in order.
 */
import type { SchemaIssue, SchemaPath } from "../../language/types.js";
import { splitPlaceholders } from "./placeholders.js";

interface Field {
  /** null for an anonymous `%{}`: it must match, but is not kept. */
  name: string | null;
  /** Literal text after the field ("" only for the last field: the rest of the line). */
  delim: string;
  /** The quote character around the field, or "" when it is not quoted. */
  quote: string;
}

export interface FastmatchPattern {
  prefix: string;
  fields: readonly Field[];
  /** Field names in order, null for anonymous ones. */
  keys: ReadonlyArray<string | null>;
}

/** How far a line got into a pattern: -1 (prefix), k (stopped at field k) or fields.length (match). */
export type Progress = number;

export function compileFastmatchPattern(source: string): FastmatchPattern | string {
  // A YAML block scalar keeps its final newline; lines never contain one.
  const text = source.endsWith("\n") ? source.slice(0, -1) : source;
  if (/[\r\n]/.test(text)) return "a pattern is one line, but this one contains a line break";
  const split = splitPlaceholders(text);
  if (typeof split === "string") return split;
  const { literals } = split;
  const names = split.names.map((n) => (n === "" ? null : n));
  if (names.length === 0) return "the pattern has no %{field} placeholder";
  const trailing = literals[names.length] as string;
  const seen = new Set<string>();
  const fields: Field[] = [];
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as string | null;
    const last = k === names.length - 1;
    const delim = last ? trailing : (literals[k + 1] as string);
    if (delim === "" && !last) {
      return `${describeField(name)} and ${describeField(names[k + 1] as string | null)} need literal text between them`;
    }
    if (name !== null) {
      if (seen.has(name)) return `field "${name}" appears twice`;
      seen.add(name);
    }
    const before = literals[k] as string;
    const q = before.slice(-1);
    const quote = (q === '"' || q === "'") && delim.startsWith(q) ? q : "";
    fields.push({ name, delim, quote });
  }
  return { prefix: literals[0] as string, fields, keys: names };
}

function describeField(name: string | null): string {
  return name === null ? "an unnamed %{}" : `%{${name}}`;
}

/** Matches one pattern; fills `values` and returns how far it got (fields.length on a match). */
export function matchPattern(p: FastmatchPattern, line: string, values: string[]): Progress {
  if (!line.startsWith(p.prefix)) return -1;
  let pos = p.prefix.length;
  const fields = p.fields;
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k] as Field;
    if (f.delim === "") {
      values[k] = line.slice(pos);
      return fields.length;
    }
    const end = line.indexOf(f.delim, pos);
    if (f.quote !== "") {
      const slash = line.indexOf("\\", pos);
      if (slash >= 0 && (end < 0 || slash < end)) {
        const next = readQuoted(line, pos, f, values, k);
        if (next < 0) return k;
        pos = next;
        continue;
      }
    }
    if (end < 0) return k;
    values[k] = line.slice(pos, end);
    pos = end + f.delim.length;
  }
  return fields.length;
}

/**
 * A quoted field holding backslashes: decodes escapes and stops at the first unescaped quote
 * that the rest of the delimiter follows. Returns the position after the delimiter, or -1.
 */
function readQuoted(line: string, pos: number, f: Field, values: string[], k: number): number {
  let out = "";
  let chunk = pos;
  for (let i = pos; i < line.length; ) {
    const c = line[i];
    if (c === "\\") {
      out += line.slice(chunk, i);
      const [text, next] = unescape(line, i);
      out += text;
      i = chunk = next;
    } else if (c === f.quote && line.startsWith(f.delim, i)) {
      values[k] = out + line.slice(chunk, i);
      return i + f.delim.length;
    } else {
      i++;
    }
  }
  return -1;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };

/**
 * The escape at `i` (a backslash) as Go string literals write them: \n, \t, \", \\, \xNN, \uNNNN,
 * \UNNNNNNNN, octal \NNN. Anything else is kept as written (a Windows path stays readable).
 */
export function unescape(line: string, i: number): [string, number] {
  const c = line[i + 1];
  if (c === undefined) return ["\\", i + 1];
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, i + 2];
  const hex = (n: number): number | null => {
    const digits = line.slice(i + 2, i + 2 + n);
    return digits.length === n && /^[0-9A-Fa-f]+$/.test(digits) ? parseInt(digits, 16) : null;
  };
  let code: number | null = null;
  let len = 0;
  if (c === "x") [code, len] = [hex(2), 4];
  else if (c === "u") [code, len] = [hex(4), 6];
  else if (c === "U") [code, len] = [hex(8), 10];
  else if (c >= "0" && c <= "7") {
    const digits = line.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 255) [code, len] = [parseInt(digits, 8), 4];
  }
  if (code === null || code > 0x10ffff) return [`\\${c}`, i + 2];
  return [String.fromCodePoint(code), i + len];
}

export interface FastmatchMatcher {
  readonly patterns: readonly FastmatchPattern[];
}

export function compileFastmatch(match: readonly string[], path: SchemaPath): FastmatchMatcher | SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const patterns: FastmatchPattern[] = [];
  match.forEach((source, i) => {
    const p = compileFastmatchPattern(source);
    if (typeof p === "string") issues.push({ path: [...path, "match", i], rule: "invalid-fastmatch", message: p, severity: "error" });
    else patterns.push(p);
  });
  return issues.length > 0 ? issues : { patterns };
}

/** Why a line failed a pattern, in words. */
export function describeMiss(p: FastmatchPattern, progress: Progress): string {
  if (progress < 0) return `the line does not start with ${JSON.stringify(p.prefix)}`;
  const f = p.fields[progress] as Field;
  return `no ${JSON.stringify(f.delim)} after ${f.name === null ? "the unnamed field" : `field "${f.name}"`}`;
}
