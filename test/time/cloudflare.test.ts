import { describe, expect, it } from "vitest";
import { compile, failure, NOW, numberFailure, parse, parseNumber } from "./helpers.js";

describe("cloudflare", () => {
  it("reads strings as RFC 3339", () => {
    expect(parse("cloudflare", "2020-09-13T12:26:40Z")).toBe("2020-09-13T12:26:40Z");
    expect(parse("cloudflare", "2020-09-13T05:26:40.5-07:00")).toBe("2020-09-13T12:26:40.5Z");
  });

  it("returns canonical RFC 3339 strings unchanged", () => {
    const value = "2020-09-13T12:26:40.123Z";
    expect(compile("cloudflare").fromString(value, NOW)).toBe(value);
  });

  it("reads numbers below 60,000,000,000 as seconds", () => {
    expect(parseNumber("cloudflare", "1600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parseNumber("cloudflare", "1600000000.25")).toBe("2020-09-13T12:26:40.25Z");
    expect(parseNumber("cloudflare", "59999999999")).toBe("3871-04-29T10:39:59Z");
    expect(parseNumber("cloudflare", "59999999999.9")).toBe("3871-04-29T10:39:59.9Z");
    expect(parseNumber("cloudflare", "-1")).toBe("1969-12-31T23:59:59Z");
    expect(parseNumber("cloudflare", "0")).toBe("1970-01-01T00:00:00Z");
  });

  it("reads numbers from 60,000,000,000 up as nanoseconds, exactly", () => {
    expect(parseNumber("cloudflare", "60000000000")).toBe("1970-01-01T00:01:00Z");
    expect(parseNumber("cloudflare", "1600000000123456789")).toBe("2020-09-13T12:26:40.123456789Z");
    expect(parseNumber("cloudflare", "1.6e18")).toBe("2020-09-13T12:26:40Z");
    expect(parseNumber("cloudflare", "6e10")).toBe("1970-01-01T00:01:00Z");
  });

  it("reads numeric strings with the same rule", () => {
    expect(parse("cloudflare", "1600000000")).toBe("2020-09-13T12:26:40Z");
    expect(parse("cloudflare", "1600000000123456789")).toBe("2020-09-13T12:26:40.123456789Z");
  });

  it("fails on values that are neither", () => {
    expect(failure("cloudflare", "yesterday")).toContain('expected RFC 3339 time like 2006-01-02T15:04:05Z, got "yesterday"');
    expect(failure("cloudflare", " 1600000000")).toContain("expected RFC 3339 time");
    expect(numberFailure("cloudflare", "1e30")).toBe('cloudflare time "1e30" is outside the supported years 0000-9999');
  });
});
