/**
 * `timeFormat: rfc3339`. Hand-written scanner: it runs for most timestamp fields of every event,
 * so it reads char codes, allocates nothing on success, and hands canonical input back as is.
 *
 * Accepted: `YYYY-MM-DD`, then `T`, `t` or one space, `hh:mm:ss`, an optional `.`
 * fraction of 1+ digits (beyond 9 truncated to ns), then `Z`, `z` or `±hh:mm` (|offset| < 24h).
 * With a space separator the zone may be absent: Panther's data-lake form
 * `2006-01-02 15:04:05.000000000`, read as UTC. Every field has its full width (no `T3:04:05`,
 * which Go happens to accept), and ranges are checked (no Feb 30, hour 24 or second 60).
 */

import {
  daysFromCivil,
  daysInMonth,
  formatEpoch,
  MAX_SEC,
  MIN_SEC,
  MONTH_NAMES,
  quoteValue,
  RANGE_HINT,
} from "./civil.js";
import { TimeFailure, type TimeFormat } from "./format.js";

/** scanRfc3339 results: the input was valid and is already the canonical output text. */
export const SCAN_CANONICAL = 1;
/** Valid, but the output text differs (offset, lowercase, trailing zeros, data-lake form). */
export const SCAN_VALID = 0;
/** Invalid; rfc3339Problem() says why. */
export const SCAN_INVALID = -1;

/** Where a successful scanRfc3339 leaves the instant (reused: read it before the next scan). */
export const scanned = { sec: 0, nsec: 0 };

/** Why the last scan failed, e.g. "month 13" or "expected ':' at position 13". */
let problem = "";

const DASH = 45;
const COLON = 58;
const DOT = 46;
const COMMA = 44;
const SPACE = 32;
const PLUS = 43;
const UPPER_T = 84;
const LOWER_T = 116;
const UPPER_Z = 90;
const LOWER_Z = 122;

const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

function expected(what: string, pos: number): number {
  problem = `expected ${what} at position ${pos}`;
  return SCAN_INVALID;
}

function outOfRange(what: string): number {
  problem = what;
  return SCAN_INVALID;
}

/** Reads exactly `count` digits at `pos`; -1 (and `problem` set) when one is not a digit. */
function digits(s: string, pos: number, count: number): number {
  let value = 0;
  for (let i = pos; i < pos + count; i++) {
    // Past the end charCodeAt gives NaN, which fails the range test like any non-digit.
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) {
      expected("a digit", i);
      return -1;
    }
    value = value * 10 + d;
  }
  return value;
}

/**
 * Scans an RFC 3339 timestamp. On success the instant is in `scanned` and the result says whether
 * the input is already canonical; on failure rfc3339Problem() describes the first problem.
 */
export function scanRfc3339(s: string): number {
  const len = s.length;
  const year = digits(s, 0, 4);
  if (year < 0) return SCAN_INVALID;
  if (s.charCodeAt(4) !== DASH) return expected("'-'", 4);
  const month = digits(s, 5, 2);
  if (month < 0) return SCAN_INVALID;
  if (s.charCodeAt(7) !== DASH) return expected("'-'", 7);
  const day = digits(s, 8, 2);
  if (day < 0) return SCAN_INVALID;
  const separator = s.charCodeAt(10);
  if (separator !== UPPER_T && separator !== LOWER_T && separator !== SPACE) {
    return expected("'T'", 10);
  }
  const hour = digits(s, 11, 2);
  if (hour < 0) return SCAN_INVALID;
  if (s.charCodeAt(13) !== COLON) return expected("':'", 13);
  const minute = digits(s, 14, 2);
  if (minute < 0) return SCAN_INVALID;
  if (s.charCodeAt(16) !== COLON) return expected("':'", 16);
  const second = digits(s, 17, 2);
  if (second < 0) return SCAN_INVALID;

  let canonical = separator === UPPER_T;
  let pos = 19;
  let nsec = 0;
  if (s.charCodeAt(pos) === DOT) {
    const start = ++pos;
    let last = 0;
    for (; pos < len; pos++) {
      const d = s.charCodeAt(pos) - 48;
      if (d < 0 || d > 9) break;
      // Digits beyond nanoseconds are read and dropped (truncation, as Go does).
      if (pos - start < 9) nsec = nsec * 10 + d;
      last = d;
    }
    const count = pos - start;
    if (count === 0) return expected("a digit", pos);
    if (count < 9) nsec *= SCALE[count]!;
    if (count > 9 || last === 0) canonical = false;
  }

  let offset = 0;
  if (pos === len) {
    // Only the data-lake form (space separator) may omit the zone; it is UTC.
    if (separator !== SPACE) return expected("zone 'Z' or ±hh:mm", pos);
    canonical = false;
  } else {
    const zone = s.charCodeAt(pos);
    if (zone === UPPER_Z || zone === LOWER_Z) {
      if (zone === LOWER_Z) canonical = false;
      pos++;
    } else if (zone === PLUS || zone === DASH) {
      canonical = false;
      const offsetHours = digits(s, pos + 1, 2);
      if (offsetHours < 0) return SCAN_INVALID;
      // "+0700" is a common near miss: say that the colon is what is missing.
      if (s.charCodeAt(pos + 3) !== COLON) return expected("':' in zone offset", pos + 3);
      const offsetMinutes = digits(s, pos + 4, 2);
      if (offsetMinutes < 0) return SCAN_INVALID;
      if (offsetHours > 23 || offsetMinutes > 59) {
        return outOfRange(`zone offset ${s.slice(pos, pos + 6)}`);
      }
      offset = (offsetHours * 60 + offsetMinutes) * 60;
      if (zone === DASH) offset = -offset;
      pos += 6;
    } else if (zone === COMMA && pos === 19) {
      return expected("'.' (not ',') before the fraction", pos);
    } else {
      return expected(separator === SPACE ? "zone 'Z', ±hh:mm or end" : "zone 'Z' or ±hh:mm", pos);
    }
    if (pos !== len) return expected("end of text", pos);
  }

  if (month < 1 || month > 12) return outOfRange(`month ${month}`);
  if (day < 1 || day > daysInMonth(year, month)) {
    return outOfRange(`day ${day} in ${MONTH_NAMES[month - 1]} ${year}`);
  }
  if (hour > 23) return outOfRange(`hour ${hour}`);
  if (minute > 59) return outOfRange(`minute ${minute}`);
  if (second > 59) return outOfRange(`second ${second}`);

  const sec = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  // Only an offset can push a 4-digit year outside 0000-9999.
  if (sec < MIN_SEC || sec > MAX_SEC) return outOfRange(RANGE_HINT);
  scanned.sec = sec;
  scanned.nsec = nsec;
  return canonical ? SCAN_CANONICAL : SCAN_VALID;
}

/** The user-facing failure for the value of the last failed scanRfc3339. */
export function rfc3339Failure(value: string): TimeFailure {
  return new TimeFailure(
    `expected RFC 3339 time like 2006-01-02T15:04:05Z, got ${quoteValue(value)} (${problem})`,
  );
}

/** Two ASCII digits at `i` as a number, or NaN. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * The canonical output of `s` when it is UTC in the output's own layout
 * (`2006-01-02T15:04:05[.fff]Z`, valid date), or in Panther's data-lake form
 * (`2006-01-02 15:04:05[.fffffffff]`, no zone, UTC), else undefined. Most input timestamps have
 * one of these forms, and for them no instant needs computing: at most the fraction's trailing
 * zeros go (and the data-lake form gets its `T` and `Z`).
 */
export function canonicalUtcRfc3339(s: string): string | undefined {
  const len = s.length;
  if (len < 19 || len > 30) return undefined;
  const zoned = s.charCodeAt(len - 1) === UPPER_Z;
  // The data-lake form: a space separator and no zone (its fraction has at most 9 digits here).
  if (zoned ? len < 20 || s.charCodeAt(10) !== UPPER_T : s.charCodeAt(10) !== SPACE || len > 29) return undefined;
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return undefined;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return undefined;
  if (!(two(s, 11) <= 23 && two(s, 14) <= 59 && two(s, 17) <= 59)) return undefined;
  /** Where the fraction's digits end: the Z, or the end of the data-lake form. */
  const end = zoned ? len - 1 : len;
  let last = 18; // index of the last character kept (before the Z)
  if (end > 19) {
    if (s.charCodeAt(19) !== DOT || end === 20) return undefined;
    for (let i = 20; i < end; i++) {
      const d = s.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) return undefined;
      if (d !== 0) last = i;
    }
  }
  if (zoned) return last === end - 1 ? s : `${s.slice(0, last + 1)}Z`;
  return `${s.slice(0, 10)}T${s.slice(11, last + 1)}Z`;
}

/** Canonical output text of an RFC 3339 string, or why it is not one. */
export function normalizeRfc3339(value: string): string | TimeFailure {
  const fast = canonicalUtcRfc3339(value);
  if (fast !== undefined) return fast;
  const result = scanRfc3339(value);
  if (result === SCAN_CANONICAL) return value;
  if (result === SCAN_VALID) return formatEpoch(scanned.sec, scanned.nsec);
  return rfc3339Failure(value);
}

export const rfc3339Format: TimeFormat = {
  spec: "rfc3339",
  fromString: normalizeRfc3339,
};
