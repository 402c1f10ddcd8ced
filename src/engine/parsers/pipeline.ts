/**
 * What every text parser does around its matching (Panther's text pipeline): skip lines by
 * prefix, then turn the extracted (name, value) pairs into the flat object of strings that the
 * schema's normalizer reads — values trimmed (trimSpace), dropped when listed in emptyValues, and
 * expandFields added last.
 */
import type { SchemaIssue, SchemaPath, TextParserOptions } from "../../language/types.js";
import { compileTemplate, type Template } from "./expand.js";

/** A line the parser consumes without an event (skipPrefix, a CSV header). */
export const SKIP: unique symbol = Symbol("skip-line");

/** A line the parser cannot read. */
export class LineFailure {
  constructor(
    readonly message: string,
    /** How far the line got, 0 to 1 (picks the closest log type when none matches). */
    readonly closeness: number,
  ) {}
}

export type Fields = Record<string, string>;
/** Native text parsers (engine/native/) also give lists (ALB's actionsExecuted). */
export type NativeFields = Record<string, string | string[]>;
export type LineResult = Fields | NativeFields | typeof SKIP | LineFailure;
/** A line's values (by position) as the object of fields: see TextPipeline.builder. */
export type Builder = (values: ArrayLike<string | undefined>) => Fields;

export class TextPipeline {
  readonly skipPrefix: string | null;
  private readonly trim: boolean;
  private readonly empty: ReadonlySet<string> | null;

  constructor(
    options: TextParserOptions,
    private readonly templates: readonly Template[],
  ) {
    this.skipPrefix = options.skipPrefix ?? null;
    this.trim = options.trimSpace === true;
    this.empty = options.emptyValues && options.emptyValues.length > 0 ? new Set(options.emptyValues) : null;
  }

  skips(line: string): boolean {
    return this.skipPrefix !== null && line.startsWith(this.skipPrefix);
  }

  /**
   * The object for values[from..to) named by keys[from..to) (null keys are not kept). A value
   * that is undefined (a regex group that took no part) counts as "" unless an earlier group of
   * the same name matched; with duplicate names the last value wins.
   */
  build(keys: ArrayLike<string | null>, values: ArrayLike<string | undefined>, from: number, to: number): Fields {
    const out: Fields = {};
    const empty = this.empty;
    for (let i = from; i < to; i++) {
      const key = keys[i];
      if (key === null || key === undefined) continue;
      let v = values[i];
      if (v === undefined) {
        if (Object.hasOwn(out, key)) continue;
        v = "";
      }
      if (this.trim) v = v.trim();
      if (empty !== null && empty.has(v)) continue;
      set(out, key, v);
    }
    return this.expand(out);
  }

  /** Adds the expandFields to `out`. */
  private expand(out: Fields): Fields {
    const empty = this.empty;
    for (const t of this.templates) {
      const v = t.render(out);
      if (v === "" || (empty !== null && empty.has(v))) continue;
      set(out, t.key, v);
    }
    return out;
  }

  /**
   * `build` for one list of keys, as a function generated for it: a line's values become named
   * property stores in a fixed order (objects of few shapes, which the normalizer then reads
   * fast) with the emptyValues compared inline, instead of a loop of keyed stores and set
   * lookups. Same result as `build(keys, values, from, to)`.
   */
  builder(keys: ArrayLike<string | null>, from: number, to: number, dense = false): Builder {
    // A CSV parser is opened per input, its header read per file: the same names come back.
    const id = JSON.stringify([from, to, dense, Array.from(keys)]);
    let b = this.builders.get(id);
    if (b === undefined) {
      b = this.generate(keys, from, to, dense);
      if (this.builders.size >= 64) this.builders.clear();
      this.builders.set(id, b);
    }
    return b;
  }

  private readonly builders = new Map<string, Builder>();

  /**
   * `dense`: the object starts with every name it may get (the keys', then the expandFields')
   * as an own key holding undefined, and a value left out leaves its key so. Every line's object
   * then has one shape, which the schema's record writer reads faster than objects of a few
   * shapes (see TextParser.parse).
   */
  private generate(keys: ArrayLike<string | null>, from: number, to: number, dense: boolean): Builder {
    const lines: string[] = [];
    const seen = new Set<string>();
    const empty = this.empty === null ? [] : [...this.empty];
    // A few empty values are compared one by one; many are looked up in their set.
    const isEmpty = empty.length <= 8 ? empty.map((e) => `v === ${JSON.stringify(e)}`).join(" || ") : empty.length > 0 ? "E.has(v)" : "";
    for (let i = from; i < to; i++) {
      const key = keys[i];
      if (key === null || key === undefined) continue;
      const k = JSON.stringify(key);
      const again = seen.has(key);
      seen.add(key);
      lines.push(`v = values[${i}];`);
      // A group that took no part: "" the first time its name comes, else the value kept so far.
      const kept = dense && key !== "__proto__" ? `(out[${k}] !== undefined)` : `hasOwn(out, ${k})`;
      lines.push(again ? `if (v === undefined && !${kept}) v = "";` : `if (v === undefined) v = "";`);
      const store = key === "__proto__" ? `set(out, ${k}, v);` : `out[${k}] = v;`;
      const trim = this.trim ? "v = v.trim(); " : "";
      const test = isEmpty === "" ? store : `if (!(${isEmpty})) ${store}`;
      lines.push(again ? `if (v !== undefined) { ${trim}${test} }` : `${trim}${test}`);
    }
    const ret = this.templates.length > 0 ? "return expand(out);" : "return out;";
    // __proto__ in a literal would set the prototype: that key is only ever defined (see set).
    const names = dense ? [...new Set([...seen, ...this.templates.map((t) => t.key)])].filter((n) => n !== "__proto__") : [];
    const init = `{${names.map((n) => `${JSON.stringify(n)}: undefined`).join(", ")}}`;
    const code = `"use strict";\nreturn function build(values) {\nconst out = ${init};\nlet v;\n${lines.join("\n")}\n${ret}\n};`;
    const make = new Function("hasOwn", "set", "E", "expand", code) as (...args: unknown[]) => Builder;
    return make(Object.hasOwn, set, this.empty, (out: Fields) => this.expand(out));
  }

  /** The expandFields keys, in declaration order (for explain). */
  expandedKeys(): string[] {
    return this.templates.map((t) => t.key);
  }

  /** Trims a header name the way values are trimmed. */
  name(raw: string): string {
    return this.trim ? raw.trim() : raw;
  }
}

/** `__proto__` is data here, never a prototype change. */
function set(o: Fields, key: string, value: string): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Compiles the shared options; expandFields templates may be malformed. */
export function compilePipeline(options: TextParserOptions, path: SchemaPath): TextPipeline | SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const templates: Template[] = [];
  for (const [key, text] of Object.entries(options.expandFields ?? {})) {
    const t = compileTemplate(key, text);
    if (typeof t === "string") issues.push({ path: [...path, "expandFields", key], rule: "invalid-expand-fields", message: t, severity: "error" });
    else templates.push(t);
  }
  return issues.length > 0 ? issues : new TextPipeline(options, templates);
}
