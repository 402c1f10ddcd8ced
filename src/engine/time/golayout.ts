/**
 * `timeFormat: layout=<Go reference layout>`, used by Panther's managed schemas
 * (`layout=01/02/2006 15:04:05.999`). The layout is split into elements the way Go's time
 * package does (the reference time is Mon Jan 2 15:04:05 MST 2006), and values are read with
 * Go's time.Parse rules: which digits are fixed-width, `_2` space padding, a run of spaces in the
 * layout matching any run of spaces, a fraction accepted after the seconds even when the layout
 * has none, `.999` taking any number of digits.
 *
 * hexlog decisions where Go's behaviour would hurt:
 * - `MST` reads the zone table of zones.ts and fails on other names (Go uses offset 0).
 * - Zone offsets must be below 24h (Go allows 24:00).
 * - Without a year element the year is inferred from "now" (Go gives year 0, which is never
 *   what a log means); see DateFields.toText.
 */

import { MONTH_NAMES, quoteValue, WEEKDAY_NAMES } from "./civil.js";
import { DateFields } from "./fields.js";
import { TimeFailure, TimeFormatError, type TimeContext, type TimeFormat } from "./format.js";
import { readZoneName } from "./zones.js";

// Element kinds.
const LITERAL = 0;
const LONG_YEAR = 1; // 2006
const YEAR = 2; // 06
const MONTH = 3; // Jan
const LONG_MONTH = 4; // January
const NUM_MONTH = 5; // 1, 01 (fixed)
const WEEKDAY = 6; // Mon
const LONG_WEEKDAY = 7; // Monday
const DAY = 8; // 2, _2 (space), 02 (fixed)
const YEAR_DAY = 9; // __2 (space), 002 (fixed)
const HOUR = 10; // 15
const HOUR12 = 11; // 3, 03 (fixed)
const MINUTE = 12; // 4, 04 (fixed)
const SECOND = 13; // 5, 05 (fixed)
const PM = 14; // PM
const LOWER_PM = 15; // pm
const ZONE_NAME = 16; // MST
const ZONE_OFFSET = 17; // -0700 and the other numeric forms; Z07:00 etc. with `utcZ`
const FRACTION = 18; // .000 (fixed), .999

// Shapes of a numeric zone offset.
const HH = 0; // -07
const HHMM = 1; // -0700
const HH_MM = 2; // -07:00
const HHMMSS = 3; // -070000
const HH_MM_SS = 4; // -07:00:00

interface Element {
  kind: number;
  /** Layout text of the element (for messages), or the literal text. */
  text: string;
  /** Digits must fill the width (01, 02, 002, .000) instead of 1..N. */
  fixed: boolean;
  /** DAY / YEAR_DAY: leading spaces allowed (_2, __2). */
  space: boolean;
  /** ZONE_OFFSET: the shape; FRACTION: the number of digits. */
  arg: number;
  /** ZONE_OFFSET: `Z` stands for UTC (the Z07:00 family). */
  utcZ: boolean;
  /** SECOND: the next element is a fraction, so the seconds must not swallow one themselves. */
  fractionFollows: boolean;
}

function element(kind: number, text: string, fixed = false, space = false, arg = 0, utcZ = false): Element {
  return { kind, text, fixed, space, arg, utcZ, fractionFollows: false };
}

const ZONE_FORMS: ReadonlyArray<[string, number]> = [
  ["070000", HHMMSS],
  ["07:00:00", HH_MM_SS],
  ["0700", HHMM],
  ["07:00", HH_MM],
  ["07", HH],
];

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isDigitAt(s: string, pos: number): boolean {
  const c = s.charCodeAt(pos);
  return c >= 48 && c <= 57;
}

/** The layout element starting at `i`, or undefined when the character there is literal. */
function elementAt(layout: string, i: number): Element | undefined {
  const at = (text: string): boolean => layout.startsWith(text, i);
  switch (layout[i]) {
    case "J":
      if (at("January")) return element(LONG_MONTH, "January");
      // "Jan" followed by a lowercase letter is a word like "Janitor", not an element.
      if (at("Jan") && !isLower(layout.charCodeAt(i + 3))) return element(MONTH, "Jan");
      return undefined;
    case "M":
      if (at("Monday")) return element(LONG_WEEKDAY, "Monday");
      if (at("Mon") && !isLower(layout.charCodeAt(i + 3))) return element(WEEKDAY, "Mon");
      if (at("MST")) return element(ZONE_NAME, "MST");
      return undefined;
    case "0":
      switch (layout[i + 1]) {
        case "1": return element(NUM_MONTH, "01", true);
        case "2": return element(DAY, "02", true);
        case "3": return element(HOUR12, "03", true);
        case "4": return element(MINUTE, "04", true);
        case "5": return element(SECOND, "05", true);
        case "6": return element(YEAR, "06", true);
      }
      return at("002") ? element(YEAR_DAY, "002", true) : undefined;
    case "1":
      return at("15") ? element(HOUR, "15") : element(NUM_MONTH, "1");
    case "2":
      return at("2006") ? element(LONG_YEAR, "2006", true) : element(DAY, "2");
    case "_":
      // "_2006" is a literal underscore before the year, as in Go.
      if (at("_2") && !at("_2006")) return element(DAY, "_2", false, true);
      return at("__2") ? element(YEAR_DAY, "__2", false, true) : undefined;
    case "3":
      return element(HOUR12, "3");
    case "4":
      return element(MINUTE, "4");
    case "5":
      return element(SECOND, "5");
    case "P":
      return at("PM") ? element(PM, "PM") : undefined;
    case "p":
      return at("pm") ? element(LOWER_PM, "pm") : undefined;
    case "-":
    case "Z":
      for (const [form, shape] of ZONE_FORMS) {
        if (layout.startsWith(form, i + 1)) {
          return element(ZONE_OFFSET, layout[i] + form, true, false, shape, layout[i] === "Z");
        }
      }
      return undefined;
    case ".":
    case ",": {
      // .000 / .999 (or with a comma): a fraction only when no other digit follows the run.
      const digit = layout[i + 1];
      if (digit !== "0" && digit !== "9") return undefined;
      let end = i + 1;
      while (layout[end] === digit) end++;
      if (isDigitAt(layout, end)) return undefined;
      return element(FRACTION, layout.slice(i, end), digit === "0", false, end - i - 1);
    }
  }
  return undefined;
}

/** Splits a Go layout into elements and literal runs. */
function tokenize(layout: string): Element[] {
  const elements: Element[] = [];
  let literal = "";
  for (let i = 0; i < layout.length; ) {
    const e = elementAt(layout, i);
    if (e === undefined) {
      literal += layout[i];
      i++;
      continue;
    }
    if (literal !== "") elements.push(element(LITERAL, literal));
    literal = "";
    elements.push(e);
    i += e.text.length;
  }
  if (literal !== "") elements.push(element(LITERAL, literal));
  // Go lets a fraction follow the seconds unless the layout's next element is a fraction itself.
  for (let k = 0; k < elements.length; k++) {
    if (elements[k]!.kind !== SECOND) continue;
    const next = elements.slice(k + 1).find((e) => e.kind !== LITERAL);
    elements[k]!.fractionFollows = next !== undefined && next.kind === FRACTION;
  }
  return elements;
}

const WHAT: Record<number, string> = {
  [LONG_YEAR]: "4-digit year",
  [YEAR]: "2-digit year",
  [MONTH]: "month name",
  [LONG_MONTH]: "month name",
  [NUM_MONTH]: "month",
  [WEEKDAY]: "weekday name",
  [LONG_WEEKDAY]: "weekday name",
  [DAY]: "day",
  [YEAR_DAY]: "day of year",
  [HOUR]: "hour",
  [HOUR12]: "hour",
  [MINUTE]: "minute",
  [SECOND]: "second",
  [PM]: "AM or PM",
  [LOWER_PM]: "am or pm",
  [ZONE_NAME]: "time zone name",
  [ZONE_OFFSET]: "zone offset",
  [FRACTION]: "fraction of a second",
};

const FRACTION_SCALE = [0, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

// Results of the small readers below (one value at a time: parsing is synchronous).
let readValue = 0;
let readEnd = 0;

/** Go's getnum / getnum3: 1..width digits, or exactly `width` when fixed. */
function readNumber(s: string, pos: number, width: number, fixed: boolean): boolean {
  let n = 0;
  let i = pos;
  for (; i < pos + width && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === pos || (fixed && i !== pos + width)) return false;
  readValue = n;
  readEnd = i;
  return true;
}

/** A fraction at `pos` (separator then `count` digits, or all digits when count < 0) → ns. */
function readFraction(s: string, pos: number, count: number): boolean {
  const sep = s.charCodeAt(pos);
  if (sep !== 46 && sep !== 44) return false;
  let i = pos + 1;
  let n = 0;
  const limit = count < 0 ? s.length : pos + 1 + count;
  for (; i < limit && isDigitAt(s, i); i++) {
    // Digits beyond nanoseconds are dropped, as Go does.
    if (i - pos <= 9) n = n * 10 + (s.charCodeAt(i) - 48);
  }
  const digits = i - pos - 1;
  if (digits === 0 || (count >= 0 && digits !== count)) return false;
  readValue = n * FRACTION_SCALE[Math.min(digits, 9)]!;
  readEnd = i;
  return true;
}

/** Index of the name at `pos` (ASCII case-insensitive, like Go's lookup), or -1. */
function lookupName(s: string, pos: number, names: readonly string[]): number {
  for (let n = 0; n < names.length; n++) {
    const name = names[n]!;
    let i = 0;
    while (i < name.length && (s.charCodeAt(pos + i) | 0x20) === (name.charCodeAt(i) | 0x20)) i++;
    if (i === name.length) {
      readEnd = pos + i;
      return n;
    }
  }
  return -1;
}

const SHORT_MONTHS = MONTH_NAMES.map((m) => m.slice(0, 3));
const SHORT_WEEKDAYS = WEEKDAY_NAMES.map((d) => d.slice(0, 3));

class GoLayoutFormat implements TimeFormat {
  private readonly fields = new DateFields();

  constructor(
    readonly spec: string,
    private readonly layout: string,
    private readonly elements: readonly Element[],
  ) {}

  private fail(value: string, reason: string): TimeFailure {
    return new TimeFailure(`${quoteValue(value)} does not match layout ${this.layout}: ${reason}`);
  }

  private expected(value: string, e: Element, pos: number): TimeFailure {
    return this.fail(value, `expected ${WHAT[e.kind]} (${e.text}) at position ${pos}`);
  }

  private outOfRange(value: string, e: Element, n: number, pos: number): TimeFailure {
    return this.fail(value, `${WHAT[e.kind]} ${n} at position ${pos} is out of range`);
  }

  fromString = (value: string, ctx: TimeContext): string | TimeFailure => {
    const f = this.fields;
    f.reset();
    let hour = 0;
    let pm = false;
    let am = false;
    let pos = 0;
    for (const e of this.elements) {
      const start = pos;
      switch (e.kind) {
        case LITERAL: {
          const text = e.text;
          for (let i = 0; i < text.length; ) {
            if (text.charCodeAt(i) === 32) {
              // Go: a run of spaces in the layout matches any run of spaces (even none at the end).
              if (pos < value.length && value.charCodeAt(pos) !== 32) {
                return this.fail(value, `expected ' ' at position ${pos}`);
              }
              while (text.charCodeAt(i) === 32) i++;
              while (value.charCodeAt(pos) === 32) pos++;
              continue;
            }
            if (value.charCodeAt(pos) !== text.charCodeAt(i)) {
              return this.fail(value, `expected '${text[i]}' at position ${pos}`);
            }
            i++;
            pos++;
          }
          break;
        }
        case LONG_YEAR:
          if (!readNumber(value, pos, 4, true)) return this.expected(value, e, pos);
          f.year = readValue;
          pos = readEnd;
          break;
        case YEAR:
          if (!readNumber(value, pos, 2, true)) return this.expected(value, e, pos);
          f.year = readValue >= 69 ? 1900 + readValue : 2000 + readValue;
          pos = readEnd;
          break;
        case MONTH:
        case LONG_MONTH: {
          const month = lookupName(value, pos, e.kind === MONTH ? SHORT_MONTHS : MONTH_NAMES);
          if (month < 0) return this.expected(value, e, pos);
          f.month = month + 1;
          pos = readEnd;
          break;
        }
        case WEEKDAY:
        case LONG_WEEKDAY:
          // Read and ignored, as in Go.
          if (lookupName(value, pos, e.kind === WEEKDAY ? SHORT_WEEKDAYS : WEEKDAY_NAMES) < 0) {
            return this.expected(value, e, pos);
          }
          pos = readEnd;
          break;
        case NUM_MONTH:
          if (!readNumber(value, pos, 2, e.fixed)) return this.expected(value, e, pos);
          if (readValue < 1 || readValue > 12) return this.outOfRange(value, e, readValue, start);
          f.month = readValue;
          pos = readEnd;
          break;
        case DAY:
          if (e.space && value.charCodeAt(pos) === 32) pos++;
          if (!readNumber(value, pos, 2, e.fixed)) return this.expected(value, e, pos);
          // Checked against the month once the whole value is read.
          f.day = readValue;
          pos = readEnd;
          break;
        case YEAR_DAY:
          for (let k = 0; k < 2 && e.space && value.charCodeAt(pos) === 32; k++) pos++;
          if (!readNumber(value, pos, 3, e.fixed)) return this.expected(value, e, pos);
          f.yday = readValue;
          pos = readEnd;
          break;
        case HOUR:
          if (!readNumber(value, pos, 2, false)) return this.expected(value, e, pos);
          if (readValue > 23) return this.outOfRange(value, e, readValue, start);
          hour = readValue;
          pos = readEnd;
          break;
        case HOUR12:
          if (!readNumber(value, pos, 2, e.fixed)) return this.expected(value, e, pos);
          if (readValue > 12) return this.outOfRange(value, e, readValue, start);
          hour = readValue;
          pos = readEnd;
          break;
        case MINUTE:
          if (!readNumber(value, pos, 2, e.fixed)) return this.expected(value, e, pos);
          if (readValue > 59) return this.outOfRange(value, e, readValue, start);
          f.minute = readValue;
          pos = readEnd;
          break;
        case SECOND:
          if (!readNumber(value, pos, 2, e.fixed)) return this.expected(value, e, pos);
          if (readValue > 59) return this.outOfRange(value, e, readValue, start);
          f.second = readValue;
          pos = readEnd;
          // Go accepts a fraction right after the seconds even when the layout has none.
          if (!e.fractionFollows && isDigitAt(value, pos + 1) && readFraction(value, pos, -1)) {
            f.nsec = readValue;
            pos = readEnd;
          }
          break;
        case PM:
        case LOWER_PM: {
          const text = value.slice(pos, pos + 2);
          const [amText, pmText] = e.kind === PM ? ["AM", "PM"] : ["am", "pm"];
          if (text === pmText) pm = true;
          else if (text === amText) am = true;
          else return this.expected(value, e, pos);
          pos += 2;
          break;
        }
        case ZONE_NAME: {
          const zone = readZoneName(value, pos);
          if (zone === null) return this.expected(value, e, pos);
          if (typeof zone === "string") return this.fail(value, zone);
          f.offset = zone.offset;
          pos = zone.end;
          break;
        }
        case ZONE_OFFSET: {
          if (e.utcZ && value.charCodeAt(pos) === 90) {
            f.offset = 0;
            pos++;
            break;
          }
          const offset = readOffset(value, pos, e.arg);
          if (offset === undefined) return this.expected(value, e, pos);
          if (offset === null) {
            return this.fail(value, `zone offset ${value.slice(pos, readEnd)} at position ${pos} is out of range`);
          }
          f.offset = offset;
          pos = readEnd;
          break;
        }
        case FRACTION:
          if (e.fixed) {
            if (!readFraction(value, pos, e.arg)) return this.expected(value, e, pos);
          } else if (!isDigitAt(value, pos + 1) || !readFraction(value, pos, -1)) {
            break; // .999: the fraction is optional
          }
          f.nsec = readValue;
          pos = readEnd;
          break;
      }
    }
    if (pos < value.length) {
      return this.fail(value, `unexpected ${quoteValue(value.slice(pos))} at position ${pos}`);
    }
    // Go's AM/PM rule applies whichever hour element was used.
    if (pm && hour < 12) hour += 12;
    else if (am && hour === 12) hour = 0;
    f.hour = hour;
    const text = f.toText(ctx.nowSec, true);
    return text === undefined ? this.fail(value, f.problem) : text;
  };
}

/**
 * A numeric zone offset of the given shape at `pos`, in seconds east of UTC (end in readEnd);
 * undefined when malformed, null when its hours, minutes or seconds are out of range.
 */
function readOffset(s: string, pos: number, shape: number): number | undefined | null {
  const sign = s.charCodeAt(pos);
  if (sign !== 43 && sign !== 45) return undefined;
  const colon = shape === HH_MM || shape === HH_MM_SS;
  const parts = shape === HH ? 1 : shape === HHMM || shape === HH_MM ? 2 : 3;
  let p = pos + 1;
  let total = 0;
  let bad = false;
  for (let k = 0; k < parts; k++) {
    if (k > 0 && colon) {
      if (s.charCodeAt(p) !== 58) return undefined;
      p++;
    }
    if (!isDigitAt(s, p) || !isDigitAt(s, p + 1)) return undefined;
    const n = (s.charCodeAt(p) - 48) * 10 + (s.charCodeAt(p + 1) - 48);
    if (k === 0 ? n > 23 : n > 59) bad = true;
    total = total * 60 + n;
    p += 2;
  }
  readEnd = p;
  if (bad) return null;
  for (let k = parts; k < 3; k++) total *= 60;
  return sign === 45 ? -total : total;
}

/** Compiles `layout=<Go layout>`; `layout` is the text after "layout=". */
export function compileGoLayout(spec: string, layout: string): TimeFormat | TimeFormatError {
  const elements = tokenize(layout);
  if (!elements.some((e) => e.kind !== LITERAL)) {
    return new TimeFormatError(
      `time format ${quoteValue(spec)} has no Go layout element; write the reference time ` +
        `Mon Jan 2 15:04:05 MST 2006 in the wanted shape, e.g. layout=2006-01-02T15:04:05Z07:00`,
    );
  }
  return new GoLayoutFormat(spec, layout, elements);
}
