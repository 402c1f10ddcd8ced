import { describe, expect, it } from "vitest";
import { failure, numberFailure, parse, parseNumber } from "./helpers.js";

describe("unix (seconds)", () => {
  it("reads integer seconds from numbers and strings", () => {
    expect(parseNumber("unix", "1600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parse("unix", "1600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parseNumber("unix", "0")).toBe("1970-01-01T00:00:00Z");
  });

  it("keeps nanoseconds of fractional unix seconds exactly", () => {
    expect(parse("unix", "1600000000.123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parseNumber("unix", "1600000000.123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parseNumber("unix", "1600000000.1")).toBe("2020-09-13T12:26:40.1Z");
    expect(parseNumber("unix", "1600000000.000000001")).toBe("2020-09-13T12:26:40.000000001Z");
  });

  it("truncates digits beyond nanoseconds", () => {
    expect(parseNumber("unix", "1600000000.1234567899")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parseNumber("unix", "0.0000000001")).toBe("1970-01-01T00:00:00Z");
  });

  it("reads negative seconds as times before 1970", () => {
    expect(parseNumber("unix", "-1.5")).toBe("1969-12-31T23:59:58.5Z");
    expect(parseNumber("unix", "-1")).toBe("1969-12-31T23:59:59Z");
    expect(parse("unix", "-86400")).toBe("1969-12-31T00:00:00Z");
    expect(parseNumber("unix", "-0")).toBe("1970-01-01T00:00:00Z");
  });

  it("accepts exponent notation", () => {
    expect(parseNumber("unix", "1.6e9")).toBe("2020-09-13T12:26:40Z");
    expect(parseNumber("unix", "16E8")).toBe("2020-09-13T12:26:40Z");
    expect(parseNumber("unix", "1600000000123e-3")).toBe("2020-09-13T12:26:40.123Z");
    expect(parse("unix", "1.6e+9")).toBe("2020-09-13T12:26:40Z");
    expect(parseNumber("unix", "1e-999999999999")).toBe("1970-01-01T00:00:00Z");
  });

  it("accepts Go float spellings in strings: a plus sign, leading zeros, a bare point", () => {
    expect(parse("unix", "+1600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parse("unix", "01600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parse("unix", "1600000000.")).toBe("2020-09-13T12:26:40Z");
    expect(parse("unix", ".5")).toBe("1970-01-01T00:00:00.5Z");
  });

  it("rejects text that is not a plain decimal number", () => {
    for (const value of [" 1600000000", "1600000000 ", "0x10", "1_600_000_000", "NaN", "Infinity", "1e", "-", ".", "1.2.3", "abc"]) {
      expect(failure("unix", value)).toBe(
        `expected unix seconds like 1600000000 or 1600000000.123, got ${JSON.stringify(value)}`,
      );
    }
  });

  it("fails instead of wrapping around outside years 0000-9999", () => {
    expect(parseNumber("unix", "253402300799.999999999")).toBe("9999-12-31T23:59:59.999999999Z");
    expect(parseNumber("unix", "-62167219200")).toBe("0000-01-01T00:00:00Z");
    expect(numberFailure("unix", "253402300800")).toBe('unix time "253402300800" is outside the supported years 0000-9999');
    expect(numberFailure("unix", "-62167219200.5")).toContain("outside the supported years");
    expect(numberFailure("unix", "1e30")).toContain("outside the supported years");
    expect(numberFailure("unix", "1e999999999999")).toContain("outside the supported years");
    expect(numberFailure("unix", "999999999999999")).toContain("outside the supported years");
  });
});

describe("unix_ms, unix_us and unix_ns", () => {
  it("reads milliseconds", () => {
    expect(parseNumber("unix_ms", "1600000000123")).toBe("2020-09-13T12:26:40.123Z");
    expect(parse("unix_ms", "1600000000000")).toBe("2020-09-13T12:26:40Z");
  });

  it("reads microseconds", () => {
    expect(parseNumber("unix_us", "1600000000123456")).toBe("2020-09-13T12:26:40.123456Z");
    expect(parse("unix_us", "1600000000123456")).toBe("2020-09-13T12:26:40.123456Z");
  });

  it("reads nanoseconds beyond 2^53 exactly", () => {
    expect(parseNumber("unix_ns", "1600000000123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parse("unix_ns", "1600000000123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parseNumber("unix_ns", "123")).toBe("1970-01-01T00:00:00.000000123Z");
  });

  it("reads negative values", () => {
    expect(parseNumber("unix_ms", "-1")).toBe("1969-12-31T23:59:59.999Z");
    expect(parseNumber("unix_ms", "-1000")).toBe("1969-12-31T23:59:59Z");
    expect(parseNumber("unix_us", "-1500000")).toBe("1969-12-31T23:59:58.5Z");
    expect(parseNumber("unix_ns", "-1600000000123456789")).toBe("1919-04-20T11:33:19.876543211Z");
  });

  it("rejects fractions and exponents", () => {
    expect(numberFailure("unix_ms", "1600000000123.5")).toBe(
      'expected integer unix milliseconds like 1600000000123, got "1600000000123.5"',
    );
    expect(numberFailure("unix_us", "1.6e15")).toContain("expected integer unix microseconds");
    expect(numberFailure("unix_ns", "1.0")).toContain("expected integer unix nanoseconds");
    expect(failure("unix_ms", "1600000000123.0")).toContain("expected integer unix milliseconds");
  });

  it("rejects strings that are not plain integers", () => {
    for (const value of [" 1", "1 ", "0x1F", "1_000", "ten"]) {
      expect(failure("unix_ns", value)).toContain("expected integer unix nanoseconds");
    }
  });

  it("fails outside years 0000-9999", () => {
    expect(parseNumber("unix_ms", "253402300799999")).toBe("9999-12-31T23:59:59.999Z");
    expect(numberFailure("unix_ms", "253402300800000")).toContain("unix_ms time");
    expect(numberFailure("unix_us", "99999999999999999999")).toContain("outside the supported years");
    expect(parseNumber("unix_ns", "253402300799999999999")).toBe("9999-12-31T23:59:59.999999999Z");
    expect(numberFailure("unix_ns", "253402300800000000000")).toContain("outside the supported years");
    expect(numberFailure("unix_ns", "-62167219200000000001")).toContain("outside the supported years");
  });
});
