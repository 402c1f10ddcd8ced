import { describe, expect, it } from "vitest";
import { compile, compileError, failure, parse } from "./helpers.js";

const ctxAt = (iso: string) => ({ nowSec: Date.parse(iso) / 1000 });

describe("Go layouts (layout=…)", () => {
  it("reads the layouts Panther's managed schemas use", () => {
    expect(parse("layout=2006-01-02T15:04:05", "2020-09-13T12:26:40")).toBe("2020-09-13T12:26:40Z");
    expect(parse("layout=01/02/2006 15:04:05.999", "09/13/2020 12:26:40.123")).toBe("2020-09-13T12:26:40.123Z");
    expect(parse("layout=Mon, 02 Jan 2006 15:04:05 MST", "Sun, 13 Sep 2020 12:26:40 UTC")).toBe(
      "2020-09-13T12:26:40Z",
    );
    expect(parse("layout=2006-01-02 15:04:05.000000", "2020-09-13 12:26:40.123456")).toBe(
      "2020-09-13T12:26:40.123456Z",
    );
  });

  it("accepts a fraction after the seconds even when the layout has none, as Go does", () => {
    const layout = "layout=2006-01-02T15:04:05";
    expect(parse(layout, "2020-09-13T12:26:40.123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parse(layout, "2020-09-13T12:26:40,5")).toBe("2020-09-13T12:26:40.5Z");
    expect(parse(layout, "2020-09-13T12:26:40.1234567891")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(failure(layout, "2020-09-13T12:26:40.")).toContain('unexpected "." at position 19');
  });

  it("treats .999 as an optional fraction of any length", () => {
    const layout = "layout=01/02/2006 15:04:05.999";
    expect(parse(layout, "09/13/2020 12:26:40")).toBe("2020-09-13T12:26:40Z");
    expect(parse(layout, "09/13/2020 12:26:40.5")).toBe("2020-09-13T12:26:40.5Z");
    expect(parse(layout, "09/13/2020 12:26:40.123456")).toBe("2020-09-13T12:26:40.123456Z");
    expect(parse("layout=15:04:05,999 2006-01-02", "12:26:40,25 2020-09-13")).toBe("2020-09-13T12:26:40.25Z");
  });

  it("requires exactly as many digits as .000 has, with a point or a comma", () => {
    const layout = "layout=2006-01-02 15:04:05.000000";
    expect(parse(layout, "2020-09-13 12:26:40,000001")).toBe("2020-09-13T12:26:40.000001Z");
    expect(failure(layout, "2020-09-13 12:26:40.12345")).toContain(
      "expected fraction of a second (.000000) at position 19",
    );
    expect(failure(layout, "2020-09-13 12:26:40")).toContain("(.000000) at position 19");
    expect(failure(layout, "2020-09-13 12:26:40.1234567")).toContain('unexpected "7" at position 26');
  });

  it("requires two digits for 01 02 03 04 05 06 and accepts one or two for 1 2 3 4 5", () => {
    expect(failure("layout=2006-01-02", "2020-1-02")).toBe(
      '"2020-1-02" does not match layout 2006-01-02: expected month (01) at position 5',
    );
    expect(parse("layout=2006-1-2 3:4:5", "2020-1-2 3:4:5")).toBe("2020-01-02T03:04:05Z");
    expect(parse("layout=2006-1-2 3:4:5", "2020-10-12 11:40:50")).toBe("2020-10-12T11:40:50Z");
    expect(parse("layout=2006-01-02 03:04:05", "2020-10-12 11:40:50")).toBe("2020-10-12T11:40:50Z");
    expect(failure("layout=2006-01-02 03:04:05", "2020-10-12 11:40:5")).toContain("expected second (05) at position 17");
    expect(parse("layout=2006-01-02 15:04", "2020-10-12 7:40")).toBe("2020-10-12T07:40:00Z");
  });

  it("reads two-digit years 06: 69-99 are 19xx, 00-68 are 20xx", () => {
    expect(parse("layout=02.01.06", "13.09.20")).toBe("2020-09-13T00:00:00Z");
    expect(parse("layout=02.01.06", "13.09.99")).toBe("1999-09-13T00:00:00Z");
    expect(failure("layout=02.01.06", "13.09.2020")).toContain('unexpected "20" at position 8');
  });

  it("reads month and weekday names in any letter case", () => {
    expect(parse("layout=Jan 2 2006", "sep 13 2020")).toBe("2020-09-13T00:00:00Z");
    expect(parse("layout=January 2 2006", "SEPTEMBER 13 2020")).toBe("2020-09-13T00:00:00Z");
    expect(parse("layout=Monday, January 2 2006", "Sunday, September 13 2020")).toBe("2020-09-13T00:00:00Z");
    expect(failure("layout=Jan 2 2006", "September 13 2020")).toContain("expected ' ' at position 3");
    expect(failure("layout=Mon Jan 2 2006", "Xyz Sep 13 2020")).toContain("expected weekday name (Mon) at position 0");
  });

  it("pads _2 and __2 with spaces and reads days of the year with 002", () => {
    expect(parse("layout=Jan _2 15:04:05 2006", "Sep  3 12:26:40 2020")).toBe("2020-09-03T12:26:40Z");
    expect(parse("layout=Jan _2 15:04:05 2006", "Sep 13 12:26:40 2020")).toBe("2020-09-13T12:26:40Z");
    expect(parse("layout=2006-002", "2020-060")).toBe("2020-02-29T00:00:00Z");
    expect(failure("layout=2006-002", "2020-60")).toContain("expected day of year (002) at position 5");
    expect(parse("layout=2006/__2", "2020/ 60")).toBe("2020-02-29T00:00:00Z");
    expect(failure("layout=2006-002", "2021-366")).toContain("day of year 366 is out of range for 2021");
  });

  it("requires a day of the year to agree with the month and day", () => {
    expect(parse("layout=2006-01-02 002", "2020-02-29 060")).toBe("2020-02-29T00:00:00Z");
    expect(failure("layout=2006-01-02 002", "2020-03-01 060")).toContain("day of year 60 is not in March");
    expect(failure("layout=2006-01-02 002", "2020-02-28 060")).toContain("day of year 60 is not day 28");
  });

  it("reads 12-hour clocks with PM or pm, as Go does", () => {
    expect(parse("layout=2006-01-02 3:04PM", "2020-01-01 1:30PM")).toBe("2020-01-01T13:30:00Z");
    expect(parse("layout=2006-01-02 03:04 pm", "2020-01-01 12:30 am")).toBe("2020-01-01T00:30:00Z");
    expect(parse("layout=2006-01-02 03:04 pm", "2020-01-01 12:30 pm")).toBe("2020-01-01T12:30:00Z");
    expect(failure("layout=2006-01-02 3:04PM", "2020-01-01 1:30pm")).toContain("expected AM or PM (PM) at position 15");
    expect(failure("layout=2006-01-02 3:04PM", "2020-01-01 13:30PM")).toContain("hour 13 at position 11 is out of range");
  });

  it("reads the numeric zone forms and converts to UTC", () => {
    const cases: Array<[string, string]> = [
      ["Z07:00", "-07:00"],
      ["Z0700", "-0700"],
      ["Z07", "-07"],
      ["Z07:00:00", "-07:00:00"],
      ["Z070000", "-070000"],
      ["-07:00", "-07:00"],
      ["-0700", "-0700"],
      ["-07", "-07"],
      ["-07:00:00", "-07:00:00"],
      ["-070000", "-070000"],
    ];
    for (const [element, offset] of cases) {
      expect(parse(`layout=2006-01-02T15:04:05${element}`, `2000-10-10T13:55:36${offset}`), element).toBe(
        "2000-10-10T20:55:36Z",
      );
    }
    expect(parse("layout=2006-01-02T15:04:05-07:00:00", "2000-10-10T13:55:36+05:30:15")).toBe("2000-10-10T08:25:21Z");
  });

  it("accepts Z for UTC only in the Z07:00 forms", () => {
    expect(parse("layout=2006-01-02T15:04:05Z07:00", "2000-10-10T13:55:36Z")).toBe("2000-10-10T13:55:36Z");
    expect(parse("layout=2006-01-02T15:04:05.999999999Z07:00", "2000-10-10T13:55:36.5Z")).toBe(
      "2000-10-10T13:55:36.5Z",
    );
    expect(failure("layout=2006-01-02T15:04:05-07:00", "2000-10-10T13:55:36Z")).toContain(
      "expected zone offset (-07:00) at position 19",
    );
  });

  it("rejects zone offsets of 24 hours or more", () => {
    expect(failure("layout=2006-01-02T15:04:05Z07:00", "2000-10-10T13:55:36+24:00")).toContain(
      "zone offset +24:00 at position 19 is out of range",
    );
  });

  it("reads zone names from hexlog's table with MST and fails on others", () => {
    const layout = "layout=Mon, 02 Jan 2006 15:04:05 MST";
    expect(parse(layout, "Tue, 10 Oct 2000 13:55:36 PDT")).toBe("2000-10-10T20:55:36Z");
    expect(parse(layout, "Tue, 10 Oct 2000 13:55:36 GMT")).toBe("2000-10-10T13:55:36Z");
    expect(failure(layout, "Tue, 10 Oct 2000 13:55:36 BST")).toContain('unknown time zone abbreviation "BST" at position 26');
  });

  it("matches a run of spaces in the layout with any run of spaces", () => {
    expect(parse("layout=2006-01-02 15:04", "2020-01-02   10:00")).toBe("2020-01-02T10:00:00Z");
    expect(failure("layout=2006-01-02 15:04", "2020-01-02T10:00")).toContain("expected ' ' at position 10");
  });

  it("keeps words that only look like elements as literal text", () => {
    expect(parse("layout=Janitor 2006", "Janitor 2020")).toBe("2020-01-01T00:00:00Z");
    expect(parse("layout=_2006", "_2020")).toBe("2020-01-01T00:00:00Z");
  });

  it("validates the resulting date and time", () => {
    expect(failure("layout=2006-01-02", "2021-02-29")).toBe(
      '"2021-02-29" does not match layout 2006-01-02: day 29 is out of range for February 2021',
    );
    expect(parse("layout=2006-01-02", "2020-02-29")).toBe("2020-02-29T00:00:00Z");
    expect(failure("layout=2006-01-02", "2021-13-01")).toContain("month 13 at position 5 is out of range");
    expect(failure("layout=2006-01-02 15:04:05", "2021-01-01 24:00:00")).toContain("hour 24");
    expect(failure("layout=2006-01-02 15:04:05", "2021-01-01 00:60:00")).toContain("minute 60");
    expect(failure("layout=2006-01-02 15:04:05", "2021-01-01 00:00:60")).toContain("second 60");
    expect(failure("layout=2006-01-02", "2021-01-01 ")).toContain('unexpected " " at position 10');
    expect(failure("layout=2006-01-02T15:04:05Z07:00", "9999-12-31T23:00:00-01:00")).toContain(
      "outside the supported years 0000-9999",
    );
  });

  it("infers a missing year from now, like strftime formats", () => {
    expect(parse("layout=Jan _2 15:04:05", "Jun  1 10:00:00", ctxAt("2024-06-15T12:00:00Z"))).toBe(
      "2024-06-01T10:00:00Z",
    );
    expect(parse("layout=Jan _2 15:04:05", "Dec 31 10:00:00", ctxAt("2024-06-15T12:00:00Z"))).toBe(
      "2023-12-31T10:00:00Z",
    );
  });

  it("does not accept JSON numbers", () => {
    expect(compile("layout=2006").fromNumber).toBeUndefined();
  });

  it("rejects layouts without any element", () => {
    expect(compileError("layout=")).toContain("has no Go layout element");
    expect(compileError("layout=yyyy-mm-dd")).toContain("has no Go layout element");
  });
});
