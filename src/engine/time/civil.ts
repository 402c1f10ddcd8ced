/**
 * Calendar arithmetic on plain integers (proleptic Gregorian, UTC). Everything here avoids JS
 * `Date`, which only keeps milliseconds, so that nanoseconds survive end to end.
 */

export const SECONDS_PER_DAY = 86_400;

/** Days from 1970-01-01 to the given civil date (month 1-12). Valid for any year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Shift the year to start in March so the leap day is the last day of the "year".
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * civilFromDays writes here instead of returning a new array: it runs once per formatted
 * timestamp. Read the fields right after the call; the next call overwrites them.
 */
export const civil = { year: 0, month: 0, day: 0 };

/** Inverse of daysFromCivil; the result is left in `civil`. */
export function civilFromDays(days: number): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  civil.day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  civil.month = month;
  civil.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month]!;
}

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

export const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

/** First second of 0000-01-01T00:00:00Z: the earliest supported instant. */
export const MIN_SEC = daysFromCivil(0, 1, 1) * SECONDS_PER_DAY;
/** Last whole second of 9999-12-31: the latest supported instant is MAX_SEC.999999999. */
export const MAX_SEC = daysFromCivil(9999, 12, 31) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;

/** Whether whole seconds since the epoch fall in the supported years 0000-9999. */
export function secondsInRange(sec: number): boolean {
  return sec >= MIN_SEC && sec <= MAX_SEC;
}

/** The suffix of every out-of-range message, so users learn the limit. */
export const RANGE_HINT = "outside the supported years 0000-9999";

const TWO_DIGITS: string[] = [];
for (let n = 0; n < 100; n++) TWO_DIGITS.push(n < 10 ? `0${n}` : `${n}`);

function fourDigits(n: number): string {
  return TWO_DIGITS[Math.floor(n / 100)]! + TWO_DIGITS[n % 100]!;
}

/** `nsec` (0-999999999) as ".ddd" with trailing zeros trimmed, or "" when zero. */
export function fractionText(nsec: number): string {
  if (nsec === 0) return "";
  let digits = 9;
  let n = nsec;
  while (n % 10 === 0) {
    n /= 10;
    digits--;
  }
  const text = String(n);
  return "." + (text.length < digits ? "0".repeat(digits - text.length) + text : text);
}

/** The day formatEpoch wrote last, and its "YYYY-MM-DDT". */
let lastDays = NaN;
let lastDate = "";

/**
 * The canonical output text of an instant: UTC RFC 3339 with `T` and `Z`, fraction trimmed of
 * trailing zeros and left out when zero. The caller guarantees the range (years 0000-9999).
 */
export function formatEpoch(sec: number, nsec: number): string {
  const days = Math.floor(sec / SECONDS_PER_DAY);
  let secondOfDay = sec - days * SECONDS_PER_DAY;
  // Logs come in time order: the date part is the last one's most of the time.
  if (days !== lastDays) {
    civilFromDays(days);
    lastDays = days;
    lastDate = fourDigits(civil.year) + "-" + TWO_DIGITS[civil.month]! + "-" + TWO_DIGITS[civil.day]! + "T";
  }
  const hour = Math.floor(secondOfDay / 3600);
  secondOfDay -= hour * 3600;
  const minute = Math.floor(secondOfDay / 60);
  const second = secondOfDay - minute * 60;
  return (
    lastDate +
    TWO_DIGITS[hour]! +
    ":" +
    TWO_DIGITS[minute]! +
    ":" +
    TWO_DIGITS[second]! +
    fractionText(nsec) +
    "Z"
  );
}

/** Shows a user's value in a message: JSON-quoted and cut short so one line stays one line. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
}
