/** Test reports: JUnit XML, JSON, GitHub annotations, text, and the JSON layout of --update. */
import { describe, expect, it } from "vitest";
import { parseLossless } from "../../src/engine/lossless-json.js";
import { layoutJson } from "../../src/output/json-layout.js";
import { renderJunit } from "../../src/output/junit.js";
import { renderGithub, renderJson, renderText, summarize, type TestReport } from "../../src/output/test-report.js";
import { parseXml } from "../helpers/xml.js";

const PLAIN = { red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, cyan: (s: string) => s, magenta: (s: string) => s, gray: (s: string) => s, dimCyan: (s: string) => s };

const REPORTS: TestReport[] = [
  { file: "a_tests.yml", line: 1, name: "ok <one>", logType: "Hex.Audit", status: "passed", seconds: 0.001, problems: [] },
  {
    file: "a_tests.yml",
    line: 9,
    name: 'quotes " & ampersands',
    logType: "Hex.Audit",
    status: "failed",
    seconds: 0.002,
    problems: [
      { path: "event.action", message: "differs", values: { expected: "LOGIN", actual: "LOG\u0001OUT <b>" } },
      { path: "big", message: "missing from the record", values: { expected: parseLossless("12345678901234567891"), actual: undefined } },
      { message: "input line 2 does not parse: unterminated JSON value" },
    ],
  },
  { file: "b_tests.yml", line: 3, name: "fixed", logType: "Auth0.Events", status: "updated", seconds: 0.003, problems: [] },
];
const SUMMARY = summarize(REPORTS, 0.5);

describe("renderJunit", () => {
  it("writes well-formed XML with one suite per file and the diff in <failure>", () => {
    const root = parseXml(renderJunit(REPORTS, SUMMARY, new Date("2026-01-02T03:04:05Z")));
    expect(root.name).toBe("testsuites");
    expect(root.attrs).toMatchObject({ tests: "3", failures: "1", errors: "0" });
    expect(root.children.map((s) => [s.name, s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ["testsuite", "a_tests.yml", "2", "1"],
      ["testsuite", "b_tests.yml", "1", "0"],
    ]);
    const [ok, bad] = root.children[0]?.children ?? [];
    expect(ok?.attrs).toMatchObject({ name: "ok <one>", classname: "Hex.Audit", file: "a_tests.yml", line: "1" });
    expect(bad?.attrs.name).toBe('quotes " & ampersands');
    const failure = bad?.children[0];
    expect(failure?.name).toBe("failure");
    expect(failure?.attrs.message).toBe("event.action: differs (and 2 more)");
    expect(failure?.text).toContain('  + actual    "LOG\\u0001OUT <b>"');
    expect(failure?.text).toContain("  - expected  12345678901234567891");
    expect(failure?.text).toContain("input line 2 does not parse");
  });

  it("replaces characters XML cannot hold", () => {
    const r: TestReport = { ...REPORTS[0]!, name: "bell \u0007 here", status: "failed", problems: [{ message: "nul \u0000 lone \ud800 surrogate" }] };
    const xml = renderJunit([r], summarize([r], 0), new Date(0));
    const root = parseXml(xml);
    expect(root.children[0]?.children[0]?.attrs.name).toBe("bell \ufffd here");
    expect(root.children[0]?.children[0]?.children[0]?.text).toBe("nul \ufffd lone \ufffd surrogate");
  });
});

describe("renderJson", () => {
  it("writes every test with its problems, values as JSON with exact numbers, absent values left out", () => {
    const text = renderJson(REPORTS, SUMMARY);
    expect(text).toContain('"expected": 12345678901234567891');
    const doc = JSON.parse(text) as { tests: Array<Record<string, unknown>>; summary: Record<string, number> };
    expect(doc.summary).toEqual({ tests: 3, passed: 1, failed: 1, updated: 1, files: 2, seconds: 0.5 });
    expect(doc.tests.map((t) => t.status)).toEqual(["passed", "failed", "updated"]);
    const problems = doc.tests[1]?.problems as Array<Record<string, unknown>>;
    expect(problems[0]).toEqual({ path: "event.action", message: "differs", expected: "LOGIN", actual: "LOG\u0001OUT <b>" });
    expect(Object.keys(problems[1] ?? {})).toEqual(["path", "message", "expected"]);
  });
});

describe("renderGithub", () => {
  it("annotates failing and updated tests at their line, escaping what workflow commands need", () => {
    const lines = renderGithub(REPORTS, SUMMARY).split("\n");
    expect(lines[0]).toMatch(/^::error file=a_tests\.yml,line=9,title=quotes " & ampersands \(Hex\.Audit\)::event\.action: differs%0A  - expected  "LOGIN"%0A/);
    expect(lines[1]).toBe("::notice file=b_tests.yml,line=3,title=fixed (Auth0.Events)::expected records rewritten by --update");
    expect(lines[2]).toBe("3 tests in 2 files: 1 passed, 1 failed, 1 updated (0.50s)");
    expect(lines).toHaveLength(3);
  });

  it("escapes commas and colons in properties", () => {
    const r: TestReport = { ...REPORTS[1]!, file: "dir,x/a:b_tests.yml", name: "50% done, really: yes" };
    expect(renderGithub([r], summarize([r], 0))).toContain("::error file=dir%2Cx/a%3Ab_tests.yml,line=9,title=50%25 done%2C really%3A yes (Hex.Audit)::");
  });
});

describe("renderText", () => {
  it("prints a line per test, the diff under failures and a summary", () => {
    const text = renderText(REPORTS, SUMMARY, PLAIN, false);
    expect(text.split("\n")).toEqual([
      "PASS    a_tests.yml:1  ok <one> (Hex.Audit)",
      'FAIL    a_tests.yml:9  quotes " & ampersands (Hex.Audit)',
      "          event.action: differs",
      '            - expected  "LOGIN"',
      '            + actual    "LOG\\u0001OUT <b>"',
      "          big: missing from the record",
      "            - expected  12345678901234567891",
      "            + actual    (absent)",
      "          input line 2 does not parse: unterminated JSON value",
      "UPDATED b_tests.yml:3  fixed (Auth0.Events)",
      "",
      "3 tests in 2 files: 1 passed, 1 failed, 1 updated (0.50s)",
    ]);
  });

  it("leaves out passing tests and the summary when quiet", () => {
    const text = renderText(REPORTS, SUMMARY, PLAIN, true);
    expect(text).not.toContain("PASS");
    expect(text).not.toContain("tests in");
    expect(text).toContain("FAIL");
  });
});

describe("layoutJson", () => {
  it("keeps values that fit on one line and spreads the others", () => {
    const v = parseLossless('{"short":{"a":1,"b":[1.50,2]},"long":{"text":"' + "x".repeat(90) + '","n":12345678901234567891}}');
    expect(layoutJson(v)).toBe(
      ['{', '  "short": {"a": 1, "b": [1.50, 2]},', '  "long": {', `    "text": "${"x".repeat(90)}",`, '    "n": 12345678901234567891', '  }', '}'].join("\n"),
    );
  });

  it("writes a small record on one line", () => {
    expect(layoutJson(parseLossless('{"a":[],"b":{}}'))).toBe('{"a": [], "b": {}}');
  });
});

describe("the XML well-formedness check these tests use", () => {
  it("rejects what is not well-formed XML", () => {
    for (const bad of ["<a><b></a></b>", "<a x=1/>", "<a>&</a>", "<a>&foo;</a>", "<a/><b/>", "<a>", "<a x='1' x='2'/>", "<a>\u0001</a>", "text<a/>"]) {
      expect(() => parseXml(bad), bad).toThrow();
    }
    expect(parseXml("<?xml version=\"1.0\"?>\n<a k='&lt;&#65;&#x42;'>t&amp;<b/></a>")).toEqual({
      name: "a",
      attrs: { k: "<AB" },
      children: [{ name: "b", attrs: {}, children: [], text: "" }],
      text: "t&",
    });
  });
});
