import { describe, expect, it } from "vitest";
import { civil, civilFromDays, daysFromCivil, daysInMonth, isLeapYear } from "../../src/engine/time/civil.js";
import {
  compareInstants,
  formatInstant,
  instantFromCivil,
  instantFromEpochNanos,
  instantInRange,
  instantsEqual,
  instantToEpochNanos,
  MAX_INSTANT,
  MIN_INSTANT,
  parseRfc3339,
  TimeFailure,
  type Instant,
} from "../../src/engine/time/index.js";

describe("calendar arithmetic", () => {
  it("counts days from the epoch like the proleptic Gregorian calendar", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(daysFromCivil(0, 1, 1)).toBe(-62167219200 / 86400);
    expect(daysFromCivil(9999, 12, 31)).toBe((253402300799 - 86399) / 86400);
  });

  it("agrees with Date.UTC on every day between 1600 and 2400 and back", () => {
    const mismatches: number[] = [];
    for (let days = -135_000; days <= 157_000; days++) {
      civilFromDays(days);
      const { year, month, day } = civil;
      const d = new Date(days * 86_400_000);
      const same = year === d.getUTCFullYear() && month === d.getUTCMonth() + 1 && day === d.getUTCDate();
      if (!same || daysFromCivil(year, month, day) !== days) mismatches.push(days);
    }
    expect(mismatches).toEqual([]);
  });

  it("knows leap years, including century rules and year 0", () => {
    expect([1900, 2000, 2020, 2021, 2100, 0].map(isLeapYear)).toEqual([false, true, true, false, false, true]);
    expect(daysInMonth(2020, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2021, 4)).toBe(30);
    expect(daysInMonth(2021, 12)).toBe(31);
  });
});

describe("formatInstant", () => {
  it("writes UTC RFC 3339 with T and Z and no fraction when it is zero", () => {
    expect(formatInstant({ sec: 1600000000, nsec: 0 })).toBe("2020-09-13T12:26:40Z");
  });

  it("trims trailing zeros of the fraction", () => {
    expect(formatInstant({ sec: 1767225601, nsec: 648_000_000 })).toBe("2026-01-01T00:00:01.648Z");
    expect(formatInstant({ sec: 1577836800, nsec: 123_456_789 })).toBe("2020-01-01T00:00:00.123456789Z");
    expect(formatInstant({ sec: 1577836800, nsec: 1 })).toBe("2020-01-01T00:00:00.000000001Z");
    expect(formatInstant({ sec: 1577836800, nsec: 100_000_000 })).toBe("2020-01-01T00:00:00.1Z");
  });

  it("writes instants before the epoch", () => {
    expect(formatInstant({ sec: -2, nsec: 500_000_000 })).toBe("1969-12-31T23:59:58.5Z");
  });

  it("writes the first and last supported instants with 4-digit years", () => {
    expect(formatInstant(MIN_INSTANT)).toBe("0000-01-01T00:00:00Z");
    expect(formatInstant(MAX_INSTANT)).toBe("9999-12-31T23:59:59.999999999Z");
    expect(formatInstant(instantFromCivil(5, 3, 4, 1, 2, 3))).toBe("0005-03-04T01:02:03Z");
  });
});

describe("instant helpers", () => {
  it("builds an instant from a civil time and converts its offset to UTC", () => {
    const i = instantFromCivil(2000, 10, 10, 13, 55, 36, 0, -7 * 3600);
    expect(formatInstant(i)).toBe("2000-10-10T20:55:36Z");
  });

  it("accepts only years 0000 to 9999", () => {
    expect(instantInRange(MIN_INSTANT)).toBe(true);
    expect(instantInRange(MAX_INSTANT)).toBe(true);
    expect(instantInRange({ sec: MIN_INSTANT.sec - 1, nsec: 999_999_999 })).toBe(false);
    expect(instantInRange({ sec: MAX_INSTANT.sec + 1, nsec: 0 })).toBe(false);
  });

  it("converts to and from epoch nanoseconds exactly, beyond 2^53", () => {
    const i: Instant = { sec: 1600000000, nsec: 123456789 };
    expect(instantToEpochNanos(i)).toBe(1600000000123456789n);
    expect(instantFromEpochNanos(1600000000123456789n)).toEqual(i);
    expect(instantFromEpochNanos(-1n)).toEqual({ sec: -1, nsec: 999_999_999 });
    expect(instantFromEpochNanos(10n ** 30n)).toBeUndefined();
  });

  it("compares instants by seconds, then nanoseconds", () => {
    expect(compareInstants({ sec: 1, nsec: 5 }, { sec: 2, nsec: 0 })).toBeLessThan(0);
    expect(compareInstants({ sec: 2, nsec: 5 }, { sec: 2, nsec: 4 })).toBeGreaterThan(0);
    expect(compareInstants({ sec: 2, nsec: 5 }, { sec: 2, nsec: 5 })).toBe(0);
    expect(instantsEqual({ sec: 2, nsec: 5 }, { sec: 2, nsec: 5 })).toBe(true);
  });
});

describe("parseRfc3339", () => {
  it("reads a timestamp into an instant", () => {
    expect(parseRfc3339("2020-09-13T12:26:40.123456789Z")).toEqual({ sec: 1600000000, nsec: 123456789 });
  });

  it("makes equal instants of the same time written with different offsets", () => {
    const a = parseRfc3339("2000-10-10T13:55:36-07:00") as Instant;
    const b = parseRfc3339("2000-10-10T20:55:36.000Z") as Instant;
    expect(instantsEqual(a, b)).toBe(true);
  });

  it("round-trips every canonical output", () => {
    for (const text of ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-01-01T00:00:01.648Z"]) {
      expect(formatInstant(parseRfc3339(text) as Instant)).toBe(text);
    }
  });

  it("returns a failure for text that is not RFC 3339", () => {
    const result = parseRfc3339("yesterday");
    expect(result).toBeInstanceOf(TimeFailure);
    expect((result as TimeFailure).message).toContain('"yesterday"');
  });
});
