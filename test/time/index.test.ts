import { describe, expect, it } from "vitest";
import { BUILTIN_TIME_FORMATS, compileTimeFormat, formatInstant, parseRfc3339, TimeFormatError } from "../../src/engine/time/index.js";
import { compile, compileError, NOW } from "./helpers.js";

describe("compileTimeFormat", () => {
  it("returns the built-in formats by name", () => {
    for (const name of ["rfc3339", "unix", "unix_ms", "unix_us", "unix_ns", "cloudflare"]) {
      const format = compile(name);
      expect(format.spec).toBe(name);
      expect(format).toBe(BUILTIN_TIME_FORMATS.get(name));
    }
  });

  it("gives numbers only to the formats that accept them", () => {
    expect(compile("rfc3339").fromNumber).toBeUndefined();
    for (const name of ["unix", "unix_ms", "unix_us", "unix_ns", "cloudflare"]) {
      expect(compile(name).fromNumber, name).toBeTypeOf("function");
    }
  });

  it("compiles layout= as a Go layout and anything else as strftime", () => {
    expect(compile("layout=2006-01-02").fromString("2020-09-13", NOW)).toBe("2020-09-13T00:00:00Z");
    expect(compile("%Y-%m-%d").fromString("2020-09-13", NOW)).toBe("2020-09-13T00:00:00Z");
    expect(compile("layout=2006-01-02").spec).toBe("layout=2006-01-02");
  });

  it("rejects an empty format and unknown names", () => {
    expect(compileError("")).toBe("time format is empty");
    expect(compileError("RFC3339")).toContain("has no strftime directive");
    expect(compileTimeFormat("%Q")).toBeInstanceOf(TimeFormatError);
  });

  it("exports the instant helpers", () => {
    expect(formatInstant({ sec: 0, nsec: 0 })).toBe("1970-01-01T00:00:00Z");
    expect(parseRfc3339("1970-01-01T00:00:00Z")).toEqual({ sec: 0, nsec: 0 });
  });
});
