/**
 * A JSON parser that keeps every number's literal text. JSON.parse is the fast path; the engine
 * falls back to this one only for events where the literal matters (a number in a string field,
 * an integer beyond 2^53, a fractional unix time that needs nanoseconds).
 */
import { rawMarker } from "./raw-json.js";

export class LosslessNumber {
  constructor(readonly text: string) {}

  /** Serializes as the literal itself (see raw-json.ts). */
  toJSON(): string {
    return rawMarker(this.text);
  }
}

/** Objects are created without a prototype, so keys like "__proto__" stay plain data. */
export type LosslessValue = null | boolean | string | LosslessNumber | LosslessValue[] | { [key: string]: LosslessValue };

// Recursive descent: stay well inside the JS stack (JSON.parse itself handles deeper input).
const MAX_DEPTH = 1_000;

export class LosslessParseError extends Error {}

export function parseLossless(text: string): LosslessValue {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail("unexpected text after the JSON value");
  return v;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(msg: string): never {
    throw new LosslessParseError(`${msg} at position ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): LosslessValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.s.charCodeAt(this.i);
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (this.s.startsWith("true", this.i)) {
      this.i += 4;
      return true;
    }
    if (this.s.startsWith("false", this.i)) {
      this.i += 5;
      return false;
    }
    if (this.s.startsWith("null", this.i)) {
      this.i += 4;
      return null;
    }
    return this.fail(this.i >= this.s.length ? "unexpected end of JSON" : "unexpected character");
  }

  object(depth: number): { [key: string]: LosslessValue } {
    const out = Object.create(null) as { [key: string]: LosslessValue };
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 34) this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail("expected ':'");
      this.i++;
      this.ws();
      out[key] = this.value(depth + 1);
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 44) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 125) {
        this.i++;
        return out;
      }
      this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): LosslessValue[] {
    const out: LosslessValue[] = [];
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 44) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 93) {
        this.i++;
        return out;
      }
      this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    // Find the closing quote, then let JSON.parse decode escapes exactly as the fast path does.
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    for (;;) {
      const q = s.indexOf('"', i);
      if (q < 0) {
        this.i = s.length;
        this.fail("unterminated string");
      }
      let bs = 0;
      for (let k = q - 1; k > start && s.charCodeAt(k) === 92; k--) bs++;
      if (bs % 2 === 0) {
        i = q;
        break;
      }
      i = q + 1;
    }
    this.i = i + 1;
    try {
      return JSON.parse(s.slice(start, i + 1)) as string;
    } catch (e) {
      this.i = start;
      return this.fail((e as Error).message);
    }
  }

  number(): LosslessNumber {
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r) this.fail("invalid number");
    this.i += r[0].length;
    return new LosslessNumber(r[0]);
  }
}
