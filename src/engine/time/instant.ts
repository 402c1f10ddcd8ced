/**
 * An instant with nanosecond precision, as integers (JS `Date` would lose everything below the
 * millisecond), and its canonical text form.
 */

import {
  daysFromCivil,
  formatEpoch,
  MAX_SEC,
  MIN_SEC,
  SECONDS_PER_DAY,
  secondsInRange,
} from "./civil.js";
import { TimeFailure } from "./format.js";
import { rfc3339Failure, scanned, scanRfc3339, SCAN_INVALID } from "./rfc3339.js";

export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00Z (floor: negative before the epoch). */
  sec: number;
  /** Nanoseconds within that second, 0..999999999. */
  nsec: number;
}

/** The earliest and latest supported instants (years 0000 through 9999). */
export const MIN_INSTANT: Readonly<Instant> = { sec: MIN_SEC, nsec: 0 };
export const MAX_INSTANT: Readonly<Instant> = { sec: MAX_SEC, nsec: 999_999_999 };

/** Whether an instant lies in the supported years 0000-9999. */
export function instantInRange(i: Instant): boolean {
  return secondsInRange(i.sec);
}

/**
 * Canonical output text: UTC RFC 3339 with `T` and `Z`, fraction trimmed of trailing zeros and
 * left out when zero ("2026-01-01T00:00:01.648Z", "2026-01-01T00:00:01Z"). The instant must be in
 * range (years 0000-9999); every Instant this module hands out is.
 */
export function formatInstant(i: Instant): string {
  return formatEpoch(i.sec, i.nsec);
}

/**
 * The instant of a civil date and time written with a UTC offset (`offsetSec` east of UTC,
 * e.g. -25200 for -07:00). Fields are taken as given, not validated (month 1-12, etc.), and the
 * result may be out of range: check it with instantInRange.
 */
export function instantFromCivil(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  nsec = 0,
  offsetSec = 0,
): Instant {
  return {
    sec: daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSec,
    nsec,
  };
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.sec !== b.sec ? (a.sec < b.sec ? -1 : 1) : a.nsec - b.nsec;
}

export function instantsEqual(a: Instant, b: Instant): boolean {
  return a.sec === b.sec && a.nsec === b.nsec;
}

/** Nanoseconds since the epoch, exactly (beyond 2^53, hence BigInt). */
export function instantToEpochNanos(i: Instant): bigint {
  return BigInt(i.sec) * 1_000_000_000n + BigInt(i.nsec);
}

/** The instant `ns` nanoseconds after the epoch, or undefined outside years 0000-9999. */
export function instantFromEpochNanos(ns: bigint): Instant | undefined {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  // BigInt division truncates toward zero; instants keep nsec non-negative.
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  if (sec < BigInt(MIN_SEC) || sec > BigInt(MAX_SEC)) return undefined;
  return { sec: Number(sec), nsec: Number(nsec) };
}

/**
 * Reads an RFC 3339 timestamp with the rules of the `rfc3339` time format (so it also reads every
 * canonical output). Used where timestamps are compared as instants, e.g. by `hexlog test`.
 */
export function parseRfc3339(s: string): Instant | TimeFailure {
  if (scanRfc3339(s) === SCAN_INVALID) return rfc3339Failure(s);
  return { sec: scanned.sec, nsec: scanned.nsec };
}
