/**
 * The `regex` parser's matcher: the `match` pieces joined into one pattern, grok placeholders
 * expanded, read as RE2 syntax, and run as an unanchored search on a linear-time-guarded engine.
 * Every capture group named in the pattern becomes a field (groups that take no part give "").
 */
import type { RegexParserSpec, SchemaIssue, SchemaPath } from "../../../language/types.js";
import { GrokError, GrokLibrary, isBuiltinPattern, isPatternName, type Expansion } from "./grok.js";
import { emit } from "./emit.js";
import { guardedRegExp } from "./linear.js";
import { PikeProgram, ProgramTooLarge } from "./pike.js";
import { parseRegex, RegexSyntaxError, type Node, type Pattern } from "./syntax.js";

export interface RegexMatcher {
  /** Field name per capture number (index 0 unused), null for unnamed groups. */
  readonly keys: ReadonlyArray<string | null>;
  /** Names whose every group matches only characters JSON writes as they are (see plainNames). */
  readonly plain: ReadonlySet<string>;
  /** Values per capture number (undefined: the group took no part), or null without a match. */
  exec(line: string): ArrayLike<string | undefined> | null;
  /** Which engine runs it (for tests and docs): V8's guarded regex or the Pike matcher. */
  readonly engine: "v8" | "pike";
}

const RULE = "invalid-regex";

export function compileRegexMatcher(spec: RegexParserSpec, path: SchemaPath): RegexMatcher | SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const error = (p: SchemaPath, message: string): void => {
    issues.push({ path: p, rule: RULE, message, severity: "error" });
  };
  const defs = spec.patternDefinitions ?? {};
  for (const name of Object.keys(defs)) {
    const p = [...path, "patternDefinitions", name];
    if (!isPatternName(name)) error(p, `pattern name "${name}" must be capital letters, digits and _, starting with a letter`);
    else if (isBuiltinPattern(name)) error(p, `${name} is already a built-in pattern; choose another name`);
  }
  if (issues.length > 0) return issues;
  const library = new GrokLibrary(defs);
  for (const [name, body] of Object.entries(defs)) {
    const p = [...path, "patternDefinitions", name];
    try {
      parseRegex(library.resolve(name));
    } catch (e) {
      if (e instanceof GrokError) error(p, e.message);
      else if (e instanceof RegexSyntaxError) error(p, `${e.message} in ${JSON.stringify(body)}`);
      else throw e;
    }
  }
  if (issues.length > 0) return issues;

  // Locates an offset of the joined pattern in the `match` piece it came from.
  const pieceAt = (offset: number): { index: number; column: number } => {
    let start = 0;
    for (let i = 0; i < spec.match.length; i++) {
      const len = (spec.match[i] as string).length;
      if (offset < start + len || i === spec.match.length - 1) return { index: i, column: offset - start };
      start += len;
    }
    return { index: 0, column: offset };
  };
  const at = (offset: number, message: string): SchemaIssue[] => {
    const { index, column } = pieceAt(offset);
    const piece = spec.match[index] as string;
    error([...path, "match", index], `${message} (at character ${Math.min(column, piece.length) + 1} of ${JSON.stringify(piece)})`);
    return issues;
  };

  const joined = spec.match.join("");
  let pattern: Pattern;
  let expanded: Expansion | undefined;
  try {
    expanded = library.expand(joined);
    pattern = parseRegex(expanded.text);
  } catch (e) {
    if (e instanceof GrokError) return at(e.offset, e.message);
    if (e instanceof RegexSyntaxError) return at(expanded ? expanded.original(e.offset) : e.offset, e.message);
    throw e;
  }
  if (!pattern.names.some((n) => n !== null)) {
    error([...path, "match"], "the pattern names no fields: capture them with %{PATTERN:field} or (?P<field>…)");
    return issues;
  }
  const source = emit(pattern.root);
  let re: RegExp | null;
  try {
    re = guardedRegExp(source);
  } catch (e) {
    error([...path, "match"], `the pattern cannot be compiled: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/: /s, "")}`);
    return issues;
  }
  const groups = pattern.groups;
  const pikeExec = (program: PikeProgram, line: string): Array<string | undefined> | null => {
    const slots = program.exec(line);
    if (!slots) return null;
    const out = new Array<string | undefined>(groups + 1);
    for (let g = 0; g <= groups; g++) {
      const s = slots[2 * g] as number;
      out[g] = s < 0 ? undefined : line.slice(s, slots[2 * g + 1]);
    }
    return out;
  };
  if (re) {
    const regex = re;
    // V8's engines need memory in proportion to the line (a backtrack stack that can overflow,
    // the linear engine's per-position state: gigabytes on a 9 MB line). Long lines run on the
    // Pike matcher, whose memory is the program's size whatever the line. Built on first use.
    let long: PikeProgram | null | undefined;
    return {
      keys: pattern.names,
      plain: plainNames(pattern),
      engine: "v8",
      exec(line) {
        if (line.length <= V8_MAX_LINE_CHARS) return regex.exec(line);
        if (long === undefined) {
          try {
            long = new PikeProgram(pattern);
          } catch (e) {
            if (!(e instanceof ProgramTooLarge)) throw e;
            long = null;
          }
        }
        if (long === null) throw new RegexLineTooLong(V8_MAX_LINE_CHARS);
        return pikeExec(long, line);
      },
    };
  }
  let program: PikeProgram;
  try {
    program = new PikeProgram(pattern);
  } catch (e) {
    if (!(e instanceof ProgramTooLarge)) throw e;
    error([...path, "match"], "the pattern is too large (counted repetitions expand to too many steps); use * or + where exact counts do not matter");
    return issues;
  }
  return { keys: pattern.names, plain: plainNames(pattern), engine: "pike", exec: (line) => pikeExec(program, line) };
}

/** The UTF-16 code units JSON.stringify escapes in a string, as ranges: controls, `"`, `\`, surrogates. */
const JSON_ESCAPED = [0x00, 0x1f, 0x22, 0x22, 0x5c, 0x5c, 0xd800, 0xdfff];

function escapable(ranges: readonly number[]): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    for (let j = 0; j < JSON_ESCAPED.length; j += 2) {
      if ((ranges[i] as number) <= (JSON_ESCAPED[j + 1] as number) && (ranges[i + 1] as number) >= (JSON_ESCAPED[j] as number)) return true;
    }
  }
  return false;
}

/**
 * The group names whose every group can match only characters JSON.stringify leaves as they are
 * (%{IP}, %{WORD}, %{INT}, but not %{NOTSPACE}, which takes quotes): a value a group captures is
 * a run of the characters its body matches, so the record writer need not look for escapes.
 */
export function plainNames(pattern: Pattern): Set<string> {
  const open: number[] = [];
  const escaping = new Set<number>();
  const visit = (node: Node): void => {
    switch (node.kind) {
      case "chars":
        if (escapable(node.ranges)) for (const g of open) escaping.add(g);
        return;
      case "group":
        if (node.index !== null) open.push(node.index);
        visit(node.body);
        if (node.index !== null) open.pop();
        return;
      case "concat":
      case "alt":
        for (const item of node.items) visit(item);
        return;
      case "repeat":
        visit(node.body);
        return;
      case "assert":
      case "empty":
        return;
    }
  };
  visit(pattern.root);
  const plain = new Set<string>();
  const not = new Set<string>();
  pattern.names.forEach((name, g) => {
    if (name === null || g === 0) return;
    if (escaping.has(g)) not.add(name);
    else plain.add(name);
  });
  for (const name of not) plain.delete(name);
  return plain;
}

/**
 * Lines longer than this (in UTF-16 units) are matched by the Pike matcher rather than V8's
 * regex engines, so memory per line stays bounded.
 */
export const V8_MAX_LINE_CHARS = 64 * 1024;

/** A line the pattern cannot be run on within bounded memory (the line's dead letter says so). */
export class RegexLineTooLong extends Error {
  constructor(limit: number) {
    super(`the line is too long for this pattern (over ${limit} characters)`);
  }
}
