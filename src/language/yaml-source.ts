/**
 * Reading schema files: YAML 1.2 text → a document that remembers where every node came from,
 * so later findings can point at file:line:column.
 */
import { statSync } from "node:fs";
import { Document, isMap, isNode, isScalar, LineCounter, parseAllDocuments, parseDocument, type YAMLError } from "yaml";
import { CappedReadError, readCapped } from "./read-capped.js";
import type { SchemaPath } from "./types.js";
import { MAX_SCHEMA_BYTES } from "./schema-limits.js";

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
  /** `duplicate-key` for a key given twice in one mapping, `schema-size` for a file too large to read, else `yaml-syntax`. */
  rule: "yaml-syntax" | "duplicate-key" | "schema-size";
}

/** Limits that keep hostile YAML (alias bombs, huge files) from eating the machine. */
const MAX_ALIAS_COUNT = 100;
export { MAX_SCHEMA_BYTES };

const PARSE_OPTIONS = { version: "1.2", prettyErrors: false, uniqueKeys: true } as const;

/** `what` names the kind of file expected, for the hint when events were given instead. */
export function parseSchemaText(text: string, file: string, builtin = false, what = "a log schema"): { source: SchemaSource; problems: YamlProblem[] } {
  const events = eventsNotYaml(text, what);
  if (events) return { source: { file, text, value: null, builtin }, problems: [events] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, ...PARSE_OPTIONS });
  return toSource(doc, text, file, lineCounter, builtin);
}

/**
 * Several schemas in one text, separated by `---` (what a pipe such as `hexlog infer … |` delivers).
 * Positions stay relative to the whole text. Empty documents (a trailing `---`) are left out.
 */
export function parseSchemaDocuments(text: string, file: string): Array<{ source: SchemaSource; problems: YamlProblem[] }> {
  const events = eventsNotYaml(text, "a log schema");
  if (events) return [{ source: { file, text, value: null, builtin: false }, problems: [events] }];
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, ...PARSE_OPTIONS });
  if (!Array.isArray(docs)) return [];
  return docs.filter((d) => d.errors.length > 0 || !isEmptyDocument(d)).map((d) => toSource(d, text, file, lineCounter, false));
}

function isEmptyDocument(doc: Document): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}

/**
 * Event data given where YAML belongs (`hexlog sources events.ndjson`, an easy mix-up): two
 * lines that each hold a whole JSON object. One JSON object alone is YAML (API responses are).
 * Reading such a file as YAML costs gigabytes and yields an error per line; one hint says it all.
 */
export function eventsNotYaml(text: string, what: string): YamlProblem | undefined {
  let objects = 0;
  let start = 0;
  // Only the first lines are looked at: the test must stay cheap on a large file.
  while (objects < 2 && start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === "") continue;
    if (!line.startsWith("{") || !line.endsWith("}")) return undefined;
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    } catch {
      return undefined;
    }
    objects++;
  }
  if (objects < 2) return undefined;
  return { line: 2, col: 1, message: `this looks like NDJSON events (one JSON object per line), not ${what}`, rule: "yaml-syntax" };
}

function toSource(doc: Document, text: string, file: string, lineCounter: LineCounter, builtin: boolean): { source: SchemaSource; problems: YamlProblem[] } {
  // Stop at the first syntax error: those after it mostly follow from it, and a file that is not
  // YAML at all would give one per line.
  const syntax = doc.errors.filter((e) => yamlRule(e) === "yaml-syntax");
  const kept = doc.errors.filter((e) => yamlRule(e) !== "yaml-syntax" || e === syntax[0]);
  const problems: YamlProblem[] = kept.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    const more = e === syntax[0] && syntax.length > 1 ? ` (${syntax.length - 1} more YAML ${syntax.length === 2 ? "error" : "errors"} after it)` : "";
    return { line: pos.line, col: pos.col, message: yamlMessage(e) + more, rule: yamlRule(e) };
  });
  let value: unknown = null;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const pos = lineCounter.linePos(doc.range?.[0] ?? 0);
      problems.push({ line: pos.line, col: pos.col, message: firstLine((e as Error).message), rule: "yaml-syntax" });
    }
  }
  for (const p of problems) {
    // The YAML reader recurses per nesting level; a stack overflow is reported as one.
    if (/call stack/i.test(p.message)) p.message = "nested too deeply to read (a log schema needs far fewer levels)";
  }
  return { source: { file, text, doc, lineCounter, value, builtin }, problems };
}

function yamlMessage(e: YAMLError): string {
  // The library's text names its own API; a schema author needs the rule.
  if (e.code === "MULTIPLE_DOCS") return "a schema file holds one YAML document; this one has several (separated by ---)";
  return firstLine(e.message);
}

function yamlRule(e: YAMLError): YamlProblem["rule"] {
  return e.code === "DUPLICATE_KEY" ? "duplicate-key" : "yaml-syntax";
}

/**
 * The path as written in the source. The checked schema turns `timeFormat: x` into
 * `timeFormats: [x]`, so a finding at `timeFormats[0]` belongs to `timeFormat` when that is
 * what the file says.
 */
export function sourcePath(source: SchemaSource, path: SchemaPath): SchemaPath {
  const i = path.indexOf("timeFormats");
  if (i < 0 || path[i + 1] !== 0 || !source.doc) return path;
  const parent = source.doc.getIn(path.slice(0, i), true);
  if (isMap(parent) && !parent.has("timeFormats") && parent.has("timeFormat")) {
    return [...path.slice(0, i), "timeFormat", ...path.slice(i + 2)];
  }
  return path;
}

/** Where a schema path points in the YAML source (the key's value, or the nearest parent). */
export function locate(source: SchemaSource, path: SchemaPath, atKey = false): Position {
  const { doc, lineCounter } = source;
  if (!doc || !lineCounter) return { line: 1, col: 1 };
  path = sourcePath(source, path);
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

/**
 * Reads and parses a schema file. A file over MAX_SCHEMA_BYTES (by size, or by bytes read for a
 * pipe) is a `schema-size` problem; fs errors and CappedReadError (a device, a directory) are
 * thrown for the caller's words.
 */
export async function readSchemaFile(file: string, builtin = false): Promise<{ source: SchemaSource; problems: YamlProblem[] }> {
  const tooLarge = refuseIfTooLarge(file, builtin);
  if (tooLarge) return tooLarge;
  let text: string;
  try {
    text = readCapped(file, MAX_SCHEMA_BYTES).toString("utf8");
  } catch (e) {
    if (e instanceof CappedReadError && e.tooLarge) return sizeProblem(file, `more than ${MAX_SCHEMA_BYTES / 1048576} MiB`, builtin);
    throw e;
  }
  return parseSchemaText(text, file, builtin);
}

/** A file over MAX_SCHEMA_BYTES as a `schema-size` problem (before reading it), else undefined. */
export function refuseIfTooLarge(file: string, builtin = false): { source: SchemaSource; problems: YamlProblem[] } | undefined {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return undefined; // reading it will say what is wrong
  }
  if (size <= MAX_SCHEMA_BYTES) return undefined;
  return sizeProblem(file, `${(size / 1048576).toFixed(1)} MiB`, builtin);
}

function sizeProblem(file: string, size: string, builtin: boolean): { source: SchemaSource; problems: YamlProblem[] } {
  const message = `too large for a log schema (${size}; the limit is ${MAX_SCHEMA_BYTES / 1048576} MiB)`;
  return { source: { file, text: "", value: null, builtin }, problems: [{ line: 1, col: 1, message, rule: "schema-size" }] };
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}
