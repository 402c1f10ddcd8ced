import { describe, expect, it } from "vitest";
import { formatEpoch } from "../../src/engine/time/civil.js";
import { canonicalUtcRfc3339, rfc3339Format, scanned, scanRfc3339, SCAN_CANONICAL, SCAN_VALID } from "../../src/engine/time/rfc3339.js";
import { compile, failure, NOW, parse } from "./helpers.js";

const rfc = (value: string): string => parse("rfc3339", value);
const bad = (value: string): string => failure("rfc3339", value);

describe("rfc3339", () => {
  it("keeps nanoseconds of rfc3339 timestamps", () => {
    expect(rfc("2020-01-01T00:00:00.123456789Z")).toBe("2020-01-01T00:00:00.123456789Z");
  });

  it("gives, on its shortcut for UTC and data-lake text, what the full scanner gives", () => {
    const full = (v: string): string | undefined => {
      const r = scanRfc3339(v);
      return r === SCAN_CANONICAL ? v : r === SCAN_VALID ? formatEpoch(scanned.sec, scanned.nsec) : undefined;
    };
    let taken = 0;
    for (const date of ["2026-01-01", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2026-13-01", "2026-04-31", "2026-1-01"]) {
      for (const sep of ["T", " ", "t"]) {
        for (const time of ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "1:00:00"]) {
          for (const fraction of ["", ".", ".0", ".000000000", ".5", ".120", ".000370318", ".123456789", ".1234567890", ".12a"]) {
            for (const zone of ["", "Z", "z", "+01:00"]) {
              const v = `${date}${sep}${time}${fraction}${zone}`;
              const quick = canonicalUtcRfc3339(v);
              if (quick === undefined) continue;
              taken++;
              expect([v, quick]).toEqual([v, full(v)]);
            }
          }
        }
      }
    }
    expect(taken).toBeGreaterThan(50);
  });

  it("returns canonical input as the very same string", () => {
    for (const value of ["2026-01-01T00:00:01.648Z", "2026-01-01T00:00:01Z", "2020-01-01T00:00:00.123456789Z"]) {
      expect(rfc3339Format.fromString(value, NOW)).toBe(value);
    }
  });

  it("trims trailing zeros of the fraction and drops a zero fraction", () => {
    expect(rfc("2026-01-01T00:00:01.648000Z")).toBe("2026-01-01T00:00:01.648Z");
    expect(rfc("2026-01-01T00:00:01.000Z")).toBe("2026-01-01T00:00:01Z");
    expect(rfc("2026-01-01T00:00:01.0Z")).toBe("2026-01-01T00:00:01Z");
  });

  it("accepts 1 to 9 fraction digits and truncates more to nanoseconds", () => {
    expect(rfc("2020-01-01T00:00:00.1Z")).toBe("2020-01-01T00:00:00.1Z");
    expect(rfc("2020-01-01T00:00:00.000000001Z")).toBe("2020-01-01T00:00:00.000000001Z");
    expect(rfc("2020-01-01T00:00:00.1234567899999Z")).toBe("2020-01-01T00:00:00.123456789Z");
  });

  it("converts offsets to UTC", () => {
    expect(rfc("2000-10-10T13:55:36-07:00")).toBe("2000-10-10T20:55:36Z");
    expect(rfc("2000-10-10T13:55:36.5+05:30")).toBe("2000-10-10T08:25:36.5Z");
    expect(rfc("2000-01-01T00:30:00+01:00")).toBe("1999-12-31T23:30:00Z");
    expect(rfc("2000-10-10T13:55:36+00:00")).toBe("2000-10-10T13:55:36Z");
    expect(rfc("2000-10-10T13:55:36+23:59")).toBe("2000-10-09T13:56:36Z");
  });

  it("accepts lowercase t and z and a space between date and time", () => {
    expect(rfc("2000-10-10t13:55:36z")).toBe("2000-10-10T13:55:36Z");
    expect(rfc("2000-10-10 13:55:36Z")).toBe("2000-10-10T13:55:36Z");
    expect(rfc("2000-10-10 13:55:36-07:00")).toBe("2000-10-10T20:55:36Z");
  });

  it("reads Panther's data-lake form without a zone as UTC", () => {
    expect(rfc("2006-01-02 15:04:05.000000000")).toBe("2006-01-02T15:04:05Z");
    expect(rfc("2019-11-14 13:12:46.156000000")).toBe("2019-11-14T13:12:46.156Z");
    expect(rfc("2019-11-14 13:12:46")).toBe("2019-11-14T13:12:46Z");
  });

  it("requires a zone when the separator is T", () => {
    expect(bad("2006-01-02T15:04:05")).toContain("expected zone 'Z' or ±hh:mm at position 19");
    expect(bad("2006-01-02t15:04:05.123")).toContain("position 23");
  });

  it("accepts leap days of leap years only", () => {
    expect(rfc("2020-02-29T00:00:00Z")).toBe("2020-02-29T00:00:00Z");
    expect(rfc("2000-02-29T00:00:00Z")).toBe("2000-02-29T00:00:00Z");
    expect(bad("2021-02-29T00:00:00Z")).toContain("(day 29 in February 2021)");
    expect(bad("1900-02-29T00:00:00Z")).toContain("(day 29 in February 1900)");
  });

  it("says which field is out of range", () => {
    expect(bad("2020-13-01T00:00:00Z")).toBe(
      'expected RFC 3339 time like 2006-01-02T15:04:05Z, got "2020-13-01T00:00:00Z" (month 13)',
    );
    expect(bad("2020-00-01T00:00:00Z")).toContain("(month 0)");
    expect(bad("2020-04-31T00:00:00Z")).toContain("(day 31 in April 2020)");
    expect(bad("2020-04-00T00:00:00Z")).toContain("(day 0 in April 2020)");
    expect(bad("2020-04-01T24:00:00Z")).toContain("(hour 24)");
    expect(bad("2020-04-01T00:60:00Z")).toContain("(minute 60)");
    expect(bad("2020-04-01T00:00:60Z")).toContain("(second 60)");
  });

  it("rejects offsets of 24 hours or more and offsets without a colon", () => {
    expect(bad("2020-01-01T00:00:00+24:00")).toContain("(zone offset +24:00)");
    expect(bad("2020-01-01T00:00:00+01:60")).toContain("(zone offset +01:60)");
    expect(bad("2020-01-01T00:00:00+0700")).toContain("expected ':' in zone offset at position 22");
    expect(bad("2020-01-01T00:00:00+07")).toContain("position 22");
  });

  it("rejects a comma before the fraction", () => {
    expect(bad("2020-01-01T00:00:00,123Z")).toContain("expected '.' (not ',') before the fraction at position 19");
  });

  it("rejects surrounding whitespace, one-digit fields and other near misses", () => {
    for (const value of [
      " 2020-01-01T00:00:00Z",
      "2020-01-01T00:00:00Z ",
      "2020-01-01T3:04:05Z",
      "2020-1-01T00:00:00Z",
      "2020-01-1T00:00:00Z",
      "20-01-01T00:00:00Z",
      "2020-01-01T00:00:00.Z",
      "2020-01-01T00:00:00ZZ",
      "2020-01-01X00:00:00Z",
      "2020-01-01  00:00:00Z",
      "2020/01/01T00:00:00Z",
      "2020-01-01",
      "1600000000",
      "",
      "+2020-01-01T00:00:00Z",
    ]) {
      expect(bad(value)).toMatch(/^expected RFC 3339 time like 2006-01-02T15:04:05Z, got ".*" \(.+\)$/);
    }
    expect(bad("2020-01-01T00:00:00.Z")).toContain("expected a digit at position 20");
    expect(bad("2020-01-01T00:00:00ZZ")).toContain("expected end of text at position 20");
    expect(bad("2020-1-01T00:00:00Z")).toContain("expected a digit at position 6");
  });

  it("reads years 0000 through 9999 and fails when an offset leaves them", () => {
    expect(rfc("0000-01-01T00:00:00Z")).toBe("0000-01-01T00:00:00Z");
    expect(rfc("9999-12-31T23:59:59.999999999Z")).toBe("9999-12-31T23:59:59.999999999Z");
    expect(rfc("0001-01-01T00:00:00Z")).toBe("0001-01-01T00:00:00Z");
    expect(bad("0000-01-01T00:00:00+01:00")).toContain("outside the supported years 0000-9999");
    expect(bad("9999-12-31T23:59:59-01:00")).toContain("outside the supported years 0000-9999");
  });

  it("does not accept numbers", () => {
    expect(compile("rfc3339").fromNumber).toBeUndefined();
  });

  it("keeps long values out of the message", () => {
    const message = bad("x".repeat(10_000));
    expect(message.length).toBeLessThan(200);
  });
});
