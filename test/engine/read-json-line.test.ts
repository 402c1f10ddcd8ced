import { describe, expect, it } from "vitest";
import { FieldError } from "../../src/engine/errors.js";
import { NOT_JSON, readJsonLine } from "../../src/engine/process.js";

describe("a line of a text stream read as a JSON event", () => {
  it("reads an object, with JSON whitespace before it", () => {
    expect(readJsonLine('{"a":1}')).toEqual({ a: 1 });
    expect(readJsonLine(' \t{"a":1} ')).toEqual({ a: 1 });
  });

  it("reads null as an empty event", () => {
    expect(readJsonLine("null")).toEqual({});
    expect(readJsonLine(" null")).toEqual({});
    expect(readJsonLine("\t null ")).toEqual({});
  });

  it("calls text every line that is not an object: log text, scalars, arrays, blank lines", () => {
    for (const line of ['198.51.100.4 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1', "[WARN] disk full", "[1,2]", "42", '"text"', "true", "", "   ", "nothing", "-1"]) {
      expect(readJsonLine(line)).toBe(NOT_JSON);
    }
  });

  it("says why a line that starts like an object is not valid JSON, after any kind of leading whitespace", () => {
    for (const line of ['{"a":', ' \t{"k":', '\u00a0{"k":1', '\ufeff{"k":1', '\u2028{"k":1']) {
      const r = readJsonLine(line);
      expect(r).toBeInstanceOf(FieldError);
      expect((r as FieldError).message).toMatch(/^invalid JSON: /);
    }
  });
});
