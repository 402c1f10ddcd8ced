import { beforeAll, describe, expect, it } from "vitest";
import { compileTextParser, LineFailure } from "../../src/engine/parsers/index.js";
import { compileRegexMatcher, V8_MAX_LINE_CHARS, type RegexMatcher } from "../../src/engine/parsers/regex/index.js";
import { BUILTIN_PATTERNS } from "../../src/engine/parsers/regex/library.js";
import { enableRegexBacktrackingGuard, fallbackObserved, guardedRegExp } from "../../src/engine/parsers/regex/linear.js";
import type { RegexParserSpec, SchemaIssue } from "../../src/language/types.js";

// As the CLI does: these tests pin what V8's guarded engine takes (a library leaves it off).
enableRegexBacktrackingGuard();

const PATH = ["parser", "regex"];

// As the CLI does: schema regexes run on V8's engines, with the linear-time fallback.
beforeAll(() => enableRegexBacktrackingGuard());

function matcher(match: string[], patternDefinitions?: Record<string, string>): RegexMatcher {
  const spec: RegexParserSpec = patternDefinitions ? { match, patternDefinitions } : { match };
  const m = compileRegexMatcher(spec, PATH);
  if (Array.isArray(m)) throw new Error(JSON.stringify(m));
  return m;
}

/** Named values of a match (last value per name wins, groups that took no part left out). */
function fields(m: RegexMatcher, line: string): Record<string, string> | null {
  const values = m.exec(line);
  if (!values) return null;
  const out: Record<string, string> = {};
  m.keys.forEach((k, i) => {
    const v = values[i];
    if (k !== null && v !== undefined) out[k] = v;
  });
  return out;
}

function issues(match: string[], patternDefinitions?: Record<string, string>): SchemaIssue[] {
  const m = compileRegexMatcher(patternDefinitions ? { match, patternDefinitions } : { match }, PATH);
  if (!Array.isArray(m)) throw new Error("compiled");
  return m;
}

describe("regex parser patterns", () => {
  it("joins the match pieces with nothing between them", () => {
    expect(fields(matcher(["(?P<a>[a-z]+", ")-(?P<b>[0-9]+)"]), "abc-42")).toEqual({ a: "abc", b: "42" });
  });

  it("searches anywhere in the line unless anchored", () => {
    expect(fields(matcher(["%{WORD:w} %{INT:n}"]), "prefix junk hello 42")).toEqual({ w: "hello", n: "42" });
    expect(fields(matcher(["^%{WORD:w} %{INT:n}"]), "prefix junk hello 42")).toBeNull();
  });

  it("expands %{NAME} and %{NAME:field}, including named groups inside definitions", () => {
    const m = matcher(["^%{PAIR:pair}$"], { MYNUM: "[0-9]+", PAIR: "%{MYNUM:left}/%{MYNUM}" });
    expect(fields(m, "12/34")).toEqual({ pair: "12/34", left: "12" });
  });

  it("reads Apache's HTTPDATE and syslog's SYSLOGTIMESTAMP", () => {
    expect(fields(matcher(["\\[%{HTTPDATE:t}\\]"]), "[10/Oct/2000:13:55:36 -0700]")).toEqual({ t: "10/Oct/2000:13:55:36 -0700" });
    expect(fields(matcher(["^%{SYSLOGTIMESTAMP:t} "]), "Feb  5 17:32:18 host x")).toEqual({ t: "Feb  5 17:32:18" });
  });

  it("tells IPv4 from IPv6 and takes whole addresses", () => {
    const m = matcher(["^%{IP:ip}$"]);
    for (const ip of ["192.0.2.1", "255.255.255.255", "::", "::1", "2001:db8::1", "1:2:3:4:5:6:7:8", "fe80::1%eth0", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33"]) {
      expect(fields(m, ip), ip).toEqual({ ip });
    }
    for (const bad of ["256.1.1.1", "1.2.3", "12:34:56", "1:2:3:4:5:6:7:8:9"]) expect(fields(m, bad), bad).toBeNull();
    expect(fields(matcher(["from %{IP:ip} port"]), "from 2001:db8::17 port")).toEqual({ ip: "2001:db8::17" });
  });

  it("reads numbers, words, hosts, URIs, UUIDs and MAC addresses", () => {
    const m = matcher(["^%{NUMBER:n} %{WORD:w} %{HOSTNAME:h} %{URI:u} %{UUID:id} %{MAC:mac}$"]);
    expect(fields(m, "-1.5 hello db.example.com https://user@example.com:8443/a/b?c=d 6c186144-a0f5-4faf-9867-6E3E51367072 00:1A:2b:3c:4d:5e")).toEqual({
      n: "-1.5",
      w: "hello",
      h: "db.example.com",
      u: "https://user@example.com:8443/a/b?c=d",
      id: "6c186144-a0f5-4faf-9867-6E3E51367072",
      mac: "00:1A:2b:3c:4d:5e",
    });
  });

  it("compiles every built-in pattern for V8's guarded engine", () => {
    for (const name of Object.keys(BUILTIN_PATTERNS)) expect(matcher([`%{${name}:x}`]).engine, name).toBe("v8");
  });

  it("runs patterns V8's linear engine cannot take on the Pike matcher, with the same results", () => {
    const m = matcher(["^(?P<hash>[0-9a-f]{32}) (?P<file>.+)$"]);
    expect(m.engine).toBe("pike");
    expect(fields(m, "d41d8cd98f00b204e9800998ecf8427e empty.txt")).toEqual({ hash: "d41d8cd98f00b204e9800998ecf8427e", file: "empty.txt" });
  });

  it("finishes quickly on catastrophic backtracking, on either engine", () => {
    const subject = `${"a".repeat(5000)}!`;
    const nested = matcher(["^(?P<w>(?:a+)+)$"]);
    const counted = matcher(["^(?P<w>(?:a{1,20})+)$"]);
    expect([nested.engine, counted.engine]).toEqual(["v8", "pike"]);
    const started = Date.now();
    expect(nested.exec(subject)).toBeNull();
    expect(counted.exec(subject)).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("regex fields whose values never need JSON escaping (plain fields, for the record writer)", () => {
  it("counts a name plain when every group of that name matches only characters JSON writes as they are", () => {
    const plain = (match: string) => [...matcher([match]).plain].sort();
    expect(plain("%{IPORHOST:h} %{WORD:w} %{INT:i} %{NUMBER:n} %{HTTPDATE:t} %{NOTSPACE:ns} %{DATA:d}")).toEqual(["h", "i", "n", "t", "w"]);
    // Classes that take a quote, a backslash, a control character or a lone surrogate are not plain.
    expect(plain('(?P<a>[a-z]+)(?P<b>[^"]+)(?P<c>\\\\)(?P<d>.)(?P<e>😀)(?P<f>\\t)(?P<g>[ -~]+)')).toEqual(["a"]);
    expect(plain("(?P<x>😀+)(?P<y>\\x{E000})(?P<z>[\\x{D7FF}-\\x{E000}])")).toEqual(["y"]);
    // An outer group holds what its inner groups match; a name is plain only if all its groups are.
    expect(plain("(?P<outer>[a-z]+(?P<inner>[a-z]+)-(?P<q>\"))")).toEqual(["inner"]);
    expect(plain("(?P<v>[0-9]+)|(?P<v>\\S+)")).toEqual([]);
    expect(plain("(?i)(?P<k>q)")).toEqual(["k"]);
  });

  it("leaves a field out of the parser's plain fields when an expandFields template makes it", () => {
    const text = compileTextParser({ regex: { match: ["^%{INT:a} %{INT:b}"], expandFields: { b: "<%{a}>" } } });
    if (text === undefined || Array.isArray(text)) throw new Error("no parser");
    expect([...(text.plainFields ?? [])]).toEqual(["a"]);
  });

  it("gives plain fields only values JSON writes as they are, whatever the line", () => {
    const text = compileTextParser({ regex: { match: ["^(?P<word>\\w+) %{IPORHOST:host}(?P<rest>.*)(?P<digits>[0-9]*)$"], trimSpace: true } });
    if (text === undefined || Array.isArray(text)) throw new Error("no parser");
    expect([...(text.plainFields ?? [])].sort()).toEqual(["digits", "host", "word"]);
    const parser = text.open();
    const alphabet = ["a", "Z", "0", "9", " ", ".", "-", ":", '"', "\\", "\t", "\u0000", "\u001f", "\ud800", "\udc00", "é", "_"];
    let seed = 99;
    const pick = () => alphabet[(seed = (seed * 1103515245 + 12345) % 2147483648) % alphabet.length] as string;
    const piece = (n: number) => Array.from({ length: n }, pick).join("");
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      // Mostly shaped like the pattern, every piece holding any character.
      const line = `${["ab", "x_1", piece(2)][n % 3]}${n % 4 ? " " : piece(1)}${["10.0.0.1", "host.example", "2001:db8::1", piece(4)][n % 4]}${piece(n % 9)}`;
      const r = parser.parse(line);
      if (r instanceof LineFailure || typeof r !== "object") continue;
      matched++;
      for (const name of text.plainFields ?? []) {
        const v = (r as Record<string, string>)[name];
        if (v !== undefined) expect(JSON.stringify(v), `${name} of ${JSON.stringify(line)}`).toBe(`"${v}"`);
      }
    }
    expect(matched).toBeGreaterThan(100);
  });
});

describe("regex parser on long lines (bounded memory)", () => {
  it("matches lines longer than V8_MAX_LINE_CHARS on the Pike matcher, with the captures V8 gives", () => {
    const m = matcher(["^(?P<w>(?:(?:a|b)*c?)*) (?P<n>%{INT})$"]);
    expect(m.engine).toBe("v8");
    const short = `${"ab".repeat(10)} 42`;
    const long = `${"ab".repeat(V8_MAX_LINE_CHARS)} 42`;
    expect(fields(m, short)).toEqual({ w: "ab".repeat(10), n: "42" });
    expect(fields(m, long)).toEqual({ w: "ab".repeat(V8_MAX_LINE_CHARS), n: "42" });
    expect(fields(m, `${long}x`)).toBeNull();
  });

  it("gives a long line a failure of its own when the pattern is too large for the Pike matcher", () => {
    const words = Array.from({ length: 6000 }, (_, i) => `w${String(i).padStart(4, "0")}`);
    const compiled = compileTextParser({ regex: { match: [`(?P<w>${words.join("|")})`] } });
    if (compiled === undefined || Array.isArray(compiled)) throw new Error("did not compile");
    const parser = compiled.open();
    expect(parser.parse("x w0005 y")).toEqual({ w: "w0005" });
    const failure = parser.parse(`${"x".repeat(V8_MAX_LINE_CHARS)} w0005`);
    expect(failure).toBeInstanceOf(LineFailure);
    expect((failure as LineFailure).message).toBe(
      `the pattern could not be run on this line: the line is too long for this pattern (over ${V8_MAX_LINE_CHARS} characters)`,
    );
    // The parser goes on with the next line.
    expect(parser.parse("w0007")).toEqual({ w: "w0007" });
  });
});

describe("regex parser schema checks", () => {
  it("points at the match piece and character of a syntax error", () => {
    expect(issues(["^%{WORD:w} ", "(?=x)"])).toEqual([
      { path: [...PATH, "match", 1], rule: "invalid-regex", message: 'lookahead and lookbehind are not supported (the dialect is RE2) (at character 1 of "(?=x)")', severity: "error" },
    ]);
  });

  it("names unknown patterns with a suggestion", () => {
    expect(issues(["%{IPV5:ip}"])[0]).toMatchObject({ path: [...PATH, "match", 0], message: expect.stringContaining("unknown pattern %{IPV5} (did you mean IPV4?)") });
  });

  it("rejects patterns that capture no field", () => {
    expect(issues(["^[a-z]+ %{INT}$"])[0]).toMatchObject({ path: [...PATH, "match"], rule: "invalid-regex" });
  });

  it("rejects bad placeholders: lower-case names, bad field names, type suffixes", () => {
    expect(issues(["%{word:w}"])[0]?.message).toContain('"word" is not a pattern name');
    expect(issues(["%{WORD:my-field}"])[0]?.message).toContain('"my-field" cannot name a field');
    expect(issues(["%{INT:n:int}"])[0]?.message).toContain("type suffixes are not supported");
  });

  it("checks pattern definitions: names, clashes with built-ins, cycles, syntax", () => {
    expect(issues(["(?P<a>x)"], { lower: "x" })[0]).toMatchObject({ path: [...PATH, "patternDefinitions", "lower"] });
    expect(issues(["(?P<a>x)"], { WORD: "x" })[0]?.message).toBe("WORD is already a built-in pattern; choose another name");
    expect(issues(["%{A:a}"], { A: "%{B}", B: "%{A}" })[0]?.message).toContain("refers to itself");
    expect(issues(["%{A:a}"], { A: "(x" })[0]).toMatchObject({ path: [...PATH, "patternDefinitions", "A"], message: 'missing ")" in "(x"' });
  });
});

describe("without the process-wide guard (a library that did not allow V8's flags)", () => {
  it("runs every pattern on the Pike matcher, which is linear too", async () => {
    const { execFileSync } = await import("node:child_process");
    // A fresh process (the guard above is on in this one), on the build the test run made.
    const program = `
      import { compileRegexMatcher } from "./dist/engine/parsers/regex/index.js";
      const m = compileRegexMatcher({ match: ["^(?P<w>(a+)+)$"] }, ["parser", "regex"]);
      console.log(JSON.stringify({ engine: m.engine, matched: m.exec("a".repeat(5000) + "b") !== null }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", program], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ engine: "pike", matched: false });
  });
});

describe("the guard's self-test (whether V8 falls back to its linear engine)", () => {
  it("believes a fast first match", () => {
    expect(fallbackObserved(() => 3)).toBe(true);
  });

  it("does not take a slow first match for a missing fallback when two more a's cost no more", () => {
    // A loaded or instrumented process: everything slow, but not exponential.
    const times = new Map([[24, 120], [26, 90]]);
    expect(fallbackObserved((n) => times.get(n) as number)).toBe(true);
  });

  it("sees a missing fallback when two more a's cost about four times as much", () => {
    const times = new Map([[24, 200], [26, 800]]);
    expect(fallbackObserved((n) => times.get(n) as number)).toBe(false);
  });

  it("finds that this Node falls back", () => {
    enableRegexBacktrackingGuard();
    // A schema regex compiled under the guard is V8's (not null, which would mean the Pike matcher).
    expect(guardedRegExp("^(a+)+$")).toBeInstanceOf(RegExp);
  });
});
