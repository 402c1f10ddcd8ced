/**
 * The date and time fields a pattern-based parser (strftime, Go layout) collects, and their
 * conversion to an instant: defaults, year inference, calendar validation, range check.
 */

import {
  civil,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatEpoch,
  isLeapYear,
  MONTH_NAMES,
  RANGE_HINT,
  SECONDS_PER_DAY,
  secondsInRange,
} from "./civil.js";

/** Parsed fields; -1 means "not in the input". Reused across values by each compiled format. */
export class DateFields {
  year = -1;
  month = -1;
  day = -1;
  /** Day of the year, 1-366. */
  yday = -1;
  hour = 0;
  minute = 0;
  second = 0;
  nsec = 0;
  /** Zone offset east of UTC, in seconds. */
  offset = 0;
  /** Why toText gave up. */
  problem = "";

  reset(): void {
    this.year = -1;
    this.month = -1;
    this.day = -1;
    this.yday = -1;
    this.hour = 0;
    this.minute = 0;
    this.second = 0;
    this.nsec = 0;
    this.offset = 0;
  }

  /**
   * The canonical output text, or undefined with `problem` set. With `ydayMustMatch` (Go) a day
   * of year must agree with a month and day also given; otherwise (strftime) it overrides them.
   */
  toText(nowSec: number, ydayMustMatch: boolean): string | undefined {
    if (this.year >= 0) return this.textForYear(this.year, ydayMustMatch);
    // No year in the input (syslog's "Oct 11 22:14:15"): assume the value is recent. Take the
    // year of "now", and when that lands more than a day in the future (a December line read
    // in January), the year before. The day of slack absorbs clock skew and zone offsets.
    const nowDays = Math.floor(nowSec / SECONDS_PER_DAY);
    civilFromDays(nowDays);
    const nowYear = civil.year;
    if (this.month < 0 && this.day < 0 && this.yday < 0) {
      // Time of day only: the same reasoning picks today, or yesterday.
      this.month = civil.month;
      this.day = civil.day;
      const text = this.textForYear(nowYear, ydayMustMatch);
      if (text === undefined || this.lastSec <= nowSec + SECONDS_PER_DAY) return text;
      civilFromDays(nowDays - 1);
      this.month = civil.month;
      this.day = civil.day;
      return this.textForYear(civil.year, ydayMustMatch);
    }
    // Feb 29 does not exist this year: it can only be from the last leap year, if that is last year.
    const year = this.month === 2 && this.day === 29 && !isLeapYear(nowYear) ? nowYear - 1 : nowYear;
    const text = this.textForYear(year, ydayMustMatch);
    if (text === undefined || this.lastSec <= nowSec + SECONDS_PER_DAY) return text;
    return this.textForYear(year - 1, ydayMustMatch);
  }

  /** Seconds of the last successful textForYear (for the year inference). */
  private lastSec = 0;
  /** The last date turned into days since the epoch. */
  private lastYear = NaN;
  private lastMonth = NaN;
  private lastDay = NaN;
  private lastDays = 0;

  private textForYear(year: number, ydayMustMatch: boolean): string | undefined {
    let month = this.month < 0 ? 1 : this.month;
    let day = this.day < 0 ? 1 : this.day;
    if (this.yday >= 0) {
      const daysInYear = isLeapYear(year) ? 366 : 365;
      if (this.yday < 1 || this.yday > daysInYear) {
        this.problem = `day of year ${this.yday} is out of range for ${year}`;
        return undefined;
      }
      civilFromDays(daysFromCivil(year, 1, 1) + this.yday - 1);
      if (ydayMustMatch && this.month >= 0 && this.month !== civil.month) {
        this.problem = `day of year ${this.yday} is not in ${MONTH_NAMES[this.month - 1]}`;
        return undefined;
      }
      if (ydayMustMatch && this.day >= 0 && this.day !== civil.day) {
        this.problem = `day of year ${this.yday} is not day ${this.day} of its month`;
        return undefined;
      }
      month = civil.month;
      day = civil.day;
    }
    if (month < 1 || month > 12) {
      this.problem = `month ${month} is out of range`;
      return undefined;
    }
    if (day < 1 || day > daysInMonth(year, month)) {
      this.problem = `day ${day} is out of range for ${MONTH_NAMES[month - 1]} ${year}`;
      return undefined;
    }
    // The same date as the last value's most of the time.
    if (year !== this.lastYear || month !== this.lastMonth || day !== this.lastDay) {
      this.lastYear = year;
      this.lastMonth = month;
      this.lastDay = day;
      this.lastDays = daysFromCivil(year, month, day);
    }
    const sec =
      this.lastDays * SECONDS_PER_DAY +
      this.hour * 3600 +
      this.minute * 60 +
      this.second -
      this.offset;
    if (!secondsInRange(sec)) {
      this.problem = `the time is ${RANGE_HINT}`;
      return undefined;
    }
    this.lastSec = sec;
    return formatEpoch(sec, this.nsec);
  }
}
