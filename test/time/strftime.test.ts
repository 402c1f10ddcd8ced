import { describe, expect, it } from "vitest";
import { STRFTIME_DIRECTIVES, TimeFailure, ZONE_ABBREVIATIONS } from "../../src/engine/time/index.js";
import { compile, compileError, failure, NOW, parse } from "./helpers.js";

const APACHE = "%d/%b/%Y:%H:%M:%S %z";
const ctxAt = (iso: string) => ({ nowSec: Date.parse(iso) / 1000 });

describe("strftime formats", () => {
  it("reads Apache access-log times and converts the offset to UTC", () => {
    expect(parse(APACHE, "10/Oct/2000:13:55:36 -0700")).toBe("2000-10-10T20:55:36Z");
  });

  it("says what was expected and where when a value does not match", () => {
    expect(failure(APACHE, "10/Oct/2000")).toBe(
      `"10/Oct/2000" does not match ${APACHE}: expected ':' at position 11`,
    );
    expect(failure(APACHE, "10/Okt/2000:13:55:36 -0700")).toBe(
      `"10/Okt/2000:13:55:36 -0700" does not match ${APACHE}: expected month name (%b) at position 3`,
    );
  });

  it("reads 1 to N digits per numeric directive", () => {
    expect(parse("%Y-%m-%d %H:%M:%S", "2020-1-2 3:4:5")).toBe("2020-01-02T03:04:05Z");
    expect(parse("%Y%m%d%H%M%S", "20200102030405")).toBe("2020-01-02T03:04:05Z");
  });

  it("requires the whole value to be consumed", () => {
    expect(failure("%Y-%m-%d %H:%M:%S", "2020-01-01 00:00:00 extra")).toContain(
      'unexpected " extra" at position 19',
    );
    expect(failure("%Y-%m-%d %H:%M:%S", "2020-01-01 00:00:001")).toContain('unexpected "1" at position 19');
  });

  it("keeps nanoseconds with %f, reading 1 to 9 digits", () => {
    const format = "%Y-%m-%d %H:%M:%S.%f";
    expect(parse(format, "2021-05-06 07:08:09.123456789")).toBe("2021-05-06T07:08:09.123456789Z");
    expect(parse(format, "2021-05-06 07:08:09.123456")).toBe("2021-05-06T07:08:09.123456Z");
    expect(parse(format, "2021-05-06 07:08:09.5")).toBe("2021-05-06T07:08:09.5Z");
    expect(failure(format, "2021-05-06 07:08:09.")).toContain("expected fraction of a second (1-9 digits) (%f) at position 20");
    expect(failure(format, "2021-05-06 07:08:09.1234567891")).toContain('unexpected "1" at position 29');
  });

  it("reads exactly three digits of milliseconds with %L", () => {
    expect(parse("%Y-%m-%dT%H:%M:%S.%LZ", "2021-05-06T07:08:09.120Z")).toBe("2021-05-06T07:08:09.12Z");
    expect(failure("%Y-%m-%dT%H:%M:%S.%LZ", "2021-05-06T07:08:09.12Z")).toContain("(%L) at position 20");
  });

  it("reads two-digit years with %y: 69-99 are 19xx, 00-68 are 20xx", () => {
    expect(parse("%y-%m-%d", "99-01-01")).toBe("1999-01-01T00:00:00Z");
    expect(parse("%y-%m-%d", "69-01-01")).toBe("1969-01-01T00:00:00Z");
    expect(parse("%y-%m-%d", "68-01-01")).toBe("2068-01-01T00:00:00Z");
    expect(parse("%y-%m-%d", "5-01-01")).toBe("2005-01-01T00:00:00Z");
  });

  it("combines a century %C with %y", () => {
    expect(parse("%C%y-%m-%d", "1999-01-01")).toBe("1999-01-01T00:00:00Z");
    expect(parse("%C %y %m %d", "21 05 01 01")).toBe("2105-01-01T00:00:00Z");
    expect(parse("%C %m %d", "19 01 01")).toBe("1900-01-01T00:00:00Z");
  });

  it("reads ISO week years %G and %g as years and ignores week numbers %U %W %V", () => {
    expect(parse("%G-%m-%d", "2020-03-04")).toBe("2020-03-04T00:00:00Z");
    expect(parse("%g-%m-%d", "20-03-04")).toBe("2020-03-04T00:00:00Z");
    expect(parse("%Y-%m-%d %U %W %V", "2020-03-04 09 09 10")).toBe("2020-03-04T00:00:00Z");
    expect(failure("%Y-%m-%d %V", "2020-03-04 0")).toContain("ISO week number 0 at position 11 is out of range (1-53)");
  });

  it("reads the day of the year with %j, leap days included", () => {
    expect(parse("%Y-%j", "2020-060")).toBe("2020-02-29T00:00:00Z");
    expect(parse("%Y-%j", "2021-060")).toBe("2021-03-01T00:00:00Z");
    expect(parse("%Y-%j %H", "2020-366 23")).toBe("2020-12-31T23:00:00Z");
    expect(failure("%Y-%j", "2021-366")).toContain("day of year 366 is out of range for 2021");
  });

  it("allows a leading space for %e, %d, %k and %l", () => {
    expect(parse("%Y %b %e", "2000 Oct  5")).toBe("2000-10-05T00:00:00Z");
    expect(parse("%Y %b %d", "2000 Oct  5")).toBe("2000-10-05T00:00:00Z");
    expect(parse("%Y-%m-%d %k:%M", "2000-10-05  7:30")).toBe("2000-10-05T07:30:00Z");
    expect(parse("%Y-%m-%d %l:%M %p", "2000-10-05  7:30 pm")).toBe("2000-10-05T19:30:00Z");
    expect(failure("%Y-%m-%d %H:%M", "2000-10-05  7:30")).toContain("expected hour (%H) at position 11");
  });

  it("reads 12-hour clocks with %I and %p / %P, case-insensitively", () => {
    const format = "%Y-%m-%d %I:%M:%S %p";
    expect(parse(format, "2000-01-01 01:30:00 PM")).toBe("2000-01-01T13:30:00Z");
    expect(parse(format, "2000-01-01 01:30:00 am")).toBe("2000-01-01T01:30:00Z");
    expect(parse(format, "2000-01-01 12:00:00 AM")).toBe("2000-01-01T00:00:00Z");
    expect(parse(format, "2000-01-01 12:00:00 pM")).toBe("2000-01-01T12:00:00Z");
    expect(parse("%Y-%m-%d %I%P", "2000-01-01 11pm")).toBe("2000-01-01T23:00:00Z");
    expect(failure(format, "2000-01-01 13:00:00 PM")).toContain("hour (1-12) 13 at position 11 is out of range (1-12)");
    expect(failure(format, "2000-01-01 11:00:00 XM")).toContain("expected AM or PM (%p) at position 20");
  });

  it("reads month names, abbreviated or full, in any letter case, with %b, %h and %B", () => {
    expect(parse("%d %b %Y", "10 oct 2000")).toBe("2000-10-10T00:00:00Z");
    expect(parse("%d %h %Y", "10 OCT 2000")).toBe("2000-10-10T00:00:00Z");
    expect(parse("%d %B %Y", "10 October 2000")).toBe("2000-10-10T00:00:00Z");
    expect(parse("%d %B %Y", "10 Oct 2000")).toBe("2000-10-10T00:00:00Z");
    expect(parse("%B %d %Y", "may 1 2000")).toBe("2000-05-01T00:00:00Z");
  });

  it("reads and ignores weekday names %a %A and numbers %w %u", () => {
    expect(parse("%a, %d %b %Y", "Tue, 10 Oct 2000")).toBe("2000-10-10T00:00:00Z");
    expect(parse("%A, %d %B %Y", "tuesday, 10 october 2000")).toBe("2000-10-10T00:00:00Z");
    expect(parse("%Y-%m-%d %w %u", "2000-10-10 2 2")).toBe("2000-10-10T00:00:00Z");
    expect(failure("%Y-%m-%d %w", "2000-10-10 7")).toContain("out of range (0-6)");
    expect(failure("%Y-%m-%d %u", "2000-10-10 0")).toContain("out of range (1-7)");
    expect(failure("%a %Y-%m-%d", "Tues 2000-10-10")).toContain("expected ' ' at position 3");
  });

  it("reads unix seconds with %s, with an optional fraction", () => {
    expect(parse("%s", "1600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parse("%s.%f", "1600000000.123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parse("%s%L", "1600000000123")).toBe("2020-09-13T12:26:40.123Z");
  });

  it("reads numeric zones with %z: ±hhmm, ±hh:mm and Z", () => {
    const format = "%Y-%m-%d %H:%M:%S %z";
    expect(parse(format, "2000-10-10 13:55:36 -0700")).toBe("2000-10-10T20:55:36Z");
    expect(parse(format, "2000-10-10 13:55:36 -07:00")).toBe("2000-10-10T20:55:36Z");
    expect(parse(format, "2000-10-10 13:55:36 +0530")).toBe("2000-10-10T08:25:36Z");
    expect(parse(format, "2000-10-10 13:55:36 Z")).toBe("2000-10-10T13:55:36Z");
    expect(failure(format, "2000-10-10 13:55:36 0700")).toContain("expected zone offset like -0700, -07:00 or Z (%z) at position 20");
    expect(failure(format, "2000-10-10 13:55:36 +07")).toContain("(%z) at position 20");
    expect(failure(format, "2000-10-10 13:55:36 +2400")).toContain("zone offset +2400 at position 20 is out of range");
  });

  it("reads zone abbreviations with %Z from hexlog's table", () => {
    const format = "%Y-%m-%d %H:%M:%S %Z";
    expect(parse(format, "2000-10-10 13:55:36 UTC")).toBe("2000-10-10T13:55:36Z");
    expect(parse(format, "2000-10-10 13:55:36 utc")).toBe("2000-10-10T13:55:36Z");
    expect(parse(format, "2000-10-10 13:55:36 PDT")).toBe("2000-10-10T20:55:36Z");
    expect(parse(format, "2000-10-10 13:55:36 CEST")).toBe("2000-10-10T11:55:36Z");
    const expectedOffsets: Record<string, number> = {
      UTC: 0, GMT: 0, UT: 0, Z: 0, EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7,
      AKST: -9, AKDT: -8, HST: -10, WET: 0, WEST: 1, CET: 1, CEST: 2, EET: 2, EEST: 3, JST: 9,
    };
    expect(Object.fromEntries([...ZONE_ABBREVIATIONS].map(([k, v]) => [k, v / 3600]))).toEqual(expectedOffsets);
    for (const [name, hours] of Object.entries(expectedOffsets)) {
      const utcHour = String(12 - hours).padStart(2, "0");
      expect(parse(format, `2000-10-10 12:00:00 ${name}`), name).toBe(`2000-10-10T${utcHour}:00:00Z`);
    }
  });

  it("fails on an unknown zone abbreviation and names it, never assuming UTC", () => {
    expect(failure("%H:%M:%S %Z %Y-%m-%d", "03:04:05 BST 2000-01-01")).toBe(
      '"03:04:05 BST 2000-01-01" does not match %H:%M:%S %Z %Y-%m-%d: unknown time zone abbreviation "BST" at position 9',
    );
  });

  it("matches one or more whitespace characters with %t and %n", () => {
    expect(parse("%Y-%m-%d%t%H:%M", "2020-01-01 \t 10:00")).toBe("2020-01-01T10:00:00Z");
    expect(parse("%Y-%m-%d%n%H:%M", "2020-01-01\n10:00")).toBe("2020-01-01T10:00:00Z");
    expect(failure("%Y-%m-%d%t%H:%M", "2020-01-0110:00")).toContain("expected whitespace (%t)");
  });

  it("reads %% as a literal percent sign", () => {
    expect(parse("%Y%%%m%%%d", "2020%05%06")).toBe("2020-05-06T00:00:00Z");
  });

  it("expands the composite directives", () => {
    expect(parse("%c", "Tue Oct 10 13:55:36 2000")).toBe("2000-10-10T13:55:36Z");
    expect(parse("%c", "Tue Oct  1 13:55:36 2000")).toBe("2000-10-01T13:55:36Z");
    expect(parse("%+", "Tue Oct 10 13:55:36 PDT 2000")).toBe("2000-10-10T20:55:36Z");
    expect(parse("%F %T", "2000-10-10 13:55:36")).toBe("2000-10-10T13:55:36Z");
    expect(parse("%D %X", "10/10/00 13:55:36")).toBe("2000-10-10T13:55:36Z");
    expect(parse("%x %R", "10/10/00 13:55")).toBe("2000-10-10T13:55:00Z");
    expect(parse("%v %r", "10-Oct-2000 01:55:36 PM")).toBe("2000-10-10T13:55:36Z");
  });

  it("validates the resulting date", () => {
    expect(failure("%Y-%m-%d", "2021-02-30")).toBe('"2021-02-30" does not match %Y-%m-%d: day 30 is out of range for February 2021');
    expect(failure("%Y-%m-%d", "2021-02-29")).toContain("day 29 is out of range for February 2021");
    expect(parse("%Y-%m-%d", "2020-02-29")).toBe("2020-02-29T00:00:00Z");
    expect(parse("%Y-%m-%d", "2000-02-29")).toBe("2000-02-29T00:00:00Z");
    expect(failure("%Y-%m-%d", "1900-02-29")).toContain("day 29 is out of range for February 1900");
    expect(failure("%Y-%m-%d", "2021-13-01")).toContain("month 13 at position 5 is out of range (1-12)");
    expect(failure("%Y-%m-%d", "2021-00-01")).toContain("month 0 at position 5 is out of range (1-12)");
    expect(failure("%Y-%m-%d %H:%M:%S", "2021-01-01 24:00:00")).toContain("hour 24 at position 11 is out of range");
    expect(failure("%Y-%m-%d %H:%M:%S", "2021-01-01 00:60:00")).toContain("minute 60");
    expect(failure("%Y-%m-%d %H:%M:%S", "2021-01-01 00:00:60")).toContain("second 60");
  });

  it("fails when the zone moves the time outside years 0000-9999", () => {
    expect(parse("%Y-%m-%d %z", "0000-01-01 -0100")).toBe("0000-01-01T01:00:00Z");
    expect(failure("%Y-%m-%d %z", "0000-01-01 +0100")).toContain("outside the supported years 0000-9999");
    expect(failure("%Y-%m-%d %H %z", "9999-12-31 23 -0100")).toContain("outside the supported years 0000-9999");
  });

  it("does not accept JSON numbers", () => {
    expect(compile("%s").fromNumber).toBeUndefined();
  });
});

describe("strftime formats without a year", () => {
  const SYSLOG = "%b %d %H:%M:%S";
  // NOW is 2024-06-15T12:00:00Z.

  it("takes the year of now", () => {
    expect(parse(SYSLOG, "Jun 15 11:00:00")).toBe("2024-06-15T11:00:00Z");
    expect(parse(SYSLOG, "Jan  1 00:00:00")).toBe("2024-01-01T00:00:00Z");
  });

  it("allows up to one day in the future for clock skew", () => {
    expect(parse(SYSLOG, "Jun 16 12:00:00")).toBe("2024-06-16T12:00:00Z");
  });

  it("takes the previous year when now's year would put the time more than a day ahead", () => {
    expect(parse(SYSLOG, "Jun 16 12:00:01")).toBe("2023-06-16T12:00:01Z");
    expect(parse(SYSLOG, "Dec 31 23:59:59")).toBe("2023-12-31T23:59:59Z");
    expect(parse(SYSLOG, "Dec 31 23:59:59", ctxAt("2025-01-01T00:00:30Z"))).toBe("2024-12-31T23:59:59Z");
  });

  it("counts the zone when comparing with now", () => {
    expect(parse("%b %d %H:%M:%S %z", "Jun 16 11:00:00 -0200")).toBe("2023-06-16T13:00:00Z");
  });

  it("places Feb 29 in the last leap year when this year has none", () => {
    expect(parse(SYSLOG, "Feb 29 10:00:00", ctxAt("2025-03-01T00:00:00Z"))).toBe("2024-02-29T10:00:00Z");
    expect(failure(SYSLOG, "Feb 29 10:00:00", ctxAt("2026-03-01T00:00:00Z"))).toContain(
      "day 29 is out of range for February 2025",
    );
  });

  it("takes today's date for a time of day alone, or yesterday's when that is a day ahead", () => {
    expect(parse("%H:%M:%S", "10:00:00")).toBe("2024-06-15T10:00:00Z");
    expect(parse("%H:%M:%S %z", "23:00:00 -2300", ctxAt("2024-06-15T00:30:00Z"))).toBe("2024-06-15T22:00:00Z");
  });
});

describe("compiling strftime formats", () => {
  it("rejects unknown directives", () => {
    expect(compileError("%Q%Y")).toBe('unknown strftime directive %Q in time format "%Q%Y"');
    expect(compileError("%Y-%m-%d %E")).toContain("unknown strftime directive %E");
  });

  it("rejects a trailing lone percent sign", () => {
    expect(compileError("%Y-%m-%d %")).toContain("ends with a lone '%'");
  });

  it("requires at least one directive that reads part of a time", () => {
    expect(compileError("iso8601")).toContain("has no strftime directive");
    expect(compileError("%t%%")).toContain("has no strftime directive");
  });

  it("exports the supported directive letters for schema validation", () => {
    for (const d of "YyCmdejHkIlMSfLUWVGgsbhBaApPwuzZtn%c+FDxvTXrR") expect(STRFTIME_DIRECTIVES.has(d), d).toBe(true);
    for (const d of "QEOqKJ-") expect(STRFTIME_DIRECTIVES.has(d), d).toBe(false);
  });

  it("compiles each format once into an object that keeps its spec", () => {
    const format = compile(APACHE);
    expect(format.spec).toBe(APACHE);
    expect(format.fromString("10/Oct/2000:13:55:36 -0700", NOW)).toBe("2000-10-10T20:55:36Z");
    expect(format.fromString("11/Oct/2000:13:55:36 +0000", NOW)).toBe("2000-10-11T13:55:36Z");
  });

  it("reads a value repeated on consecutive lines the same way, and a year-less one against each run's now", () => {
    const format = compile(APACHE);
    const value = "10/Oct/2000:13:55:36 -0700";
    expect(format.fromString(value, NOW)).toBe("2000-10-10T20:55:36Z");
    expect(format.fromString(value, NOW)).toBe("2000-10-10T20:55:36Z");
    expect(format.fromString("10/Oct/2000:13:55:36 -0800", NOW)).toBe("2000-10-10T21:55:36Z");
    expect(format.fromString(value, NOW)).toBe("2000-10-10T20:55:36Z");
    const syslog = compile("%b %d %H:%M:%S");
    expect(syslog.fromString("Dec 31 23:00:00", ctxAt("2024-06-15T12:00:00Z"))).toBe("2023-12-31T23:00:00Z");
    expect(syslog.fromString("Dec 31 23:00:00", ctxAt("2025-01-01T00:00:00Z"))).toBe("2024-12-31T23:00:00Z");
  });

  it("fails a bad value every time, even right after a good one", () => {
    const format = compile(APACHE);
    expect(format.fromString("31/Dec/2000:23:59:59 +0000", NOW)).toBe("2000-12-31T23:59:59Z");
    for (let i = 0; i < 2; i++) {
      const r = format.fromString("31/Feb/2000:23:59:59 +0000", NOW);
      expect(r).toBeInstanceOf(TimeFailure);
    }
  });

  it("writes each value's own date when consecutive values cross midnight, forwards and back", () => {
    const format = compile("%Y-%m-%d %H:%M:%S %z");
    const values = ["2024-02-28 23:59:59 +0000", "2024-02-29 00:00:00 +0000", "2024-02-28 23:00:00 -0100", "1999-12-31 23:59:59 +0000", "2000-01-01 00:00:00 +0000"];
    expect(values.map((v) => format.fromString(v, NOW))).toEqual(["2024-02-28T23:59:59Z", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z"]);
  });
});

describe("strftime formats read value after value (the last date and value are remembered)", () => {
  it("gives each value its own time when consecutive values share a date, change day or repeat", () => {
    const format = compile(APACHE);
    const read = (v: string) => format.fromString(v, NOW);
    expect(read("31/Dec/2025:23:59:59 +0000")).toBe("2025-12-31T23:59:59Z");
    expect(read("31/Dec/2025:23:59:59 +0000")).toBe("2025-12-31T23:59:59Z");
    expect(read("31/Dec/2025:23:59:58 +0000")).toBe("2025-12-31T23:59:58Z");
    expect(read("01/Jan/2026:00:00:00 +0000")).toBe("2026-01-01T00:00:00Z");
    // Same date in the value, another day once the offset is applied.
    expect(read("01/Jan/2026:00:30:00 +0100")).toBe("2025-12-31T23:30:00Z");
    expect(read("01/Jan/2026:00:30:00 -0100")).toBe("2026-01-01T01:30:00Z");
    expect(read("29/Feb/2024:12:00:00 +0000")).toBe("2024-02-29T12:00:00Z");
  });

  it("infers the year again for the same year-less value when now has moved on", () => {
    const format = compile("%b %d %H:%M:%S");
    expect(format.fromString("Dec 31 23:00:00", ctxAt("2025-12-31T23:30:00Z"))).toBe("2025-12-31T23:00:00Z");
    expect(format.fromString("Dec 31 23:00:00", ctxAt("2026-06-01T00:00:00Z"))).toBe("2025-12-31T23:00:00Z");
    expect(format.fromString("Dec 31 23:00:00", ctxAt("2027-06-01T00:00:00Z"))).toBe("2026-12-31T23:00:00Z");
  });

  it("still reports a failure for a value after a good one", () => {
    const format = compile(APACHE);
    expect(format.fromString("10/Oct/2000:13:55:36 -0700", NOW)).toBe("2000-10-10T20:55:36Z");
    expect(format.fromString("10/Oct/2000:13:55:3x -0700", NOW)).toBeInstanceOf(TimeFailure);
    expect(format.fromString("10/Oct/2000:13:55:36 -0700", NOW)).toBe("2000-10-10T20:55:36Z");
  });
});

describe("strftime's cache of the last value", () => {
  /** Each value through one format instance (its caches warm) and through a fresh one. */
  const warmAndFresh = (spec: string, values: string[]): Array<[string, string]> => {
    const warm = compile(spec);
    return values.map((v) => {
      const a = warm.fromString(v, NOW);
      const b = compile(spec).fromString(v, NOW);
      return [a instanceof TimeFailure ? a.message : a, b instanceof TimeFailure ? b.message : b];
    });
  };

  it("gives a value that differs from the last one only in its seconds the text a fresh parse gives", () => {
    const values = [
      "31/Dec/2023:23:59:58 -0130", "31/Dec/2023:23:59:59 -0130", "31/Dec/2023:23:59:07 -0130",
      "01/Jan/2024:00:00:00 +0000", "01/Jan/2024:00:00:60 +0000", "01/Jan/2024:00:00:6x +0000",
      "01/Jan/2024:00:00:09 +0000", "01/Jan/2024:00:01:09 +0000", "01/Jan/2024:00:01:19 +0530",
      "31/Dec/9999:23:59:58 +0000", "31/Dec/9999:23:59:59 -0001", "31/Dec/9999:23:59:00 -0001",
    ];
    for (const [warm, fresh] of warmAndFresh(APACHE, values)) expect(warm).toBe(fresh);
    // With a fraction after the seconds, and seconds of one digit.
    for (const [warm, fresh] of warmAndFresh("%Y-%m-%d %H:%M:%S.%f", ["2024-02-29 10:00:05.25", "2024-02-29 10:00:45.25", "2024-02-29 10:00:4.25", "2024-02-29 10:00:47.5"])) expect(warm).toBe(fresh);
    // After seconds of one digit, a value as long, with the same start and end, is read in full (and fails).
    for (const [warm, fresh] of warmAndFresh("%Y-%m-%d %H:%M:%S %z", ["2024-02-29 10:00:4 +0000", "2024-02-29 10:00:45+0000", "2024-02-29 10:00:45 +0000", "2024-02-29 10:00:4 +0000"])) expect(warm).toBe(fresh);
  });

  it("makes each second's text anew once the minute, the zone or the date around it changes", () => {
    // The same seconds come back under another minute, zone and date, after a bad value in between.
    const minute = (prefix: string, zone: string) => ["05", "06", "59", "06"].map((s) => `${prefix}:${s} ${zone}`);
    const values = [
      ...minute("31/Dec/2023:23:59", "+0000"),
      ...minute("01/Jan/2024:00:00", "+0000"),
      ...minute("01/Jan/2024:00:00", "-0130"),
      "01/Jan/2024:00:00:0x -0130",
      ...minute("01/Jan/2024:00:00", "-0130"),
      ...minute("02/Jan/2024:00:00", "-0130"),
      ...minute("31/Dec/2023:23:59", "+0000"),
    ];
    const results = warmAndFresh(APACHE, values);
    for (const [warm, fresh] of results) expect(warm).toBe(fresh);
    expect(results.slice(0, 8).map(([warm]) => warm)).toEqual([
      "2023-12-31T23:59:05Z", "2023-12-31T23:59:06Z", "2023-12-31T23:59:59Z", "2023-12-31T23:59:06Z",
      "2024-01-01T00:00:05Z", "2024-01-01T00:00:06Z", "2024-01-01T00:00:59Z", "2024-01-01T00:00:06Z",
    ]);
  });

  it("reads the whole value again for formats without a year, whose text depends on now", () => {
    const syslog = compile("%b %d %H:%M:%S");
    const dec = syslog.fromString("Dec 31 23:59:58", { nowSec: Date.UTC(2024, 0, 1, 0, 0, 0) / 1000 });
    const later = syslog.fromString("Dec 31 23:59:59", { nowSec: Date.UTC(2025, 0, 1, 0, 0, 0) / 1000 });
    expect(dec).toBe("2023-12-31T23:59:58Z");
    expect(later).toBe("2024-12-31T23:59:59Z");
  });
});
