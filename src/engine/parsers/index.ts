/**
 * Text parsers (`parser:` fastmatch, regex, csv): compiled once per schema, then opened once per
 * input stream, since a CSV header belongs to the file it heads (Panther shares it across files).
 * A parser turns one line into a flat object of strings for the schema's normalizer, or says the
 * line is skipped, or why it does not match.
 */
import type { ParserSpec, SchemaIssue, TextParserSpecs } from "../../language/types.js";
import { isTextParserName, type ParserName, type TextParserName } from "../../language/vocabulary/parsers.js";
import { splitCsvLine } from "./csv.js";
import { compileFastmatch, describeMiss, matchPattern, type FastmatchPattern } from "./fastmatch.js";
import { compilePipeline, LineFailure, SKIP, type Builder, type Fields, type LineResult, type NativeFields, type TextPipeline } from "./pipeline.js";
import { compileRegexMatcher, type RegexMatcher } from "./regex/index.js";
import { provideModule } from "../optional.js";

export { LineFailure, SKIP, type Fields, type LineResult } from "./pipeline.js";

export interface TextParser {
  /**
   * Reads one line (as framed: without its line end). `dense` (for the schema's record writer,
   * which reads one object shape faster than a few): every name the fields object may get is
   * an own key of it, holding undefined where the line gives no value; readers that take
   * undefined for absent see the same fields.
   */
  parse(line: string, dense?: boolean): LineResult;
  /** True while the parser must see every line of its stream, whichever type takes it (a CSV header not read yet). */
  readonly eager: boolean;
  /**
   * What `parse` would do with the line, step by step, for `hexlog explain`: the raw captures
   * and the fields they make. Leaves the parser's state as it was (a CSV header stays unread).
   */
  capture(line: string): LineCapture;
}

/** One value a pattern captured: a fastmatch placeholder, a regex group or a CSV column. */
export interface Capture {
  /** null for an anonymous placeholder, an unnamed group or a column left out. */
  name: string | null;
  /** undefined: a regex group that took no part in the match. */
  value: string | undefined;
}

/** How a text parser reads one line, for `hexlog explain` (see TextParser.capture). */
export type LineCapture =
  | { kind: "skip"; reason: string }
  | {
      kind: "fail";
      message: string;
      /** fastmatch: how far each pattern got, in order. */
      attempts?: Array<{ pattern: number; result: string }>;
    }
  | {
      kind: "match";
      /** fastmatch: the index of the pattern that matched. */
      pattern?: number;
      attempts?: Array<{ pattern: number; result: string }>;
      captures: Capture[];
      /** expandFields keys, in order (their values are in `fields`). */
      expanded: string[];
      /** The object the schema's normalizer reads (what `parse` returns). */
      fields: Fields | NativeFields;
    };

/**
 * The capture of a parser whose steps are not visible (a native format): what `parse` made of
 * the line, each field a capture of its own.
 */
export function captureOfResult(result: LineResult): LineCapture {
  if (result === SKIP) return { kind: "skip", reason: "the parser reads this line without an event (a header)" };
  if (result instanceof LineFailure) return { kind: "fail", message: result.message };
  const captures = Object.entries(result).map(([name, value]) => ({ name, value: typeof value === "string" ? value : JSON.stringify(value) }));
  return { kind: "match", captures, expanded: [], fields: result };
}

export interface CompiledTextParser {
  /** `native`: a text format of one of Panther's built-in parsers (engine/native/). */
  readonly kind: ParserName;
  /**
   * Its state runs through a whole stream (a CSV header read from the first line), so parts
   * of a stream cannot be parsed apart. Otherwise each line stands alone.
   */
  readonly wholeStream: boolean;
  /**
   * Fields whose every value holds only characters JSON.stringify writes as they are (no quote,
   * backslash, control character or lone surrogate), whatever the line: the schema's record
   * writer writes them without looking (compile.ts). Known for regex patterns.
   */
  readonly plainFields?: ReadonlySet<string>;
  /** A parser for one input stream. */
  open(): TextParser;
}

/** The problems among compile results (each either a value or its problems). */
function issuesOf(...results: unknown[]): SchemaIssue[] {
  return results.flatMap((r) => (Array.isArray(r) ? (r as SchemaIssue[]) : []));
}

/** The compiler of each text parser of the vocabulary (a name without one does not compile). */
const COMPILERS: { readonly [K in TextParserName]: (spec: TextParserSpecs[K], path: string[]) => CompiledTextParser | SchemaIssue[] } = {
  fastmatch(spec, path) {
    const pipeline = compilePipeline(spec, path);
    const matcher = compileFastmatch(spec.match, path);
    if (Array.isArray(pipeline) || Array.isArray(matcher)) return issuesOf(pipeline, matcher);
    const parser = new FastmatchParser(matcher.patterns, pipeline);
    return { kind: "fastmatch", wholeStream: false, open: () => parser };
  },
  regex(spec, path) {
    const pipeline = compilePipeline(spec, path);
    const matcher = compileRegexMatcher(spec, path);
    if (Array.isArray(pipeline) || Array.isArray(matcher)) return issuesOf(pipeline, matcher);
    const parser = new RegexParser(matcher, pipeline);
    // An expandFields template's text is its own: its keys are not plain.
    const expanded = new Set(pipeline.expandedKeys());
    const plainFields = new Set([...matcher.plain].filter((name) => !expanded.has(name)));
    return { kind: "regex", wholeStream: false, plainFields, open: () => parser };
  },
  csv(spec, path) {
    const pipeline = compilePipeline(spec, path);
    if (Array.isArray(pipeline)) return pipeline;
    const columns = spec.columns ? spec.columns.map((c) => (c === "" ? null : c)) : null;
    return { kind: "csv", wholeStream: spec.hasHeader === true, open: () => new CsvParser(spec.delimiter, columns, spec.hasHeader === true, pipeline) };
  },
};

function compileNamed<K extends TextParserName>(name: K, spec: TextParserSpecs[K]): CompiledTextParser | SchemaIssue[] {
  return COMPILERS[name](spec, ["parser", name]);
}

/** Compiles the parser a schema names; undefined for JSON schemas (no parser, or native). */
export function compileTextParser(spec: ParserSpec | undefined): CompiledTextParser | SchemaIssue[] | undefined {
  if (!spec) return undefined;
  const [name, options] = Object.entries(spec)[0] as [string, unknown];
  return isTextParserName(name) ? compileNamed(name, options as TextParserSpecs[typeof name]) : undefined;
}

// Loaded on demand by the command line (engine/optional.ts): available once this module is.
provideModule("parsers", { compileTextParser });

/**
 * `raw.trim()`: whitespace around a line is ignored, as Panther does. A line that starts and ends
 * with a visible ASCII character (almost every line) is returned as it is without the call.
 */
export function trimLine(raw: string): string {
  const n = raw.length;
  if (n === 0) return raw;
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(n - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? raw : raw.trim();
}

class FastmatchParser implements TextParser {
  readonly eager = false;
  private readonly values: string[] = [];
  /** Per pattern, its fields object from its values (and its dense one: see TextParser.parse). */
  private readonly builders: readonly Builder[];
  private readonly denseBuilders: readonly Builder[];

  constructor(
    private readonly patterns: readonly FastmatchPattern[],
    private readonly pipeline: TextPipeline,
  ) {
    this.builders = patterns.map((p) => pipeline.builder(p.keys, 0, p.fields.length));
    this.denseBuilders = patterns.map((p) => pipeline.builder(p.keys, 0, p.fields.length, true));
  }

  parse(raw: string, dense = false): LineResult {
    const line = trimLine(raw);
    if (this.pipeline.skips(line)) return SKIP;
    let best = -2;
    let bestAt = 0;
    for (let i = 0; i < this.patterns.length; i++) {
      const p = this.patterns[i]!;
      const progress = matchPattern(p, line, this.values);
      if (progress === p.fields.length) return (dense ? this.denseBuilders : this.builders)[i]!(this.values);
      if (progress > best) [best, bestAt] = [progress, i];
    }
    const p = this.patterns[bestAt]!;
    const why = describeMiss(p, best);
    const message =
      this.patterns.length === 1 ? `does not match the pattern: ${why}` : `matches none of the ${this.patterns.length} patterns (match[${bestAt}] came closest: ${why})`;
    return new LineFailure(message, (best + 1) / (p.fields.length + 1));
  }

  capture(raw: string): LineCapture {
    const line = trimLine(raw);
    if (this.pipeline.skips(line)) return { kind: "skip", reason: `starts with skipPrefix ${JSON.stringify(this.pipeline.skipPrefix)}` };
    const attempts: Array<{ pattern: number; result: string }> = [];
    const values: string[] = [];
    for (let i = 0; i < this.patterns.length; i++) {
      const p = this.patterns[i]!;
      const progress = matchPattern(p, line, values);
      if (progress === p.fields.length) {
        attempts.push({ pattern: i, result: "matched" });
        const captures = p.keys.map((name, k) => ({ name, value: values[k] }));
        const fields = this.builders[i]!(values);
        return { kind: "match", pattern: i, attempts, captures, expanded: this.pipeline.expandedKeys(), fields };
      }
      attempts.push({ pattern: i, result: describeMiss(p, progress) });
    }
    const r = this.parse(raw) as LineFailure;
    return { kind: "fail", message: r.message, attempts };
  }
}

class RegexParser implements TextParser {
  readonly eager = false;
  private readonly build: Builder;
  private readonly buildDense: Builder;

  constructor(
    private readonly matcher: RegexMatcher,
    private readonly pipeline: TextPipeline,
  ) {
    this.build = pipeline.builder(matcher.keys, 1, matcher.keys.length);
    this.buildDense = pipeline.builder(matcher.keys, 1, matcher.keys.length, true);
  }

  parse(raw: string, dense = false): LineResult {
    const line = trimLine(raw);
    if (this.pipeline.skips(line)) return SKIP;
    let m: ArrayLike<string | undefined> | null;
    try {
      m = this.matcher.exec(line);
    } catch (e) {
      // A failure of the matcher on this line (a stack or memory limit of V8's regex engine)
      // is this line's problem, never the run's.
      const why = e instanceof Error ? e.message : String(e);
      return new LineFailure(`the pattern could not be run on this line: ${why}`, 0);
    }
    if (m === null) return new LineFailure("does not match the pattern", 0);
    return dense ? this.buildDense(m) : this.build(m);
  }

  capture(raw: string): LineCapture {
    const line = trimLine(raw);
    if (this.pipeline.skips(line)) return { kind: "skip", reason: `starts with skipPrefix ${JSON.stringify(this.pipeline.skipPrefix)}` };
    const m = this.matcher.exec(line);
    if (m === null) return { kind: "fail", message: "does not match the pattern" };
    const keys = this.matcher.keys;
    const captures: Capture[] = [];
    for (let g = 1; g < keys.length; g++) captures.push({ name: keys[g] ?? null, value: m[g] });
    return { kind: "match", captures, expanded: this.pipeline.expandedKeys(), fields: this.build(m) };
  }
}

class CsvParser implements TextParser {
  eager: boolean;
  private names: ReadonlyArray<string | null> | null;
  /** The fields object of a line's values, once the names are known (and the dense one: see TextParser.parse). */
  private build: Builder | null;
  private buildDense: Builder | null;
  private readonly values: string[] = [];
  private readonly whitespaceDelimiter: boolean;

  constructor(
    private readonly delimiter: string,
    columns: ReadonlyArray<string | null> | null,
    hasHeader: boolean,
    private readonly pipeline: TextPipeline,
  ) {
    this.names = columns;
    this.build = columns === null ? null : pipeline.builder(columns, 0, columns.length);
    this.buildDense = columns === null ? null : pipeline.builder(columns, 0, columns.length, true);
    this.eager = hasHeader;
    this.whitespaceDelimiter = delimiter.trim() === "";
  }

  parse(raw: string, dense = false): LineResult {
    // Whitespace around a line is ignored (as Panther does), except where it separates values.
    const line = this.whitespaceDelimiter ? raw : trimLine(raw);
    if (this.pipeline.skips(line)) return SKIP;
    const n = splitCsvLine(line, this.delimiter, this.values);
    if (typeof n === "string") return new LineFailure(n, 0);
    if (this.eager) {
      // The first line of the stream (after skipped ones) is the header.
      this.eager = false;
      if (this.names === null) {
        const names = this.values.slice(0, n).map((v) => this.pipeline.name(v) || null);
        this.names = names;
        this.build = this.pipeline.builder(names, 0, names.length);
        this.buildDense = this.pipeline.builder(names, 0, names.length, true);
      }
      return SKIP;
    }
    const names = this.names as ReadonlyArray<string | null>;
    if (n !== names.length) {
      return new LineFailure(`expected ${names.length} values (one per column), got ${n}`, 0.5);
    }
    return ((dense ? this.buildDense : this.build) as Builder)(this.values);
  }

  capture(raw: string): LineCapture {
    const line = this.whitespaceDelimiter ? raw : trimLine(raw);
    if (this.pipeline.skips(line)) return { kind: "skip", reason: `starts with skipPrefix ${JSON.stringify(this.pipeline.skipPrefix)}` };
    const values: string[] = [];
    const n = splitCsvLine(line, this.delimiter, values);
    if (typeof n === "string") return { kind: "fail", message: n };
    if (this.eager) {
      const names = this.names ?? values.slice(0, n).map((v) => this.pipeline.name(v) || null);
      const said = this.names ? "the header line (columns are given, so its names are not used)" : `the header line: columns ${names.map((x) => (x === null ? "(unnamed)" : JSON.stringify(x))).join(", ")}`;
      return { kind: "skip", reason: said };
    }
    const names = this.names as ReadonlyArray<string | null>;
    if (n !== names.length) return { kind: "fail", message: `expected ${names.length} values (one per column), got ${n}` };
    const captures = values.slice(0, n).map((value, i) => ({ name: names[i] ?? null, value }));
    return { kind: "match", captures, expanded: this.pipeline.expandedKeys(), fields: (this.build as Builder)(values) };
  }
}
