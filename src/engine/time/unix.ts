/**
 * `unix` (seconds, optionally with a fraction or exponent), `unix_ms`, `unix_us` and `unix_ns`
 * (integers). Numbers arrive as their literal JSON text, and strings hold the same syntax, so both
 * go through one exact decimal reader: no float rounding (Panther rounds `unix` to microseconds),
 * no int64 wrap-around (Panther turns 1e30 into 1970). Out-of-range values are failures.
 */

import { formatEpoch, quoteValue, RANGE_HINT, secondsInRange } from "./civil.js";
import { TimeFailure, type TimeFormat } from "./format.js";
import { instantFromEpochNanos } from "./instant.js";

/** What scanDecimal read (reused between calls: read it right after the call). */
export const decimal = {
  negative: false,
  /** All significant digits of the mantissa, leading zeros dropped ("" for zero). */
  digits: "",
  /** The value is digits × 10^scale. */
  scale: 0,
  /** Whether the text had a '.' or an exponent (integer-only formats reject both). */
  fractional: false,
};

const PLUS = 43;
const MINUS = 45;
const DOT = 46;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Reads a decimal number: `[+-]digits[.digits][(e|E)[+-]digits]`, with digits on at least one
 * side of the point (Go's ParseFloat syntax without hex, underscores, Inf and NaN). No spaces.
 */
export function scanDecimal(text: string): boolean {
  const len = text.length;
  let pos = 0;
  const sign = text.charCodeAt(0);
  decimal.negative = sign === MINUS;
  if (sign === MINUS || sign === PLUS) pos++;
  const intStart = pos;
  while (pos < len && isDigit(text.charCodeAt(pos))) pos++;
  const intEnd = pos;
  let fracStart = pos;
  let fracEnd = pos;
  decimal.fractional = false;
  if (text.charCodeAt(pos) === DOT) {
    decimal.fractional = true;
    fracStart = ++pos;
    while (pos < len && isDigit(text.charCodeAt(pos))) pos++;
    fracEnd = pos;
  }
  if (intEnd === intStart && fracEnd === fracStart) return false;
  let exponent = 0;
  const e = text.charCodeAt(pos);
  if (e === 101 || e === 69) {
    decimal.fractional = true;
    pos++;
    const expSign = text.charCodeAt(pos);
    if (expSign === MINUS || expSign === PLUS) pos++;
    const expStart = pos;
    for (; pos < len && isDigit(text.charCodeAt(pos)); pos++) {
      // Past 10^7 any exponent means "zero" or "out of range" alike, so stop growing it.
      if (exponent < 10_000_000) exponent = exponent * 10 + (text.charCodeAt(pos) - 48);
    }
    if (pos === expStart) return false;
    if (expSign === MINUS) exponent = -exponent;
  }
  if (pos !== len) return false;
  let digits = text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd);
  let zeros = 0;
  while (zeros < digits.length && digits.charCodeAt(zeros) === 48) zeros++;
  if (zeros > 0) digits = digits.slice(zeros);
  decimal.digits = digits;
  decimal.scale = exponent - (fracEnd - fracStart);
  return true;
}

/**
 * The last scanDecimal value times 10^unitExp nanoseconds (unitExp 9 = seconds), truncated
 * toward zero below one nanosecond; undefined when far beyond any supported instant.
 */
export function decimalNanos(unitExp: number): bigint | undefined {
  const { digits } = decimal;
  if (digits === "") return 0n;
  const shift = decimal.scale + unitExp;
  // 10^21 ns is about year 33658: anything with more integer digits is out of range anyway,
  // and refusing early keeps "1e999999" from building a huge BigInt.
  if (digits.length + shift > 21) return undefined;
  let ns: bigint;
  if (shift >= 0) {
    ns = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const keep = digits.length + shift;
    if (keep <= 0) return 0n;
    ns = BigInt(digits.slice(0, keep));
  }
  return decimal.negative ? -ns : ns;
}

/** Unit name, digits per second, and an example, per integer format. */
interface Unit {
  spec: string;
  /** Power of ten from this unit to nanoseconds. */
  exp: number;
  /** 10^(9 - exp): units per second. */
  perSecond: number;
  expected: string;
}

const UNITS: Record<"unix" | "unix_ms" | "unix_us" | "unix_ns", Unit> = {
  unix: { spec: "unix", exp: 9, perSecond: 1, expected: "unix seconds like 1600000000 or 1600000000.123" },
  unix_ms: {
    spec: "unix_ms",
    exp: 6,
    perSecond: 1e3,
    expected: "integer unix milliseconds like 1600000000123",
  },
  unix_us: {
    spec: "unix_us",
    exp: 3,
    perSecond: 1e6,
    expected: "integer unix microseconds like 1600000000123456",
  },
  unix_ns: {
    spec: "unix_ns",
    exp: 0,
    perSecond: 1e9,
    expected: "integer unix nanoseconds like 1600000000123456789",
  },
};

/** The value of `-?\d{1,15}` (exact as a double), or NaN for anything else. */
function smallInteger(text: string): number {
  const len = text.length;
  let pos = text.charCodeAt(0) === MINUS ? 1 : 0;
  if (len === pos || len - pos > 15) return NaN;
  let value = 0;
  for (; pos < len; pos++) {
    const d = text.charCodeAt(pos) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  // "+ 0" turns -0 into 0.
  return text.charCodeAt(0) === MINUS ? -value + 0 : value;
}

function outOfRange(spec: string, text: string): TimeFailure {
  return new TimeFailure(`${spec} time ${quoteValue(text)} is ${RANGE_HINT}`);
}

/** Canonical output for decimalNanos' result; `spec` and `text` name the value on failure. */
export function nanosToText(ns: bigint | undefined, spec: string, text: string): string | TimeFailure {
  const instant = ns === undefined ? undefined : instantFromEpochNanos(ns);
  if (instant === undefined) return outOfRange(spec, text);
  return formatEpoch(instant.sec, instant.nsec);
}

/** Text of a number in `unit` to canonical output, exactly. */
function convert(unit: Unit, text: string): string | TimeFailure {
  // Fast path: integers below 10^15 split into seconds and remainder exactly with doubles.
  const n = smallInteger(text);
  if (!Number.isNaN(n)) {
    let rest = n % unit.perSecond;
    let sec = (n - rest) / unit.perSecond;
    if (rest < 0) {
      rest += unit.perSecond;
      sec -= 1;
    }
    if (!secondsInRange(sec)) return outOfRange(unit.spec, text);
    return formatEpoch(sec, rest * 10 ** unit.exp);
  }
  if (!scanDecimal(text) || (unit.exp !== 9 && decimal.fractional)) {
    return new TimeFailure(`expected ${unit.expected}, got ${quoteValue(text)}`);
  }
  return nanosToText(decimalNanos(unit.exp), unit.spec, text);
}

function unixFormat(unit: Unit): TimeFormat {
  const parse = (text: string): string | TimeFailure => convert(unit, text);
  return { spec: unit.spec, fromString: parse, fromNumber: parse };
}

export const unixSecondsFormat = unixFormat(UNITS.unix);
export const unixMillisFormat = unixFormat(UNITS.unix_ms);
export const unixMicrosFormat = unixFormat(UNITS.unix_us);
export const unixNanosFormat = unixFormat(UNITS.unix_ns);
