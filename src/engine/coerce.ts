/**
 * Per-type coercion of JSON values, called by generated normalizers (see compile.ts).
 * Each function gets a non-null, defined value and returns the typed result, `null` when the
 * value counts as absent (an empty string for numbers, booleans and timestamps), or throws a
 * FieldError. In fast mode numbers are JS numbers; in lossless mode they are LosslessNumbers.
 */
import { isIP } from "./lazy-builtins.js";
import { FieldError, NEED_LOSSLESS } from "./errors.js";
import { LosslessNumber, parseLossless } from "./lossless-json.js";
import { holdsNumber, mayHoldInexactNumber } from "./number-literals.js";
import { rawMarker } from "./raw-json.js";
import type { TimeContext, TimeFormat } from "./time/format.js";
import { TimeFailure } from "./time/format.js";

export interface CoerceState extends TimeContext {
  /** True when values come from the lossless parser (numbers are LosslessNumber). */
  readonly lossless: boolean;
  /** Set when the record holds raw-JSON markers that serialization must restore. */
  hasRaw: boolean;
  /** The event's text may hold number literals the fast path would change (number-literals.ts). */
  readonly inexactNumbers: boolean;
}

export function fail(message: string): FieldError {
  return new FieldError([], message);
}

/** `how` says where a transformed field's value was to come from. */
export function missing(how?: string): FieldError {
  return new FieldError([], how ? `required field is missing (${how})` : "required field is missing");
}

export function show(v: unknown): string {
  if (v instanceof LosslessNumber) return v.text;
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object" && v !== null) return "an object";
  return String(v);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof LosslessNumber);
}

export function toStr(v: unknown, c: CoerceState): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof LosslessNumber) return v.text;
  // The literal text ("12.50", "1e3") is only known to the lossless parser.
  if (typeof v === "number" && !c.lossless) throw NEED_LOSSLESS;
  throw fail(`expected a string, got ${show(v)}`);
}

const INT_TEXT = /^[+-]?[0-9]+$/;

/** int, smallint: JSON integers and base-10 integer strings within range. */
export function toInt(v: unknown, min: number, max: number, type: string): number | null {
  let n: number;
  if (typeof v === "number") n = v;
  else if (v instanceof LosslessNumber) n = Number(v.text);
  else if (typeof v === "string") {
    if (v === "") return null;
    if (!INT_TEXT.test(v)) throw fail(`expected an integer, got ${show(v)}`);
    n = Number(v);
  } else throw fail(`expected an integer, got ${show(v)}`);
  if (!Number.isInteger(n)) throw fail(`expected an integer, got ${show(v)}`);
  if (n < min || n > max) throw fail(`${show(v)} is out of range for ${type} (${min}..${max})`);
  return n === 0 ? 0 : n; // -0 → 0
}

/**
 * The value of `v` when it is an integer written the way JSON writes numbers (digits, a minus
 * sign at most, no leading zero, not -0) in at most 15 digits, which a double holds exactly;
 * otherwise NaN.
 */
function plainInteger(v: string): number {
  const len = v.length;
  const negative = len > 1 && v.charCodeAt(0) === 45; /* - */
  let i = negative ? 1 : 0;
  if (len - i < 1 || len - i > 15) return NaN;
  let n = v.charCodeAt(i) - 48;
  if (!(n >= 0 && n <= 9) || (n === 0 && (negative || len > 1))) return NaN;
  for (i++; i < len; i++) {
    const d = v.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return NaN;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/**
 * toInt for a record written as JSON text (compile.ts' writer): the integer's JSON text. Text
 * parsers' values are strings mostly written that way already; such a value is its own text
 * (no number to parse and print again). Anything else goes through toInt.
 */
export function intText(v: unknown, min: number, max: number, type: string): string | null {
  if (typeof v === "string") {
    const n = plainInteger(v);
    if (n >= min && n <= max) return v;
  }
  const n = toInt(v, min, max, type);
  return n === null ? null : String(n);
}

/** toBigint for a record written as JSON text, like intText. */
export function bigintText(v: unknown, c: CoerceState): string | null {
  if (typeof v === "string" && !Number.isNaN(plainInteger(v))) return v;
  const x = toBigint(v, c);
  // A raw marker (beyond 2^53) is a string, restored after serialization like an object's.
  return x === null ? null : typeof x === "string" ? JSON.stringify(x) : String(x);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * bigint: exact 64-bit integers. Safe integers come back as numbers; larger ones as a raw JSON
 * marker (a JS number would round them).
 */
export function toBigint(v: unknown, c: CoerceState): number | string | null {
  let text: string;
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    if (Number.isInteger(v) && !c.lossless) throw NEED_LOSSLESS;
    throw fail(`expected an integer, got ${v}`);
  } else if (v instanceof LosslessNumber) {
    text = v.text;
    if (!INT_TEXT.test(text)) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
      throw fail(`expected an integer, got ${text}`);
    }
  } else if (typeof v === "string") {
    if (v === "") return null;
    if (!INT_TEXT.test(v)) throw fail(`expected an integer, got ${show(v)}`);
    // Up to 15 digits (and a sign) a double holds the value exactly: no BigInt needed.
    if (v.length <= 15) {
      const n = Number(v);
      return n === 0 ? 0 : n;
    }
    text = v;
  } else throw fail(`expected an integer, got ${show(v)}`);
  const b = BigInt(text);
  if (b < INT64_MIN || b > INT64_MAX) throw fail(`${text} is out of range for bigint (64-bit)`);
  const n = Number(b);
  if (Number.isSafeInteger(n)) return n;
  c.hasRaw = true;
  return rawMarker(b.toString());
}

const FLOAT_TEXT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

export function toFloat(v: unknown, c: CoerceState): number | null {
  let n: number;
  if (typeof v === "number") {
    // JSON.parse reads 1e400 as Infinity; the lossless pass shows the literal in the error.
    if (!Number.isFinite(v) && !c.lossless) throw NEED_LOSSLESS;
    n = v;
  }
  else if (v instanceof LosslessNumber) n = Number(v.text);
  else if (typeof v === "string") {
    if (v === "") return null;
    if (!FLOAT_TEXT.test(v)) throw fail(`expected a number, got ${show(v)}`);
    n = Number(v);
  } else throw fail(`expected a number, got ${show(v)}`);
  if (!Number.isFinite(n)) throw fail(`${show(v)} is not a finite number`);
  return n;
}

export function toBool(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (v instanceof LosslessNumber) {
    const n = Number(v.text);
    if (n === 1 || n === 0) return n === 1;
  } else if (typeof v === "string") {
    // The strings Go's strconv.ParseBool accepts, as Panther does.
    switch (v) {
      case "1":
      case "t":
      case "T":
      case "TRUE":
      case "true":
      case "True":
        return true;
      case "0":
      case "f":
      case "F":
      case "FALSE":
      case "false":
      case "False":
        return false;
      case "":
        return null;
    }
  }
  throw fail(`expected a boolean, got ${show(v)}`);
}

/** Tries each format in order; the first that parses wins. */
export function toTime(v: unknown, c: CoerceState, formats: readonly TimeFormat[]): string | null {
  let literal: string | undefined;
  if (typeof v === "string") {
    if (v === "") return null;
    let first: TimeFailure | undefined;
    for (const f of formats) {
      const r = f.fromString(v, c);
      if (typeof r === "string") return r;
      first ??= r;
    }
    throw fail(formats.length === 1 && first ? first.message : `${show(v)} matches none of the time formats ${formats.map((f) => f.spec).join(", ")}`);
  }
  if (typeof v === "number") {
    // Fractions and integers beyond 2^53 lose digits in a double; ask for the literal.
    if (!Number.isSafeInteger(v)) {
      if (!c.lossless) throw NEED_LOSSLESS;
    }
    literal = String(v);
  } else if (v instanceof LosslessNumber) {
    literal = v.text;
  } else {
    throw fail(`expected a timestamp, got ${show(v)}`);
  }
  let first: TimeFailure | undefined;
  for (const f of formats) {
    if (!f.fromNumber) continue;
    const r = f.fromNumber(literal, c);
    if (typeof r === "string") return r;
    first ??= r;
  }
  if (first) throw fail(first.message);
  throw fail(`expected a string for time format ${formats.map((f) => f.spec).join(", ")}, got the number ${literal}`);
}

/**
 * A json field's value. In fast mode its numbers are doubles: when the event's text holds a
 * literal they may not print back as it was (1.0, -0, 1e400, 2^53 + 1), the event is re-read
 * losslessly, but only if this value holds a number at all.
 */
export function toJson(v: unknown, c: CoerceState): unknown {
  if (!c.lossless && holdsNumber(v) && c.inexactNumbers) throw NEED_LOSSLESS;
  return v;
}

/** An `isEmbeddedJSON` json field: the string decoded, its own literals checked like toJson's. */
export function embeddedJson(v: unknown, c: CoerceState): unknown {
  if (typeof v !== "string") return toJson(v, c);
  const d = embedded(v, c);
  if (!c.lossless && mayHoldInexactNumber(v) && holdsNumber(d)) throw NEED_LOSSLESS;
  return d;
}

/** Decodes the string of an `isEmbeddedJSON` field; other values pass through. */
export function embedded(v: unknown, c: CoerceState): unknown {
  if (typeof v !== "string") return v;
  if (v === "") return null;
  try {
    return c.lossless ? parseLossless(v) : JSON.parse(v);
  } catch (e) {
    throw fail(`embedded JSON is invalid: ${(e as Error).message}`);
  }
}

export function checkAllowed(s: string, allow: ReadonlySet<string>): void {
  if (!allow.has(s)) throw fail(`${show(s)} is not one of the allowed values (${[...allow].join(", ")})`);
}

export function checkDenied(s: string, deny: ReadonlySet<string>): void {
  if (deny.has(s)) throw fail(`${show(s)} is a denied value`);
}

export function checkIp(s: string, family: string): void {
  const v = isIP(s);
  if (v === 0 || (family === "ipv4" && v !== 4) || (family === "ipv6" && v !== 6)) {
    throw fail(`${show(s)} is not a valid ${family === "any" ? "IP" : family} address`);
  }
}

export function checkCidr(s: string, family: string): void {
  const slash = s.lastIndexOf("/");
  const ip = slash < 0 ? "" : s.slice(0, slash);
  const bits = slash < 0 ? "" : s.slice(slash + 1);
  const v = isIP(ip);
  const max = v === 4 ? 32 : 128;
  const ok =
    v !== 0 &&
    /^[0-9]{1,3}$/.test(bits) &&
    Number(bits) <= max &&
    !(family === "ipv4" && v !== 4) &&
    !(family === "ipv6" && v !== 6);
  if (!ok) throw fail(`${show(s)} is not a valid ${family === "any" ? "" : `${family} `}CIDR range`);
}

