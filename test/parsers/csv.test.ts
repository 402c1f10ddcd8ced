import { describe, expect, it } from "vitest";
import { splitCsvLine } from "../../src/engine/parsers/csv.js";
import { compileTextParser, LineFailure, SKIP, type CompiledTextParser } from "../../src/engine/parsers/index.js";
import type { CsvParserSpec } from "../../src/language/types.js";

function split(line: string, delimiter = ","): string[] | string {
  const out: string[] = [];
  const n = splitCsvLine(line, delimiter, out);
  return typeof n === "string" ? n : out.slice(0, n);
}

function csv(spec: Partial<CsvParserSpec>): CompiledTextParser {
  const compiled = compileTextParser({ csv: { delimiter: ",", ...spec } });
  if (!compiled || Array.isArray(compiled)) throw new Error(JSON.stringify(compiled));
  return compiled;
}

describe("CSV lines (RFC 4180 quoting)", () => {
  it("splits on the delimiter, keeping empty values", () => {
    expect(split("a,b,,d")).toEqual(["a", "b", "", "d"]);
    expect(split("a,b,")).toEqual(["a", "b", ""]);
    expect(split(",")).toEqual(["", ""]);
  });

  it("keeps delimiters inside quoted values and reads doubled quotes as one", () => {
    expect(split('1,"a, b","say ""hi""",""')).toEqual(["1", "a, b", 'say "hi"', ""]);
  });

  it("treats quotes that do not start a value as ordinary characters", () => {
    expect(split('ba"d,x')).toEqual(['ba"d', "x"]);
    expect(split(' "y,z" ,w')).toEqual([' "y', 'z" ', "w"]);
  });

  it("keeps a lone quote inside a quoted value when no delimiter follows it", () => {
    expect(split('"5" tall",x')).toEqual(['5" tall', "x"]);
  });

  it("reports a quoted value that does not end on its line", () => {
    expect(split('a,"open, still')).toBe("the quoted value starting at character 3 is not closed on its line");
  });

  it("makes consecutive space delimiters empty values", () => {
    expect(split("a  b c", " ")).toEqual(["a", "", "b", "c"]);
  });

  it("splits on tabs", () => {
    expect(split("a\tb\t", "\t")).toEqual(["a", "b", ""]);
  });
});

describe("csv parser", () => {
  it("names values by columns, dropping columns named \"\"", () => {
    const p = csv({ columns: ["a", "", "c"] }).open();
    expect(p.parse("1,2,3")).toEqual({ a: "1", c: "3" });
  });

  it("fails a line whose value count differs from the columns", () => {
    const r = csv({ columns: ["a", "b"] }).open().parse("1,2,3");
    expect(r).toBeInstanceOf(LineFailure);
    expect((r as LineFailure).message).toBe("expected 2 values (one per column), got 3");
  });

  it("reads the header from the first line of each stream, not of the first stream only", () => {
    const compiled = csv({ hasHeader: true });
    const first = compiled.open();
    expect(first.eager).toBe(true);
    expect(first.parse("a,b")).toBe(SKIP);
    expect(first.eager).toBe(false);
    expect(first.parse("1,2")).toEqual({ a: "1", b: "2" });
    const second = compiled.open();
    expect(second.parse("b,a")).toBe(SKIP);
    expect(second.parse("1,2")).toEqual({ b: "1", a: "2" });
  });

  it("skips the header line but keeps the given columns when both are set", () => {
    const p = csv({ hasHeader: true, columns: ["x", "y"] }).open();
    expect(p.parse("a,b")).toBe(SKIP);
    expect(p.parse("1,2")).toEqual({ x: "1", y: "2" });
  });

  it("applies skipPrefix before taking the header (a comment line is no header)", () => {
    const p = csv({ hasHeader: true, skipPrefix: "#" }).open();
    expect(p.parse("# exported today")).toBe(SKIP);
    expect(p.eager).toBe(true);
    expect(p.parse("a,b")).toBe(SKIP);
    expect(p.parse("1,2")).toEqual({ a: "1", b: "2" });
  });

  it("honours trimSpace for values and header names, and emptyValues", () => {
    const p = csv({ hasHeader: true, trimSpace: true, emptyValues: ["", "N/A"] }).open();
    p.parse(" a , b , c ");
    expect(p.parse(" 1 , N/A ,  ")).toEqual({ a: "1" });
  });

  it("keeps edge whitespace when the delimiter is whitespace (it separates values)", () => {
    const p = csv({ delimiter: " ", columns: ["a", "b", "c"] }).open();
    expect(p.parse(" x y")).toEqual({ a: "", b: "x", c: "y" });
  });
});
