/**
 * Grok placeholders: `%{NAME}` becomes `(?:…)` and `%{NAME:field}` becomes `(?P<field>…)`, with
 * NAME taken from the schema's `patternDefinitions` or the built-in library (which may refer to
 * each other). Expansion is textual, as in Panther, so named groups inside a definition become
 * fields too. Offsets in the expanded text can be traced back to the text written by the user.
 */
import { suggest } from "../../../language/suggest.js";
import { BUILTIN_PATTERNS } from "./library.js";

const NAME = /^[A-Z][A-Z0-9_]*$/;
const FIELD = /^[A-Za-z0-9_]+$/;

export class GrokError {
  constructor(
    /** Offset in the text given to `expand`. */
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Expanded text and how to find the original offset of any of its characters. */
export interface Expansion {
  text: string;
  /** Original offset of expanded offset `at`. */
  original(at: number): number;
}

export function isPatternName(name: string): boolean {
  return NAME.test(name);
}

export function isBuiltinPattern(name: string): boolean {
  return Object.hasOwn(BUILTIN_PATTERNS, name);
}

export class GrokLibrary {
  private readonly resolved = new Map<string, string>();
  private readonly resolving = new Set<string>();

  /** `definitions` are the schema's own; names must already have been checked. */
  constructor(private readonly definitions: Readonly<Record<string, string>>) {}

  /** The fully expanded body of a named pattern; throws GrokError (offset in that body). */
  resolve(name: string): string {
    const done = this.resolved.get(name);
    if (done !== undefined) return done;
    const body = Object.hasOwn(this.definitions, name) ? (this.definitions[name] as string) : BUILTIN_PATTERNS[name];
    if (body === undefined) throw new GrokError(0, `unknown pattern %{${name}}`);
    if (this.resolving.has(name)) throw new GrokError(0, `pattern ${name} refers to itself (${[...this.resolving, name].join(" → ")})`);
    this.resolving.add(name);
    try {
      const text = this.expand(body).text;
      this.resolved.set(name, text);
      return text;
    } finally {
      this.resolving.delete(name);
    }
  }

  /** Replaces every placeholder in `src`; throws GrokError at the placeholder's offset. */
  expand(src: string): Expansion {
    let text = "";
    // Pairs of (expanded offset, original offset, 1 if the piece is copied text).
    const marks: number[] = [];
    let from = 0;
    for (;;) {
      const open = src.indexOf("%{", from);
      const close = open < 0 ? -1 : src.indexOf("}", open + 2);
      if (close < 0) {
        marks.push(text.length, from, 1);
        text += src.slice(from);
        break;
      }
      marks.push(text.length, from, 1);
      text += src.slice(from, open);
      marks.push(text.length, open, 0);
      text += this.placeholder(src.slice(open + 2, close), open);
      from = close + 1;
    }
    return {
      text,
      original(at: number): number {
        let i = marks.length - 3;
        while (i > 0 && (marks[i] as number) > at) i -= 3;
        const [start, orig, copied] = [marks[i] as number, marks[i + 1] as number, marks[i + 2] as number];
        return copied ? orig + (at - start) : orig;
      },
    };
  }

  private placeholder(inner: string, offset: number): string {
    const parts = inner.split(":");
    const [name, field] = parts as [string, string | undefined];
    if (parts.length > 2) {
      throw new GrokError(offset, `%{${inner}}: type suffixes are not supported; give the field its type under fields`);
    }
    if (!NAME.test(name)) {
      throw new GrokError(offset, `%{${inner}}: "${name}" is not a pattern name (capital letters, digits and _, starting with a letter)`);
    }
    if (field !== undefined && !FIELD.test(field)) {
      throw new GrokError(offset, `%{${inner}}: "${field}" cannot name a field here (use letters, digits and _)`);
    }
    if (!Object.hasOwn(this.definitions, name) && !isBuiltinPattern(name)) {
      const hint = suggest(name, [...Object.keys(this.definitions), ...Object.keys(BUILTIN_PATTERNS)]);
      throw new GrokError(offset, `unknown pattern %{${name}}${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
    let body: string;
    try {
      body = this.resolve(name);
    } catch (e) {
      if (e instanceof GrokError) throw new GrokError(offset, e.message);
      throw e;
    }
    return field === undefined ? `(?:${body})` : `(?P<${field}>${body})`;
  }
}
