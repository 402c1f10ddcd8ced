/**
 * pantherlog test files: YAML with one test case per document (`name`, `logType`, `input`,
 * `result` / `results`), read strictly — unknown keys and wrong types are problems with their
 * file:line:column, as Panther's strict decoder makes them errors. hexlog adds `error`.
 */
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import { readCapped } from "../../language/read-capped.js";
import { suggest } from "../../language/suggest.js";

/** Test files hold sample events and their records: larger than schemas, still small. */
export const MAX_TEST_FILE_BYTES = 16 * 1024 * 1024;

/** One expected record: JSON text (templates expanded) and where it is written. */
export interface ExpectedRecord {
  text: string;
  line: number;
}

export interface TestCase {
  file: string;
  /** Index of the YAML document holding the test (for --update). */
  doc: number;
  /** Line of the test's first key, where reports point. */
  line: number;
  name: string;
  logType: string;
  logTypeLine: number;
  input: string;
  /** `result` first, then `results`, as pantherlog concatenates them. */
  expected: ExpectedRecord[];
  /** hexlog's `error: <substring>`: the input must fail with a message containing it. */
  error?: string;
  /** Some expectation writes p_log_type as `{{ .LogType }}` (kept so by --update). */
  templated: boolean;
}

export interface TestFileProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

const TEST_KEYS = ["name", "logType", "input", "result", "results", "error"] as const;
const REQUIRED_KEYS = ["name", "logType", "input"] as const;

/** Aliases beyond this many are refused (alias bombs). */
const MAX_ALIAS_COUNT = 100;

/** pantherlog renders expectations as Go templates; `{{ .LogType }}` is the only field it offers. */
const LOG_TYPE_TEMPLATE = /\{\{-?\s*\.LogType\s*-?\}\}/g;

export const LOG_TYPE_PLACEHOLDER = "{{ .LogType }}";

export function expandTemplate(text: string, logType: string): string {
  return text.replace(LOG_TYPE_TEMPLATE, logType);
}

/**
 * Whether YAML text holds test cases rather than a schema: a first document with a `logType` or
 * `input` key (any case), which no schema has at its top level.
 */
export function looksLikeTestFile(text: string): boolean {
  // The usual schema file answers without the YAML parser (a directory of schemas is scanned
  // whole): one block mapping, whose top-level keys are the lines that start at column 0.
  if (oneBlockMapping(text) && /^schema[ \t]*:/m.test(text) && !/^["']?(?:logtype|input)["']?[ \t]*:/im.test(text)) return false;
  const docs = parseAllDocuments(text, { version: "1.2" });
  if (!Array.isArray(docs)) return false;
  const first = docs.find((d) => d.contents !== null);
  if (!first || !isMap(first.contents)) return false;
  return first.contents.items.some((p) => isScalar(p.key) && typeof p.key.value === "string" && /^(?:logtype|input)$/i.test(p.key.value));
}

/** No directive or document marker, and the first line of content is a plain key at column 0. */
function oneBlockMapping(text: string): boolean {
  if (/^(?:---|\.\.\.|%)/m.test(text)) return false;
  for (const line of text.split("\n", 200)) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    return /^[A-Za-z_][A-Za-z0-9_]*[ \t]*:/.test(line);
  }
  return false;
}

export function parseTestFile(text: string, file: string): { cases: TestCase[]; problems: TestFileProblem[] } {
  const lineCounter = new LineCounter();
  const cases: TestCase[] = [];
  const problems: TestFileProblem[] = [];
  const at = (pos: number | undefined, message: string): void => {
    const p = lineCounter.linePos(pos ?? 0);
    problems.push({ file, line: p.line, col: p.col, message });
  };
  const parsed = parseAllDocuments(text, { lineCounter, version: "1.2", prettyErrors: false, uniqueKeys: true });
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) at(e.pos[0], firstLine(e.message));
      return;
    }
    // A document holding only comments (or a trailing `---`) is no test.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const tc = readCase(doc, index, file, lineCounter, at);
    if (tc) cases.push(tc);
  });
  return { cases, problems };
}

export async function readTestFile(file: string): Promise<{ cases: TestCase[]; problems: TestFileProblem[] }> {
  return parseTestFile(readCapped(file, MAX_TEST_FILE_BYTES).toString("utf8"), file);
}

function readCase(
  doc: Document,
  index: number,
  file: string,
  lineCounter: LineCounter,
  at: (pos: number | undefined, message: string) => void,
): TestCase | undefined {
  const root = doc.contents;
  if (!isMap(root)) {
    at(start(root), `a test must be a YAML mapping with ${REQUIRED_KEYS.join(", ")}`);
    return undefined;
  }
  let ok = true;
  const fail = (node: unknown, message: string): void => {
    ok = false;
    at(start(node) ?? start(root), message);
  };
  // Value nodes by key (`result:` alone has none), and the key nodes for positions.
  const nodes = new Map<string, Node>();
  const keyNodes = new Map<string, Node>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== "string") {
      fail(pair.key, "test keys must be strings");
      continue;
    }
    if (!(TEST_KEYS as readonly string[]).includes(key)) {
      const hint = suggest(key, TEST_KEYS);
      fail(pair.key, `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
      continue;
    }
    keyNodes.set(key, pair.key as Node);
    if (isNode(pair.value)) nodes.set(key, pair.value);
  }
  const missing = REQUIRED_KEYS.filter((k) => !keyNodes.has(k));
  if (missing.length > 0) fail(root, `test is missing ${missing.map((k) => `"${k}"`).join(" and ")}`);

  const plain = (node: Node | undefined): unknown => {
    if (!node) return null;
    try {
      return node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      fail(node, firstLine((e as Error).message));
      return undefined;
    }
  };
  const string = (key: string, hint: string, allowEmpty: boolean): string | undefined => {
    if (!keyNodes.has(key)) return undefined;
    const v = plain(nodes.get(key));
    if (typeof v === "string" && (allowEmpty || v !== "")) return v;
    fail(nodes.get(key) ?? keyNodes.get(key), `${key} must be ${hint}, got ${kindOf(v)}`);
    return undefined;
  };

  const name = string("name", "a non-empty string", false);
  const logType = string("logType", "a log type name such as Hex.Audit", false);
  const input = string("input", "the raw event text (a string, usually a | block)", true);
  const error = string("error", "a non-empty string (part of the expected error message)", false);
  const expected: ExpectedRecord[] = [];
  const lineOf = (node: unknown): number => lineCounter.linePos(start(node) ?? 0).line;
  // An expectation is JSON text (pantherlog's form) or, in hexlog, a YAML mapping.
  const record = (node: Node | undefined, what: string): void => {
    if (isMap(node)) {
      const text = mappingJson(node, doc, (n, message) => fail(n, message));
      if (text !== undefined) expected.push({ text, line: lineOf(node) });
      return;
    }
    const v = plain(node);
    if (typeof v === "string") expected.push({ text: v, line: lineOf(node) });
    else if (v !== undefined) fail(node, `${what} must be one expected record, as a YAML mapping or JSON text, got ${kindOf(v)}`);
  };
  if (keyNodes.has("result")) record(nodes.get("result"), "result");
  const results = nodes.get("results");
  if (results && !(isScalar(results) && results.value === null)) {
    if (!isSeq(results)) {
      fail(results, `results must be a list of expected records (YAML mappings or JSON text), got ${kindOf(plain(results))}`);
    } else {
      for (const item of results.items) record(isNode(item) ? item : undefined, "each of results");
    }
  }
  if (!ok || name === undefined || logType === undefined || input === undefined) return undefined;
  const first = root.items[0]?.key;
  const tc: TestCase = {
    file,
    doc: index,
    line: lineOf(first ?? root),
    name,
    logType,
    logTypeLine: lineOf(nodes.get("logType")),
    input,
    expected: expected.map((e) => ({ text: expandTemplate(e.text, logType), line: e.line })),
    templated: expected.some((e) => e.text.search(LOG_TYPE_TEMPLATE) >= 0),
  };
  if (error !== undefined) tc.error = error;
  return tc;
}

/** JSON numbers as written; YAML's other numbers (0x10, .inf) are no JSON. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Nodes an expectation may have, aliases expanded (a guard against alias bombs). */
const MAX_NODES = 100_000;

/**
 * A YAML mapping as JSON text, numbers exactly as written (a bigint beyond 2^53 stays exact).
 * Problems (a number JSON cannot hold, a non-string key) go to `fail` with their node.
 */
function mappingJson(root: Node, doc: Document, fail: (node: unknown, message: string) => void): string | undefined {
  let count = 0;
  let ok = true;
  const write = (node: unknown): string => {
    if (++count > MAX_NODES) {
      if (ok) fail(root, `the expected record has more than ${MAX_NODES} values (aliases expanded)`);
      ok = false;
      return "null";
    }
    if (isAlias(node)) return write(node.resolve(doc));
    if (isMap(node)) {
      const parts: string[] = [];
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") {
          fail(pair.key, "keys of an expected record must be strings");
          ok = false;
          continue;
        }
        parts.push(`${JSON.stringify(String(key))}:${write(pair.value)}`);
      }
      return `{${parts.join(",")}}`;
    }
    if (isSeq(node)) return `[${node.items.map(write).join(",")}]`;
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === "number" || typeof v === "bigint") {
        if (typeof node.source === "string" && JSON_NUMBER.test(node.source)) return node.source;
        if (typeof v === "bigint" || Number.isFinite(v)) return String(v);
        fail(node, `${node.source ?? String(v)} is not a number JSON can hold`);
        ok = false;
        return "null";
      }
      if (v === null || v === undefined) return "null";
      if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
    }
    fail(node, "an expected record holds only mappings, lists, strings, numbers, booleans and null");
    ok = false;
    return "null";
  };
  const text = write(root);
  return ok ? text : undefined;
}

function start(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return v === "" ? "an empty string" : "a string";
  return `${typeof v} ${String(v)}`;
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}
