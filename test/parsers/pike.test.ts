import { describe, expect, it } from "vitest";
import { emit } from "../../src/engine/parsers/regex/emit.js";
import { MAX_PROGRAM, PikeProgram, ProgramTooLarge } from "../../src/engine/parsers/regex/pike.js";
import { parseRegex } from "../../src/engine/parsers/regex/syntax.js";

function viaPike(pattern: string, text: string): Array<string | undefined> | null {
  const p = parseRegex(pattern);
  const slots = new PikeProgram(p).exec(text);
  if (!slots) return null;
  const out: Array<string | undefined> = [];
  for (let g = 0; g <= p.groups; g++) out.push((slots[2 * g] as number) < 0 ? undefined : text.slice(slots[2 * g], slots[2 * g + 1]));
  return out;
}

function viaV8(pattern: string, text: string): Array<string | undefined> | null {
  const m = new RegExp(emit(parseRegex(pattern).root)).exec(text);
  return m ? [...m] : null;
}

/** Patterns and subjects where both engines must agree on the match and every group. */
const CASES: Array<[string, string[]]> = [
  ["(a|ab)(c|bcd)(d*)", ["abcd", "abc", "xabcdx"]],
  ["^(\\w+)\\s(\\w+)$", ["hello world", "hello  world", "hello"]],
  ["(?P<k>[a-z]+)=(?P<v>[^&]*)", ["x=1&y=2", "=&a=", "no pairs"]],
  ["a+?b", ["aaab", "b", "xaab"]],
  ["(a+)(a*)", ["aaaa", "baaa"]],
  ["(a*?)(a*)$", ["aaa", ""]],
  ["\\bfoo\\b", ["a foo b", "foobar", "barfoo", "foo"]],
  ["\\Bo\\B", ["foo", "o", "book"]],
  ["^$", ["", "x"]],
  ["x*", ["", "yyy", "xx"]],
  ["(?:(a)|b)+", ["ab", "ba", "bab"]],
  ["((a)|(b))*c", ["abc", "bac", "c"]],
  ["[0-9a-f]{32}", ["md5 d41d8cd98f00b204e9800998ecf8427e here", "short 1234"]],
  ["^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$", ["192.0.2.1", "1.2.3.4567", "1.2.3"]],
  ["(a|b|)+c", ["abc", "c", "aac"]],
  ["(x)?y", ["y", "xy"]],
  ["(?i)hello (?P<name>[a-z]+)", ["HeLLo World", "hello"]],
  ["\"((?:[^\"\\\\]|\\\\.)*)\"", ['say "hi \\"there\\"" now', '"unterminated']],
  ["(a{2,3}){2}", ["aaaaaa", "aaaaa", "aaaa"]],
  ["(?:ab|a)(?:bc|c)?", ["abc", "ac", "abbc"]],
  ["[^,]*,([^,]*),", ["a,b,c", ",,", "nothing"]],
  [".*(\\d+)", ["abc123", "9"]],
  [".*?(\\d+)", ["abc123", "9"]],
];

describe("Pike matcher", () => {
  it("finds the same match and groups as the backtracking engine", () => {
    for (const [pattern, subjects] of CASES) {
      for (const s of subjects) expect(viaPike(pattern, s), `${pattern} on ${JSON.stringify(s)}`).toEqual(viaV8(pattern, s));
    }
  });

  it("stays linear on patterns that make a backtracking engine explode", () => {
    const subject = `${"a".repeat(50_000)}!`;
    const started = Date.now();
    expect(viaPike("^(?:[a-z]{1,20})+$", subject)).toBeNull();
    expect(viaPike("^(a|a)*b", subject)).toBeNull();
    // Generous: exponential backtracking would not finish this in years.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("refuses programs that counted repetition blows up", () => {
    expect(() => new PikeProgram(parseRegex("(?:(?:a{1000}){1000})"))).toThrow(ProgramTooLarge);
    expect(MAX_PROGRAM).toBeGreaterThan(1000);
  });
});
