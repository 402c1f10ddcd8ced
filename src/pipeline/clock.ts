/**
 * The clock of a run: what `p_parse_time` says and what "now" means to time formats that need
 * it (a year-less syslog date). Given to the pipeline at construction, so no record can go out
 * with an empty parse time.
 */
import { formatInstant, parseRfc3339 } from "../engine/time/index.js";
import { TimeFailure } from "../engine/time/format.js";

/** One reading of the clock: whole seconds (for time formats) and the canonical UTC text. */
export interface ClockReading {
  sec: number;
  /** UTC RFC 3339, fraction trailing zeros trimmed: `2026-01-01T00:00:01.648Z`. */
  text: string;
  /** Milliseconds since the epoch (row ids take their start time from it). */
  ms: number;
}

export interface Clock {
  now(): ClockReading;
}

/** The machine's clock, read at millisecond precision. */
export const systemClock: Clock = {
  now(): ClockReading {
    const ms = Date.now();
    const sec = Math.floor(ms / 1000);
    return { sec, ms, text: formatInstant({ sec, nsec: (ms - sec * 1000) * 1e6 }) };
  },
};

/** A clock stopped at `text` (RFC 3339), for golden files; a problem message if it is not one. */
export function fixedClock(text: string): Clock | { problem: string } {
  const inst = parseRfc3339(text);
  if (inst instanceof TimeFailure) return { problem: inst.message };
  const reading: ClockReading = { sec: inst.sec, ms: inst.sec * 1000 + Math.floor(inst.nsec / 1e6), text: formatInstant(inst) };
  return { now: () => reading };
}

/** Whether `c` is a clock rather than the problem `fixedClock` reports. */
export function isClock(c: Clock | { problem: string }): c is Clock {
  return "now" in c;
}
