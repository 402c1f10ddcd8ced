/**
 * Timestamp detection for schema inference. Each value gets a bit mask of the candidate formats
 * that read it: a candidate must match a strict shape (full-width numbers, so `1-2-3` is no date)
 * and then parse with the engine's own format, so calendar errors (month 13, Feb 30) count too.
 * A field is a timestamp only when every value has a non-empty mask; its formats are then a
 * smallest set covering all the masks seen (one format in the normal case).
 *
 * Formats without a year (syslog's `Oct 11 22:14:15`) are left out on purpose: the year of such a
 * value depends on the day it is read, so whether it parses could change between runs.
 */
import { compileTimeFormat, TimeFormatError, type TimeContext, type TimeFormat } from "../../engine/time/index.js";
import type { TimeFormatName } from "../../language/vocabulary/time-formats.js";

interface Candidate {
  spec: string;
  format: TimeFormat;
  /** Strings: the shape a value must have before the format is tried. */
  shape?: RegExp;
  /** Unix units: the power of ten per second, and whether a fraction is allowed. */
  unit?: { perSecond: number; fraction: boolean };
}

const D2 = "\\d{2}";
const YMD = `\\d{4}-${D2}-${D2}`;
const HMS = `${D2}:${D2}:${D2}`;
const FRACTION = "\\.\\d{1,9}";
const NUM_ZONE = "[+-]\\d{4}";
const MON = "[A-Za-z]{3}";
const DAY = "[A-Za-z]{3}";

function shape(source: string): RegExp {
  return new RegExp(`^${source}$`);
}

/**
 * Candidates in order of preference; the order also decides which format comes first in
 * `timeFormats` (unix units from the smallest, so a value in seconds is never read as ms).
 */
const STRING_FORMATS: Array<[string, string]> = [
  // RFC 3339 with T, t or a space, and the data-lake form without a zone (hexlog's rfc3339 reads both).
  ["rfc3339", `${YMD}[Tt ]${HMS}(?:${FRACTION})?(?:[Zz]|[+-]${D2}:${D2})?`],
  ["%Y-%m-%dT%H:%M:%S", `${YMD}T${HMS}`],
  ["%Y-%m-%dT%H:%M:%S.%f", `${YMD}T${HMS}${FRACTION}`],
  ["%Y-%m-%dT%H:%M:%S%z", `${YMD}T${HMS}${NUM_ZONE}`],
  ["%Y-%m-%dT%H:%M:%S.%f%z", `${YMD}T${HMS}${FRACTION}${NUM_ZONE}`],
  ["%Y-%m-%d %H:%M:%S %z", `${YMD} ${HMS} ${NUM_ZONE}`],
  ["%Y-%m-%d %H:%M:%S,%f", `${YMD} ${HMS},\\d{1,9}`],
  ["%Y/%m/%d %H:%M:%S", `\\d{4}/${D2}/${D2} ${HMS}`],
  ["%d/%b/%Y:%H:%M:%S %z", `${D2}/${MON}/\\d{4}:${HMS} ${NUM_ZONE}`],
  ["%a, %d %b %Y %H:%M:%S %Z", `${DAY}, ${D2} ${MON} \\d{4} ${HMS} [A-Z]{1,5}`],
  ["%a, %d %b %Y %H:%M:%S %z", `${DAY}, ${D2} ${MON} \\d{4} ${HMS} ${NUM_ZONE}`],
  ["%a %b %e %H:%M:%S %Y", `${DAY} ${MON} [ \\d]\\d ${HMS} \\d{4}`],
  ["%d-%b-%Y %H:%M:%S", `${D2}-${MON}-\\d{4} ${HMS}`],
  ["%m/%d/%Y %H:%M:%S", `${D2}/${D2}/\\d{4} ${HMS}`],
  ["%m/%d/%Y %I:%M:%S %p", `${D2}/${D2}/\\d{4} ${HMS} [AaPp][Mm]`],
  ["%d/%m/%Y %H:%M:%S", `${D2}/${D2}/\\d{4} ${HMS}`],
  ["%Y-%m-%d", YMD],
  ["%m/%d/%Y", `${D2}/${D2}/\\d{4}`],
  ["%d/%m/%Y", `${D2}/${D2}/\\d{4}`],
];

const UNIX_FORMATS: Array<[TimeFormatName, number, boolean]> = [
  ["unix", 1, true],
  ["unix_ms", 1e3, false],
  ["unix_us", 1e6, false],
  ["unix_ns", 1e9, false],
];

function compiled(spec: string): TimeFormat {
  const f = compileTimeFormat(spec);
  if (f instanceof TimeFormatError) throw new Error(`built-in candidate time format ${spec} does not compile: ${f.message}`);
  return f;
}

const CANDIDATES: readonly Candidate[] = [
  ...STRING_FORMATS.map(([spec, source]) => ({ spec, format: compiled(spec), shape: shape(source) })),
  ...UNIX_FORMATS.map(([spec, perSecond, fraction]) => ({ spec, format: compiled(spec), unit: { perSecond, fraction } })),
];

/** Plausible unix times: 1990-01-01 up to 2100-01-01, in seconds. */
const EARLIEST_SEC = 631_152_000;
const LATEST_SEC = 4_102_444_800;

/**
 * Formats never look at "now" here (no year-less candidate), but the contract asks for one;
 * a constant keeps inference independent of the day it runs.
 */
const CONTEXT: TimeContext = { nowSec: 1_700_000_000 };

const UNIX_TEXT = /^-?\d+(?:\.\d+)?$/;
const INTEGER_TEXT = /^-?\d+$/;

/**
 * The candidates that read a non-empty string. Digit strings count as unix times only when the
 * field's name says it holds a time (`timeName`), like numbers.
 */
export function stringTimeMask(value: string, timeName: boolean): number {
  const c0 = value.charCodeAt(0);
  // Every string candidate starts with a digit or a weekday/month name.
  const digit = c0 >= 48 && c0 <= 57;
  if (!digit && !((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return 0;
  let mask = 0;
  for (let i = 0; i < CANDIDATES.length; i++) {
    const c = CANDIDATES[i] as Candidate;
    if (c.shape?.test(value) && typeof c.format.fromString(value, CONTEXT) === "string") mask |= 1 << i;
  }
  return timeName && digit && UNIX_TEXT.test(value) ? mask | unixMask(value, false) : mask;
}

/** The unix candidates that read a number (given as its literal), for fields named like a time. */
export function numberTimeMask(literal: string): number {
  return unixMask(literal, true);
}

/** Unix candidates whose unit puts `text` between 1990 and 2100 and that parse it. */
function unixMask(text: string, asNumber: boolean): number {
  let mask = 0;
  for (let i = 0; i < CANDIDATES.length; i++) {
    const { unit, format } = CANDIDATES[i] as Candidate;
    if (!unit || (!unit.fraction && !INTEGER_TEXT.test(text))) continue;
    const sec = Number(text) / unit.perSecond;
    if (sec < EARLIEST_SEC || sec >= LATEST_SEC) continue;
    const parsed = asNumber ? format.fromNumber?.(text, CONTEXT) : format.fromString(text, CONTEXT);
    if (typeof parsed === "string") mask |= 1 << i;
  }
  return mask;
}

/** At most this many formats for one field: more means the values are not one kind of time. */
const MAX_FORMATS = 3;

/**
 * The formats for a field whose values produced these masks (all non-zero), or undefined when no
 * small set reads them all. Greedy cover: take the candidate reading the most masks not yet
 * covered (the earlier candidate on a tie), until all are covered; list them in candidate order.
 */
export function chooseTimeFormats(masks: ReadonlySet<number>): string[] | undefined {
  let open = [...masks];
  const chosen: number[] = [];
  while (open.length > 0) {
    let best = -1;
    let bestCount = 0;
    for (let i = 0; i < CANDIDATES.length; i++) {
      const bit = 1 << i;
      let count = 0;
      for (const m of open) if ((m & bit) !== 0) count++;
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    }
    if (best < 0 || chosen.length === MAX_FORMATS) return undefined;
    chosen.push(best);
    open = open.filter((m) => (m & (1 << best)) === 0);
  }
  return chosen.sort((a, b) => a - b).map((i) => (CANDIDATES[i] as Candidate).spec);
}
