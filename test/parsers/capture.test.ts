import { describe, expect, it } from "vitest";
import { compileTextParser, SKIP, type TextParser } from "../../src/engine/parsers/index.js";
import type { ParserSpec } from "../../src/language/types.js";

function open(spec: ParserSpec): TextParser {
  const compiled = compileTextParser(spec);
  if (!compiled || Array.isArray(compiled)) throw new Error(JSON.stringify(compiled));
  return compiled.open();
}

describe("a text parser's captures (for explain)", () => {
  it("gives each fastmatch pattern's progress, the winner's placeholders and the fields parse returns", () => {
    const p = open({ fastmatch: { match: ["%{a} - %{b}", "%{a} %{} %{b}"], emptyValues: ["-"], expandFields: { ab: "%{a}/%{b}" } } });
    const line = "x y z";
    const cap = p.capture(line);
    expect(cap).toEqual({
      kind: "match",
      pattern: 1,
      attempts: [
        { pattern: 0, result: 'no " - " after field "a"' },
        { pattern: 1, result: "matched" },
      ],
      captures: [
        { name: "a", value: "x" },
        { name: null, value: "y" },
        { name: "b", value: "z" },
      ],
      expanded: ["ab"],
      fields: p.parse(line),
    });
    expect(p.capture("nothing")).toMatchObject({ kind: "fail", message: (p.parse("nothing") as { message: string }).message });
  });

  it("gives regex groups, undefined for one that took no part", () => {
    const p = open({ regex: { match: ["(?P<word>[a-z]+)(?:\\[(?P<pid>[0-9]+)\\])?"] } });
    expect(p.capture("su")).toMatchObject({ kind: "match", captures: [{ name: "word", value: "su" }, { name: "pid", value: undefined }], fields: p.parse("su") });
  });

  it("leaves a CSV header unread, so parse still reads it", () => {
    const p = open({ csv: { delimiter: ",", hasHeader: true } });
    expect(p.capture("h1,h2")).toEqual({ kind: "skip", reason: 'the header line: columns "h1", "h2"' });
    expect(p.eager).toBe(true);
    expect(p.parse("h1,h2")).toBe(SKIP);
    expect(p.capture("1,2")).toMatchObject({ kind: "match", captures: [{ name: "h1", value: "1" }, { name: "h2", value: "2" }], fields: { h1: "1", h2: "2" } });
    expect(p.capture("1")).toEqual({ kind: "fail", message: "expected 2 values (one per column), got 1" });
  });

  it("says which lines skipPrefix skips", () => {
    const p = open({ csv: { delimiter: ",", columns: ["a"], skipPrefix: "#" } });
    expect(p.capture("# note")).toEqual({ kind: "skip", reason: 'starts with skipPrefix "#"' });
  });
});
