/**
 * Reading schema files: YAML 1.2 text → a document that remembers where every node came from,
 * so later findings can point at file:line:column.
 */
import { readFile, stat } from "node:fs/promises";
import { Document, isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import type { SchemaPath } from "./types.js";

export interface SchemaSource {
  /** Path as given by the user (or the built-in file path). */
  file: string;
  text: string;
  /** The parsed YAML (absent for built-ins, which are bundled as JSON at build time). */
  doc?: Document;
  lineCounter?: LineCounter;
  /** Plain JS value of the document (null when YAML could not be read). */
  value: unknown;
  builtin: boolean;
}

export interface Position {
  line: number;
  col: number;
}

/** A problem reading a schema file (YAML syntax unless `rule` says otherwise), with its position. */
export interface YamlProblem extends Position {
  message: string;
  rule?: "schema-size";
}

/** Limits that keep hostile YAML (alias bombs, huge files) from eating the machine. */
const MAX_ALIAS_COUNT = 100;
/** Real log schemas are a few KiB; the largest of Panther's managed ones are well under this. */
export const MAX_SCHEMA_BYTES = 1024 * 1024;

export function parseSchemaText(text: string, file: string, builtin = false): { source: SchemaSource; problems: YamlProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: "1.2", prettyErrors: false, uniqueKeys: true });
  const problems: YamlProblem[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { line: pos.line, col: pos.col, message: firstLine(e.message) };
  });
  let value: unknown = null;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      problems.push({ line: 1, col: 1, message: firstLine((e as Error).message) });
    }
  }
  for (const p of problems) {
    // The YAML reader recurses per nesting level; a stack overflow is reported as one.
    if (/call stack/i.test(p.message)) p.message = "nested too deeply to read (a log schema needs far fewer levels)";
  }
  return { source: { file, text, doc, lineCounter, value, builtin }, problems };
}

/** Where a schema path points in the YAML source (the key's value, or the nearest parent). */
export function locate(source: SchemaSource, path: SchemaPath, atKey = false): Position {
  const { doc, lineCounter } = source;
  if (!doc || !lineCounter) return { line: 1, col: 1 };
  if (atKey && path.length > 0) {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
      if (pair && isNode(pair.key) && pair.key.range) {
        const p = lineCounter.linePos(pair.key.range[0]);
        return { line: p.line, col: p.col };
      }
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const p = lineCounter.linePos(node.range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return { line: 1, col: 1 };
}

export async function readSchemaFile(file: string, builtin = false): Promise<{ source: SchemaSource; problems: YamlProblem[] }> {
  const { size } = await stat(file);
  if (size > MAX_SCHEMA_BYTES) {
    const message = `too large for a log schema (${(size / 1048576).toFixed(1)} MiB; the limit is ${MAX_SCHEMA_BYTES / 1048576} MiB)`;
    return { source: { file, text: "", value: null, builtin }, problems: [{ line: 1, col: 1, message, rule: "schema-size" }] };
  }
  const text = await readFile(file, "utf8");
  return parseSchemaText(text, file, builtin);
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}
