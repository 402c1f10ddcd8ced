import { describe, expect, it } from "vitest";
import { emit } from "../../src/engine/parsers/regex/emit.js";
import { parseRegex, RegexSyntaxError } from "../../src/engine/parsers/regex/syntax.js";

/** Runs a pattern the way the regex parser does on V8: RE2 syntax → tree → JavaScript source. */
function groups(pattern: string, text: string): Array<string | undefined> | null {
  const p = parseRegex(pattern);
  const m = new RegExp(emit(p.root)).exec(text);
  return m ? [...m] : null;
}

function syntaxError(pattern: string): RegexSyntaxError {
  try {
    parseRegex(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) return e;
    throw e;
  }
  throw new Error(`${pattern} parsed`);
}

describe("RE2 syntax", () => {
  it("names groups with (?P<name>…) and (?<name>…), numbering all groups in order", () => {
    const p = parseRegex("(?P<a>x)(y)(?<b>z)(?:w)");
    expect(p.groups).toBe(3);
    expect(p.names).toEqual([null, "a", null, "b"]);
    expect(groups("(?P<a>x)(y)(?<b>z)(?:w)", "xyzw")).toEqual(["xyzw", "x", "y", "z"]);
  });

  it("allows the same group name twice, as RE2 does", () => {
    expect(parseRegex("(?P<v>a)|(?P<v>b)").names).toEqual([null, "v", "v"]);
  });

  it("reads \\s as RE2's ASCII space class, not JavaScript's Unicode one", () => {
    expect(groups("^a\\sb$", "a\tb")).not.toBeNull();
    expect(groups("^a\\sb$", "a\u00a0b")).toBeNull();
    expect(groups("^a\\Sb$", "a\u00a0b")).not.toBeNull();
  });

  it("supports POSIX classes inside brackets", () => {
    expect(groups("^[[:alpha:]]+[[:digit:]]+$", "abc123")).not.toBeNull();
    expect(groups("^[[:^space:]]+$", "no-spaces")).not.toBeNull();
    expect(groups("^[[:^space:]]+$", "a b")).toBeNull();
  });

  it("applies (?i) to the rest of the group and (?i:…) to its body only", () => {
    expect(groups("^(?i)get /$", "GeT /")).not.toBeNull();
    expect(groups("^(?i:get) /X$", "GET /X")).not.toBeNull();
    expect(groups("^(?i:get) /X$", "GET /x")).toBeNull();
    expect(groups("^(?i)[a-c]+$", "AbC")).not.toBeNull();
  });

  it("lets . match anything but a newline, and everything with (?s)", () => {
    expect(groups("^a.b$", "a\rb")).not.toBeNull();
    expect(groups("^a.b$", "a\nb")).toBeNull();
    expect(groups("(?s)^a.b$", "a\nb")).not.toBeNull();
  });

  it("swaps greedy and lazy repetition under (?U)", () => {
    expect(groups("(?U)^(a+)", "aaa")?.[1]).toBe("a");
    expect(groups("(?U)^(a+?)", "aaa")?.[1]).toBe("aaa");
  });

  it("reads \\Q…\\E as literal text, a following repetition applying to its last character", () => {
    expect(groups("^\\Q[a.b]\\E$", "[a.b]")).not.toBeNull();
    expect(groups("^\\Qab\\E+$", "abbb")).not.toBeNull();
  });

  it("treats a brace that is no repeat count as a literal", () => {
    expect(groups("^a{,3}$", "a{,3}")).not.toBeNull();
    expect(groups("^x{2}$", "xx")).not.toBeNull();
  });

  it("reads escapes: \\x41, \\x{263a}, octal \\101, \\t and escaped punctuation", () => {
    expect(groups("^\\x41\\x{263a}\\101\\t\\.\\-$", "A\u263aA\t.-")).not.toBeNull();
  });

  it("rejects what RE2 rejects, saying why and where", () => {
    expect(syntaxError("a(?=b)")).toMatchObject({ offset: 1, message: expect.stringContaining("lookahead") });
    expect(syntaxError("(a)\\1").message).toContain("backreferences");
    expect(syntaxError("(?P<n>a)(?P=n)").message).toContain("backreferences");
    expect(syntaxError("\\pL").message).toContain("Unicode classes");
    expect(syntaxError("a**").message).toContain("nested repetition");
    expect(syntaxError("*a").message).toContain("missing argument");
    expect(syntaxError("a{3,2}").message).toContain("invalid repeat count");
    expect(syntaxError("a{1001}").message).toContain("invalid repeat count");
    expect(syntaxError("(a").message).toBe('missing ")"');
    expect(syntaxError("a)").message).toBe('unmatched ")"');
    expect(syntaxError("[a").message).toBe('missing "]"');
    expect(syntaxError("[z-a]").message).toContain("invalid character class range");
    expect(syntaxError("(?P<my-field>a)").message).toContain("invalid group name");
    expect(syntaxError("\\q").message).toBe("invalid escape \\q");
    expect(syntaxError("[[:nope:]]").message).toContain("unknown class");
  });
});
