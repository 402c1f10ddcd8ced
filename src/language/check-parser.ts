/**
 * Structural check of the text parsers under `parser:` (fastmatch, regex, csv): known keys, value
 * types, and CSV options that cannot work together (`csv-conflict`). Whether patterns compile is
 * decided by the engine's parser compiler (`invalid-fastmatch`, `invalid-regex`), which is what
 * runs them.
 */
import { describe, isObj, type IssueCollector, type Obj } from "./check-core.js";
import type { CsvParserSpec, FastmatchParserSpec, ParserSpec, RegexParserSpec, SchemaPath, TextParserOptions } from "./types.js";
import { MISSING_MATCH, parserOptions, type TextParserName } from "./vocabulary/parsers.js";

/** The delimiters Panther's schema accepts; others work in hexlog but not in Panther. */
const PANTHER_DELIMITERS = [",", "\t", " "];

export function checkTextParser(c: IssueCollector, kind: TextParserName, v: unknown, path: SchemaPath): ParserSpec | undefined {
  if (!isObj(v)) {
    c.error(path, "type-mismatch", `parser.${kind} must be a mapping, got ${describe(v)}`);
    return undefined;
  }
  c.unknownKeys(v, Object.keys(parserOptions(kind)), path);
  const before = c.issues.length;
  const common = commonOptions(c, v, path);
  let spec: ParserSpec | undefined;
  if (kind === "csv") {
    const csv = csvOptions(c, v, path);
    if (csv) spec = { csv: { ...csv, ...common } };
  } else {
    const match = v.match === undefined ? missingMatch(c, path) : c.stringList(v.match, [...path, "match"], `${kind}.match`);
    if (kind === "fastmatch") {
      if (match) spec = { fastmatch: { match, ...common } satisfies FastmatchParserSpec };
    } else {
      const defs = v.patternDefinitions === undefined ? {} : stringMap(c, v.patternDefinitions, [...path, "patternDefinitions"], "patternDefinitions");
      if (match && defs) {
        const regex: RegexParserSpec = { match, ...common };
        if (v.patternDefinitions !== undefined) regex.patternDefinitions = defs;
        spec = { regex };
      }
    }
  }
  return c.issues.slice(before).some((i) => i.severity === "error") ? undefined : spec;
}

function missingMatch(c: IssueCollector, path: SchemaPath): undefined {
  c.error(path, MISSING_MATCH.rule, MISSING_MATCH.message);
  return undefined;
}

function commonOptions(c: IssueCollector, v: Obj, path: SchemaPath): TextParserOptions {
  const out: TextParserOptions = {};
  if (v.skipPrefix !== undefined) {
    if (typeof v.skipPrefix !== "string" || v.skipPrefix === "") c.error([...path, "skipPrefix"], "type-mismatch", `skipPrefix must be a non-empty string, got ${describe(v.skipPrefix)}`);
    else out.skipPrefix = v.skipPrefix;
  }
  if (v.emptyValues !== undefined) {
    // "" is a meaningful empty value (e.g. optional regex groups), so it is allowed.
    const list = c.stringList(v.emptyValues, [...path, "emptyValues"], "emptyValues", true);
    if (list) out.emptyValues = list;
  }
  const trim = c.bool(v, "trimSpace", path);
  if (trim) out.trimSpace = true;
  if (v.expandFields !== undefined) {
    const map = stringMap(c, v.expandFields, [...path, "expandFields"], "expandFields");
    if (map) out.expandFields = map;
  }
  return out;
}

function csvOptions(c: IssueCollector, v: Obj, path: SchemaPath): Omit<CsvParserSpec, keyof TextParserOptions> | undefined {
  const d = v.delimiter;
  let delimiter: string | undefined;
  if (d === undefined) {
    c.error(path, "csv-conflict", 'csv needs a delimiter: one character such as ",", "\\t" or " "');
  } else if (typeof d !== "string" || d.length !== 1) {
    c.error([...path, "delimiter"], "csv-conflict", `the delimiter must be exactly one character, got ${describe(d)}`);
  } else if (d === '"' || d === "\n" || d === "\r") {
    c.error([...path, "delimiter"], "csv-conflict", `${JSON.stringify(d)} cannot be a delimiter (it quotes or ends records)`);
  } else {
    delimiter = d;
    if (!PANTHER_DELIMITERS.includes(d)) {
      c.warn([...path, "delimiter"], "panther-incompatible", `hexlog reads the delimiter ${JSON.stringify(d)}, but Panther accepts only ",", "\\t" and " "`);
    }
  }
  const hasHeader = c.bool(v, "hasHeader", path);
  let columns: string[] | undefined;
  if (v.columns !== undefined) {
    columns = c.stringList(v.columns, [...path, "columns"], "columns", true);
    const seen = new Set<string>();
    columns?.forEach((name, i) => {
      if (name === "") return;
      if (seen.has(name)) c.error([...path, "columns", i], "csv-conflict", `column "${name}" is named twice`);
      seen.add(name);
    });
    if (columns && columns.every((n) => n === "")) c.error([...path, "columns"], "csv-conflict", "every column is dropped (all names are empty)");
  }
  if (!hasHeader && v.columns === undefined) {
    c.error(hasHeader === false ? [...path, "hasHeader"] : path, "csv-conflict", "csv needs columns, or hasHeader: true to read the names from the first line");
  }
  if (delimiter === undefined) return undefined;
  const out: Omit<CsvParserSpec, keyof TextParserOptions> = { delimiter };
  if (hasHeader) out.hasHeader = true;
  if (columns) out.columns = columns;
  return out;
}

/** A mapping of names to strings, in declaration order. */
function stringMap(c: IssueCollector, v: unknown, path: SchemaPath, what: string): Record<string, string> | undefined {
  if (!isObj(v)) {
    c.error(path, "type-mismatch", `${what} must be a mapping of names to strings, got ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let ok = true;
  for (const [key, value] of Object.entries(v)) {
    if (typeof value !== "string") {
      c.error([...path, key], "type-mismatch", `${what}.${key} must be a string, got ${describe(value)}`);
      ok = false;
    } else {
      out[key] = value;
    }
  }
  return ok ? out : undefined;
}
