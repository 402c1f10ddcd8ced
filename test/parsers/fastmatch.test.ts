import { describe, expect, it } from "vitest";
import { compileFastmatchPattern, matchPattern, unescape, type FastmatchPattern } from "../../src/engine/parsers/fastmatch.js";
import { compileTextParser, LineFailure, SKIP, type TextParser } from "../../src/engine/parsers/index.js";

function pattern(source: string): FastmatchPattern {
  const p = compileFastmatchPattern(source);
  if (typeof p === "string") throw new Error(p);
  return p;
}

/** The named values a pattern extracts from a line, or how far it got. */
function match(source: string, line: string): Record<string, string> | number {
  const p = pattern(source);
  const values: string[] = [];
  const progress = matchPattern(p, line, values);
  if (progress !== p.fields.length) return progress;
  const out: Record<string, string> = {};
  p.keys.forEach((k, i) => {
    if (k !== null) out[k] = values[i] as string;
  });
  return out;
}

function parser(spec: Record<string, unknown>): TextParser {
  const compiled = compileTextParser({ fastmatch: { match: [], ...spec } as never });
  if (!compiled || Array.isArray(compiled)) throw new Error(JSON.stringify(compiled));
  return compiled.open();
}

describe("fastmatch patterns", () => {
  it("reads each field up to the first occurrence of the text after it", () => {
    expect(match("%{a} %{b} %{c}", "one two three")).toEqual({ a: "one", b: "two", c: "three" });
    expect(match("%{k}=%{v};", "key=a=b; tail")).toEqual({ k: "key", v: "a=b" });
  });

  it("gives the rest of the line to a last field with nothing after it", () => {
    expect(match("%{a}|%{b}|%{c}", "p2|b2|c2|extra")).toEqual({ a: "p2", b: "b2", c: "c2|extra" });
  });

  it("ignores what follows literal text that ends the pattern", () => {
    expect(match("X:%{a} ", "X:val rest of line")).toEqual({ a: "val" });
  });

  it("requires the literal prefix at the start of the line", () => {
    expect(match("[%{level}] %{msg}", "[WARN] disk")).toEqual({ level: "WARN", msg: "disk" });
    expect(match("[%{level}] %{msg}", " [WARN] disk")).toBe(-1);
  });

  it("reports the field whose following text is missing", () => {
    expect(match("%{a} %{b} [%{c}]", "x y z")).toBe(1);
  });

  it("matches anonymous %{} fields without keeping them", () => {
    expect(match("%{} %{b}", "skip keep")).toEqual({ b: "keep" });
  });

  it("trims spaces inside the braces of a name", () => {
    expect(match("%{ a } %{b}", "1 2")).toEqual({ a: "1", b: "2" });
  });

  it("decodes escapes in quoted fields and lets an escaped quote stay inside", () => {
    expect(match('"%{msg}" %{n}', '"say \\"hi\\" \\x41\\u00e9" 7')).toEqual({ msg: 'say "hi" Aé', n: "7" });
    expect(match("'%{msg}' %{n}", "'it\\'s' 2")).toEqual({ msg: "it's", n: "2" });
  });

  it("reads quoted fields without backslashes up to the first quote followed by the delimiter", () => {
    expect(match('"%{req}" %{status}', '"GET /a"b HTTP/1.1" 200')).toEqual({ req: 'GET /a"b HTTP/1.1', status: "200" });
  });

  it("keeps unknown escapes as written rather than failing the line", () => {
    expect(match('"%{path}"', '"C:\\data\\q"')).toEqual({ path: "C:\\data\\q" });
  });

  it("drops one trailing newline from a pattern (YAML block scalars keep it)", () => {
    expect(match("%{a} %{b}\n", "1 2")).toEqual({ a: "1", b: "2" });
  });
});

describe("fastmatch pattern rules", () => {
  it("rejects patterns that cannot work, saying why", () => {
    expect(compileFastmatchPattern("no placeholders")).toBe("the pattern has no %{field} placeholder");
    expect(compileFastmatchPattern("%{a}%{b}")).toBe("%{a} and %{b} need literal text between them");
    expect(compileFastmatchPattern("%{a} %{a}")).toBe('field "a" appears twice');
    expect(compileFastmatchPattern("%{a} %{b")).toBe('"%{" at character 6 is not closed by "}"');
    expect(compileFastmatchPattern("%{a}\n%{b}")).toBe("a pattern is one line, but this one contains a line break");
  });
});

describe("Go-style escapes", () => {
  it("decodes \\n, \\t, \\\\, hex, unicode and octal escapes", () => {
    expect(unescape("\\n", 0)).toEqual(["\n", 2]);
    expect(unescape("\\\\", 0)).toEqual(["\\", 2]);
    expect(unescape("\\x41", 0)).toEqual(["A", 4]);
    expect(unescape("\\u263a", 0)).toEqual(["\u263a", 6]);
    expect(unescape("\\U0001F600", 0)).toEqual(["😀", 10]);
    expect(unescape("\\101", 0)).toEqual(["A", 4]);
    expect(unescape("\\xZZ", 0)).toEqual(["\\x", 2]);
  });
});

describe("fastmatch parser", () => {
  it("tries the patterns in order and takes the first that matches", () => {
    const p = parser({ match: ["%{a},%{b}", "%{a};%{c}", "%{whole}"] });
    expect(p.parse("1,2")).toEqual({ a: "1", b: "2" });
    expect(p.parse("1;2")).toEqual({ a: "1", c: "2" });
    expect(p.parse("12")).toEqual({ whole: "12" });
  });

  it("names the pattern that came closest when none matches", () => {
    const p = parser({ match: ["%{a} [%{b}]", "%{a} %{b} %{c} (%{d})"] });
    const r = p.parse("x y z w");
    expect(r).toBeInstanceOf(LineFailure);
    expect((r as LineFailure).message).toBe('matches none of the 2 patterns (match[1] came closest: no " (" after field "c")');
  });

  it("drops emptyValues after trimming, and skips lines by prefix", () => {
    const p = parser({ match: ["%{a}|%{b}|%{c}"], emptyValues: ["-"], trimSpace: true, skipPrefix: "#" });
    expect(p.parse(" x | - |  y ")).toEqual({ a: "x", c: "y" });
    expect(p.parse("# comment")).toBe(SKIP);
  });

  it("ignores whitespace around the line", () => {
    expect(parser({ match: ["%{a} %{b}"] }).parse("  1 2\t")).toEqual({ a: "1", b: "2" });
  });
});
