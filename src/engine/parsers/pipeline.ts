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
    for (const t of this.templates) {
      const v = t.render(out);
      if (v === "" || (empty !== null && empty.has(v))) continue;
      set(out, t.key, v);
    }
    return out;
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
