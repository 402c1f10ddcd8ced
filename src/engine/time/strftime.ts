/**
 * Custom `timeFormat` strings in strftime notation, read strptime-style like Panther's engine
 * (which uses github.com/itchyny/timefmt-go). A format is compiled once into a list of steps; parsing a
 * value runs the steps over it without re-reading the format.
 *
 * hexlog decisions beyond the reference:
 * - `%f` reads 1-9 digits (nanoseconds; the reference stops at 6), `%L` exactly 3 (milliseconds).
 * - `%z` also accepts `±hh:mm` and `Z`; `%Z` knows a small table of abbreviations (zones.ts) and
 *   fails on any other instead of silently using offset 0.
 * - `%d`, like `%e`, `%k` and `%l`, accepts one leading space: syslog pads days that way.
 * - `%b`/`%h`/`%B` accept abbreviated or full month names, `%a`/`%A` weekday names, all
 *   case-insensitive. Weekdays and week numbers (`%a %u %w %U %W %V`) are read, not checked.
 * - `%I`/`%l` take 1-12, 12 meaning 0 unless `%p` says PM.
 * - Without a year directive the year is inferred from "now" (see DateFields.toText).
 */

import { TIME_FORMAT_NAMES } from "../../language/vocabulary/time-formats.js";
import { MONTH_NAMES, quoteValue, WEEKDAY_NAMES } from "./civil.js";
import { DateFields } from "./fields.js";
import { TimeFailure, TimeFormatError, type TimeContext, type TimeFormat } from "./format.js";
import { readZoneName } from "./zones.js";

// Step kinds.
const LITERAL = 0;
const NUMBER = 1;
const FRACTION = 2;
const MONTH_NAME = 3;
const WEEKDAY_NAME = 4;
const AM_PM = 5;
const NUMERIC_ZONE = 6;
const ZONE_NAME = 7;
const WHITESPACE = 8;

// Where a NUMBER step stores its value.
const YEAR = 0;
const YEAR_OF_CENTURY = 1; // %y: 69-99 → 19xx, 0-68 → 20xx
const YEAR_2000 = 2; // %g: 2000 + value
const CENTURY = 3;
const MONTH = 4;
const DAY = 5;
const YDAY = 6;
const HOUR = 7;
const HOUR12 = 8;
const MINUTE = 9;
const SECOND = 10;
const MILLIS = 11;
const EPOCH = 12;
const IGNORED = 13;

interface Step {
  kind: number;
  /** The directive as written, for messages ("%d"); the literal text for LITERAL steps. */
  text: string;
  /** What the user should see expected: "day of month". */
  what: string;
  /** NUMBER: where the value goes, digit counts, allowed values, and a leading space allowed. */
  target: number;
  minDigits: number;
  maxDigits: number;
  low: number;
  high: number;
  space: boolean;
}

function step(kind: number, text: string, what: string): Step {
  return { kind, text, what, target: IGNORED, minDigits: 0, maxDigits: 0, low: 0, high: 0, space: false };
}

function number(
  directive: string,
  what: string,
  target: number,
  maxDigits: number,
  low: number,
  high: number,
  space = false,
  minDigits = 1,
): Step {
  return { ...step(NUMBER, directive, what), target, minDigits, maxDigits, low, high, space };
}

/** The primitive directives: letter → the step it compiles to. */
const PRIMITIVES: Record<string, () => Step> = {
  Y: () => number("%Y", "year", YEAR, 4, 0, 9999),
  y: () => number("%y", "2-digit year", YEAR_OF_CENTURY, 2, 0, 99),
  C: () => number("%C", "century", CENTURY, 2, 0, 99),
  G: () => number("%G", "ISO week year", YEAR, 4, 0, 9999),
  g: () => number("%g", "2-digit ISO week year", YEAR_2000, 2, 0, 99),
  m: () => number("%m", "month", MONTH, 2, 1, 12),
  d: () => number("%d", "day of month", DAY, 2, 1, 31, true),
  e: () => number("%e", "day of month", DAY, 2, 1, 31, true),
  j: () => number("%j", "day of year", YDAY, 3, 1, 366),
  H: () => number("%H", "hour", HOUR, 2, 0, 23),
  k: () => number("%k", "hour", HOUR, 2, 0, 23, true),
  I: () => number("%I", "hour (1-12)", HOUR12, 2, 1, 12),
  l: () => number("%l", "hour (1-12)", HOUR12, 2, 1, 12, true),
  M: () => number("%M", "minute", MINUTE, 2, 0, 59),
  S: () => number("%S", "second", SECOND, 2, 0, 59),
  L: () => number("%L", "milliseconds (3 digits)", MILLIS, 3, 0, 999, false, 3),
  s: () => number("%s", "unix seconds", EPOCH, 10, 0, 9_999_999_999),
  U: () => number("%U", "week number", IGNORED, 2, 0, 53),
  W: () => number("%W", "week number", IGNORED, 2, 0, 53),
  V: () => number("%V", "ISO week number", IGNORED, 2, 1, 53),
  w: () => number("%w", "weekday number (0-6)", IGNORED, 1, 0, 6),
  u: () => number("%u", "weekday number (1-7)", IGNORED, 1, 1, 7),
  f: () => step(FRACTION, "%f", "fraction of a second (1-9 digits)"),
  b: () => step(MONTH_NAME, "%b", "month name"),
  h: () => step(MONTH_NAME, "%h", "month name"),
  B: () => step(MONTH_NAME, "%B", "month name"),
  a: () => step(WEEKDAY_NAME, "%a", "weekday name"),
  A: () => step(WEEKDAY_NAME, "%A", "weekday name"),
  p: () => step(AM_PM, "%p", "AM or PM"),
  P: () => step(AM_PM, "%P", "am or pm"),
  z: () => step(NUMERIC_ZONE, "%z", "zone offset like -0700, -07:00 or Z"),
  Z: () => step(ZONE_NAME, "%Z", "time zone name"),
  t: () => step(WHITESPACE, "%t", "whitespace"),
  n: () => step(WHITESPACE, "%n", "whitespace"),
};

/** Directives that stand for a sequence of others. */
const COMPOSITIONS: Record<string, string> = {
  c: "%a %b %e %H:%M:%S %Y",
  "+": "%a %b %e %H:%M:%S %Z %Y",
  F: "%Y-%m-%d",
  D: "%m/%d/%y",
  x: "%m/%d/%y",
  v: "%e-%b-%Y",
  T: "%H:%M:%S",
  X: "%H:%M:%S",
  r: "%I:%M:%S %p",
  R: "%H:%M",
};

/** Every character that may follow `%` in a hexlog strftime format (for schema validation). */
export const STRFTIME_DIRECTIVES: ReadonlySet<string> = new Set([
  ...Object.keys(PRIMITIVES),
  ...Object.keys(COMPOSITIONS),
  "%",
]);

/** Directives that carry no part of a time: a format made only of these is not a time format. */
const NOT_TIME = new Set(["t", "n", "%"]);

/** Appends the steps of `format` to `steps`; returns an error message or undefined. */
function compileInto(format: string, steps: Step[], spec: string): string | undefined {
  let literal = "";
  const flushLiteral = (): void => {
    if (literal !== "") steps.push(step(LITERAL, literal, ""));
    literal = "";
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%") {
      literal += c;
      continue;
    }
    const directive = format[++i];
    if (directive === undefined) return `time format ${quoteValue(spec)} ends with a lone '%'`;
    if (directive === "%") {
      literal += "%";
      continue;
    }
    flushLiteral();
    const composition = COMPOSITIONS[directive];
    if (composition !== undefined) {
      compileInto(composition, steps, spec);
      continue;
    }
    const primitive = Object.hasOwn(PRIMITIVES, directive) ? PRIMITIVES[directive] : undefined;
    if (primitive === undefined) {
      return `unknown strftime directive %${directive} in time format ${quoteValue(spec)}`;
    }
    steps.push(primitive());
  }
  flushLiteral();
  return undefined;
}

/** Whether any directive in `format` carries part of a time (not just %t %n %%). */
function hasTimeDirective(format: string): boolean {
  for (let i = 0; i < format.length - 1; i++) {
    if (format[i] === "%") {
      if (!NOT_TIME.has(format[i + 1]!)) return true;
      i++;
    }
  }
  return false;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Length of `name` or of its 3-letter abbreviation at `pos` (case-insensitive), or 0. */
function nameLength(value: string, pos: number, name: string): number {
  let i = 0;
  for (; i < name.length; i++) {
    // OR-ing 0x20 lowercases ASCII letters and cannot turn a non-letter into one.
    if ((value.charCodeAt(pos + i) | 0x20) !== (name.charCodeAt(i) | 0x20)) break;
  }
  return i === name.length ? i : i >= 3 ? 3 : 0;
}

/** Index of the name (full or abbreviated) at `pos`, with its length in `matchedLength`. */
let matchedLength = 0;
function matchName(value: string, pos: number, names: readonly string[]): number {
  for (let n = 0; n < names.length; n++) {
    const length = nameLength(value, pos, names[n]!);
    if (length > 0) {
      matchedLength = length;
      return n;
    }
  }
  return -1;
}

const FRACTION_SCALE = [0, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

class StrftimeFormat implements TimeFormat {
  // One scratch record per format: parsing is synchronous, so values never interleave.
  private readonly fields = new DateFields();

  constructor(
    readonly spec: string,
    private readonly steps: readonly Step[],
  ) {
    const reads = (targets: number[]): boolean => steps.some((s) => s.kind === NUMBER && targets.includes(s.target));
    this.yearGiven = reads([YEAR, YEAR_OF_CENTURY, YEAR_2000, CENTURY]) && !reads([EPOCH]);
  }

  private fail(value: string, reason: string): TimeFailure {
    return new TimeFailure(`${quoteValue(value)} does not match ${this.spec}: ${reason}`);
  }

  /** The last value read in full and its text: log lines come in time order, many in the same second. */
  private lastValue = "";
  private lastNow = NaN;
  private lastText = "";

  /**
   * Where the last value read in full had its `%S` digits (two of them), or -1; and its text
   * before and after them. A value of the same length that starts and ends the same way differs
   * from it at most in its seconds, and then so does its output (see fromString).
   */
  private lastSecondsAt = -1;
  private head = "";
  private tail = "";
  /** The last text read in full before and after its seconds. */
  private textHead = "";
  private textTail = "";
  /** By second (0-59), the output of a value that differs from the last one read in full only in its seconds. */
  private readonly secondTexts = new Array<string | undefined>(60).fill(undefined);
  private secondTextsUsed = false;
  /** Where `%S` read its digits in the value `read` is reading. */
  private secondsAt = -1;
  /** A year directive and no %s: the output does not depend on "now" (see DateFields.toText). */
  private readonly yearGiven: boolean;

  fromString = (value: string, ctx: TimeContext): string | TimeFailure => {
    const at = this.lastSecondsAt;
    if (at >= 0 && value.length === this.lastValue.length && value.startsWith(this.head) && value.endsWith(this.tail)) {
      // Only the seconds differ (00-59): zone offsets are whole minutes, so the output's seconds
      // are the input's and the rest of the text is the last value's.
      const tens = value.charCodeAt(at) - 48;
      const ones = value.charCodeAt(at + 1) - 48;
      if (tens >= 0 && tens <= 5 && ones >= 0 && ones <= 9) {
        // Each second's text is made once per minute (from pieces made once too) and reused.
        const second = tens * 10 + ones;
        let text = this.secondTexts[second];
        if (text === undefined) {
          text = this.textHead + (TWO_DIGITS[second] as string) + this.textTail;
          this.secondTexts[second] = text;
          this.secondTextsUsed = true;
        }
        return text;
      }
    }
    // The text depends on the value and, for formats without a year, on "now".
    if (value === this.lastValue && ctx.nowSec === this.lastNow) return this.lastText;
    this.secondsAt = -1;
    const r = this.read(value, ctx);
    if (typeof r === "string") {
      this.lastValue = value;
      this.lastNow = ctx.nowSec;
      this.lastText = r;
      const seconds = this.yearGiven ? this.secondsAt : -1;
      this.lastSecondsAt = seconds;
      this.head = seconds >= 0 ? value.slice(0, seconds) : "";
      this.tail = seconds >= 0 ? value.slice(seconds + 2) : "";
      this.textHead = r.slice(0, SECONDS_IN_OUTPUT);
      this.textTail = r.slice(SECONDS_IN_OUTPUT + 2);
      // The texts around the seconds are this value's now.
      if (this.secondTextsUsed) {
        this.secondTexts.fill(undefined);
        this.secondTextsUsed = false;
      }
    }
    return r;
  };

  private read(value: string, ctx: TimeContext): string | TimeFailure {
    const f = this.fields;
    f.reset();
    let year = -1;
    let yearOfCentury = -1;
    let year2000 = -1;
    let century = -1;
    let hour12 = -1;
    let pm = false;
    let epoch = -1;
    let pos = 0;
    const len = value.length;

    for (const s of this.steps) {
      switch (s.kind) {
        case LITERAL: {
          const text = s.text;
          for (let i = 0; i < text.length; i++, pos++) {
            if (value.charCodeAt(pos) !== text.charCodeAt(i)) {
              return this.fail(value, `expected '${text[i]}' at position ${pos}`);
            }
          }
          break;
        }
        case NUMBER: {
          if (s.space && value.charCodeAt(pos) === 32) pos++;
          const start = pos;
          let n = 0;
          while (pos - start < s.maxDigits) {
            const d = value.charCodeAt(pos) - 48;
            if (!(d >= 0 && d <= 9)) break;
            n = n * 10 + d;
            pos++;
          }
          if (pos - start < s.minDigits) {
            return this.fail(value, `expected ${s.what} (${s.text}) at position ${start}`);
          }
          if (n < s.low || n > s.high) {
            return this.fail(value, `${s.what} ${n} at position ${start} is out of range (${s.low}-${s.high})`);
          }
          switch (s.target) {
            case YEAR: year = n; break;
            case YEAR_OF_CENTURY: yearOfCentury = n; break;
            case YEAR_2000: year2000 = n; break;
            case CENTURY: century = n; break;
            case MONTH: f.month = n; break;
            case DAY: f.day = n; break;
            case YDAY: f.yday = n; break;
            case HOUR: f.hour = n; hour12 = -1; break;
            case HOUR12: hour12 = n; break;
            case MINUTE: f.minute = n; break;
            case SECOND: f.second = n; this.secondsAt = pos - start === 2 ? start : -1; break;
            case MILLIS: f.nsec = n * 1_000_000; break;
            case EPOCH: epoch = n; break;
          }
          break;
        }
        case FRACTION: {
          const start = pos;
          let n = 0;
          while (pos - start < 9) {
            const d = value.charCodeAt(pos) - 48;
            if (!(d >= 0 && d <= 9)) break;
            n = n * 10 + d;
            pos++;
          }
          if (pos === start) return this.fail(value, `expected ${s.what} (${s.text}) at position ${pos}`);
          f.nsec = n * FRACTION_SCALE[pos - start]!;
          break;
        }
        case MONTH_NAME: {
          const month = matchName(value, pos, MONTH_NAMES);
          if (month < 0) return this.fail(value, `expected ${s.what} (${s.text}) at position ${pos}`);
          f.month = month + 1;
          pos += matchedLength;
          break;
        }
        case WEEKDAY_NAME: {
          if (matchName(value, pos, WEEKDAY_NAMES) < 0) {
            return this.fail(value, `expected ${s.what} (${s.text}) at position ${pos}`);
          }
          pos += matchedLength;
          break;
        }
        case AM_PM: {
          const first = value.charCodeAt(pos) | 0x20;
          if ((first !== 97 && first !== 112) || (value.charCodeAt(pos + 1) | 0x20) !== 109) {
            return this.fail(value, `expected ${s.what} (${s.text}) at position ${pos}`);
          }
          pm = first === 112;
          pos += 2;
          break;
        }
        case NUMERIC_ZONE: {
          const sign = value.charCodeAt(pos);
          if (sign === 90 || sign === 122) {
            f.offset = 0;
            pos++;
            break;
          }
          const start = pos;
          const hh = twoDigits(value, pos + 1);
          let mmAt = pos + 3;
          if (value.charCodeAt(mmAt) === 58) mmAt++;
          const mm = twoDigits(value, mmAt);
          if ((sign !== 43 && sign !== 45) || hh < 0 || mm < 0) {
            return this.fail(value, `expected ${s.what} (${s.text}) at position ${start}`);
          }
          if (hh > 23 || mm > 59) {
            return this.fail(value, `zone offset ${value.slice(start, mmAt + 2)} at position ${start} is out of range`);
          }
          f.offset = (sign === 45 ? -1 : 1) * (hh * 3600 + mm * 60);
          pos = mmAt + 2;
          break;
        }
        case ZONE_NAME: {
          const zone = readZoneName(value, pos);
          if (zone === null) return this.fail(value, `expected ${s.what} (${s.text}) at position ${pos}`);
          if (typeof zone === "string") return this.fail(value, zone);
          f.offset = zone.offset;
          pos = zone.end;
          break;
        }
        case WHITESPACE: {
          const start = pos;
          while (pos < len && isSpace(value.charCodeAt(pos))) pos++;
          if (pos === start) return this.fail(value, `expected ${s.what} (${s.text}) at position ${pos}`);
          break;
        }
      }
    }
    if (pos < len) {
      return this.fail(value, `unexpected ${quoteValue(value.slice(pos))} at position ${pos}`);
    }

    if (epoch >= 0) {
      // %s is a complete instant: other date fields and zones do not move it.
      f.year = 1970;
      f.month = 1;
      f.day = 1;
      f.yday = -1;
      f.hour = 0;
      f.minute = 0;
      f.second = epoch;
      f.offset = 0;
    } else {
      if (century >= 0) {
        const low = yearOfCentury >= 0 ? yearOfCentury : year >= 0 ? year % 100 : year2000 >= 0 ? year2000 : 0;
        f.year = century * 100 + low;
      } else if (year >= 0) f.year = year;
      else if (year2000 >= 0) f.year = 2000 + year2000;
      else if (yearOfCentury >= 0) f.year = yearOfCentury < 69 ? 2000 + yearOfCentury : 1900 + yearOfCentury;
      if (hour12 >= 0) f.hour = (hour12 % 12) + (pm ? 12 : 0);
    }
    const text = f.toText(ctx.nowSec, false);
    return text === undefined ? this.fail(value, f.problem) : text;
  }
}

/** "00" to "59". */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

/** "YYYY-MM-DDTHH:MM:" (time/civil.ts' formatEpoch): where the output's seconds start. */
const SECONDS_IN_OUTPUT = 17;

function twoDigits(s: string, pos: number): number {
  const a = s.charCodeAt(pos) - 48;
  const b = s.charCodeAt(pos + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Compiles a strftime time format, or says why it cannot be used. */
export function compileStrftime(spec: string): TimeFormat | TimeFormatError {
  const steps: Step[] = [];
  const error = compileInto(spec, steps, spec);
  if (error !== undefined) return new TimeFormatError(error);
  if (!hasTimeDirective(spec)) {
    return new TimeFormatError(
      `time format ${quoteValue(spec)} is not ${TIME_FORMAT_NAMES.join(", ")} ` +
        `or layout=…, and has no strftime directive such as %Y or %H`,
    );
  }
  return new StrftimeFormat(spec, steps);
}
