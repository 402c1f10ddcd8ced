/**
 * The built-in IPV6 pattern is written with its forms' common leading groups factored out
 * (library.ts: ipv6Factored), so that lines whose host is an IPv4 address or a name do not try
 * all seventeen forms. A backtracking regex is more than the set of strings it matches: inside a
 * larger pattern, the order in which it offers its possible ends decides what the whole pattern
 * captures. So the factored pattern must offer the same ends, in the same order, as the forms
 * written one by one, from any start and after any character.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GrokLibrary } from "../../src/engine/parsers/regex/grok.js";
import { compileRegexMatcher } from "../../src/engine/parsers/regex/index.js";
import { ipv6Factored, ipv6Forms } from "../../src/engine/parsers/regex/library.js";
import { enableRegexBacktrackingGuard } from "../../src/engine/parsers/regex/linear.js";
import { emit } from "../../src/engine/parsers/regex/emit.js";
import { parseRegex } from "../../src/engine/parsers/regex/syntax.js";

/** A grok body as JavaScript regex source (as the regex parser compiles it). */
function source(body: string): string {
  return emit(parseRegex(new GrokLibrary({}).expand(body).text).root);
}

const FORMS = source(`(?:${ipv6Forms()})(?:%\\w+)?`);
const FACTORED = source(`(?:${ipv6Factored()})(?:%\\w+)?`);

/**
 * The ends a pattern offers at `start` of `text`, in the order a backtracking matcher tries them
 * (each end once, where it first comes): each run rejects the ends found so far with lookbehinds,
 * so the matcher moves on to the next one it would try.
 */
function endsInOrder(pattern: string, text: string, start: number): number[] {
  const ends: number[] = [];
  for (;;) {
    const reject = ends.map((e) => `(?<!^[\\s\\S]{${e}})`).join("");
    const re = new RegExp(`(?:${pattern})${reject}`, "y");
    re.lastIndex = start;
    const m = re.exec(text);
    if (m === null) return ends;
    ends.push(start + m[0].length);
  }
}

/** Text made of the pieces IPv6 and IPv4 addresses are made of, and some that break them. */
const piece = fc.oneof(
  fc.constantFrom(":", "::", ".", "%", "%eth0", " ", "-", "g", "Z", "_"),
  fc.stringMatching(/^[0-9a-fA-F]{1,5}$/),
  fc.constantFrom("0", "1", "25", "255", "256", "199", "01", "2001", "db8", "ffff", "FE80"),
  fc.constantFrom("192.0.2.1", "10.0.0.255", "256.1.1.1", "1.2.3", "::ffff:", "1:2:3:4:5:6:", "1:2:3:4:5:6:7:", "a:b:c:d:e:f:1:2"),
);
const text = fc.array(piece, { minLength: 0, maxLength: 14 }).map((p) => p.join(""));

describe("the built-in IPV6 pattern", () => {
  it("offers the same ends in the same order as its forms written one by one, on any text, from any start", () => {
    fc.assert(
      fc.property(fc.constantFrom("", "a", ":", " ", "1", "."), text, (before, t) => {
        const line = before + t;
        expect(endsInOrder(FACTORED, line, before.length)).toEqual(endsInOrder(FORMS, line, before.length));
      }),
      { numRuns: 400 },
    );
  });

  it("reads every text form of an address the same way as the forms one by one", () => {
    const addresses = [
      "::",
      "::1",
      "1::",
      "2001:db8::1",
      "2001:db8:0:0:0:0:2:1",
      "2001:db8::2:1",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::",
      "1::8",
      "1:2:3:4:5:6:192.0.2.1",
      "1:2:3:4:5::192.0.2.1",
      "::ffff:192.0.2.1",
      "::192.0.2.1",
      "fe80::1%eth0",
      "1:2:3:4:5:6:1.2.3.4",
    ];
    for (const a of addresses) {
      for (const after of ["", " x", ":", ".5", "%"]) {
        expect(endsInOrder(FACTORED, a + after, 0), a + after).toEqual(endsInOrder(FORMS, a + after, 0));
        expect(endsInOrder(FACTORED, a + after, 0).length, a + after).toBeGreaterThan(0);
      }
    }
    for (const notOne of ["12345::1", "1:2:3", ":1", "g::1", "1.2.3.4"]) expect(endsInOrder(FACTORED, notOne, 0), notOne).toEqual(endsInOrder(FORMS, notOne, 0));
    expect(endsInOrder(FACTORED, "12345::1", 0)).toEqual([]);
  });

  it("gives the Apache combined pattern the same captures with either form, and runs on V8's guarded engine", () => {
    enableRegexBacktrackingGuard();
    const match = (ipv6: string): string[] => [
      `^(?P<host>${ipv6}|%{IPV4}|%{HOSTNAME}) %{NOTSPACE:identity} \\[%{HTTPDATE:timestamp}\\] "%{DATA:request}" %{INT:status}$`,
    ];
    const forms = compileRegexMatcher({ match: match(`(?:${ipv6Forms()})(?:%\\w+)?`) }, []);
    const factored = compileRegexMatcher({ match: match("%{IPV6}") }, []);
    if (Array.isArray(forms) || Array.isArray(factored)) throw new Error("does not compile");
    expect(factored.engine).toBe("v8");
    fc.assert(
      fc.property(text, fc.constantFrom("-", "x:y", "1.2"), (host, identity) => {
        const line = `${host} ${identity} [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200`;
        const a = forms.exec(line);
        const b = factored.exec(line);
        expect(b === null ? null : Array.from(b)).toEqual(a === null ? null : Array.from(a));
      }),
      { numRuns: 2000 },
    );
  });
});
