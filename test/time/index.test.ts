import { describe, expect, it } from "vitest";
import { TIME_FORMAT_NAMES } from "../../src/language/vocabulary/time-formats.js";
import { compileTimeFormat, formatInstant, parseRfc3339, TimeFormatError } from "../../src/engine/time/index.js";
import { compile, compileError, NOW } from "./helpers.js";

describe("compileTimeFormat", () => {
  it("returns the one shared format of every named format of the vocabulary, under its own name", () => {
    expect(TIME_FORMAT_NAMES).toEqual(["rfc3339", "unix", "unix_ms", "unix_us", "unix_ns", "cloudflare"]);
    for (const name of TIME_FORMAT_NAMES) {
      const format = compile(name);
      expect(format.spec).toBe(name);
      expect(compile(name)).toBe(format);
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
