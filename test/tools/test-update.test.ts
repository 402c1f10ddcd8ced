/** --update rewrites expectations in place (src/schema/test-update.ts). */
import { describe, expect, it } from "vitest";
import { parseTestFile } from "../../src/tools/schema-tests/test-file.js";
import { rewriteExpectations } from "../../src/tools/schema-tests/test-update.js";

const FILE = `# Suite header: keep me.
name: first   # after the name
logType: T.A
input: |
  {"a":1}
# about the expectation
result: |
  {"a": 0}
---
# second test, untouched
name: second
logType: T.A
input: "{}"
results: ['{"x" : 1}']

---
name: third
logType: T.A
input: x
results:
  - |
    {"old": 1}   
  # a comment between items
  - '{"old": 2}'
`;

function expected(text: string, doc: number): string[] {
  return parseTestFile(text, "t.yml").cases.filter((c) => c.doc === doc).flatMap((c) => c.expected.map((e) => e.text));
}

describe("rewriteExpectations", () => {
  it("replaces result and keeps comments, other keys and other documents byte for byte", () => {
    const out = rewriteExpectations(FILE, [{ doc: 0, records: ['{"a": 1}\n'] }]);
    expect(expected(out, 0)).toEqual(['{"a": 1}\n']);
    expect(out).toContain("# Suite header: keep me.\n");
    expect(out).toContain("# after the name");
    expect(out).toContain("# about the expectation\nresult: |\n  {\"a\": 1}\n");
    const rest = FILE.slice(FILE.indexOf("---"));
    expect(out.endsWith(rest)).toBe(true);
  });

  it("keeps a document that needs no change exactly as written", () => {
    expect(rewriteExpectations(FILE, [])).toBe(FILE);
    const out = rewriteExpectations(FILE, [{ doc: 2, records: ['{"new": 1}\n'] }]);
    expect(out.startsWith(FILE.slice(0, FILE.indexOf("name: third")))).toBe(true);
  });

  it("turns result into results when several records are expected", () => {
    const out = rewriteExpectations(FILE, [{ doc: 0, records: ['{"a": 1}\n', '{"a": 2}\n'] }]);
    expect(expected(out, 0)).toEqual(['{"a": 1}\n', '{"a": 2}\n']);
    expect(out).not.toMatch(/^result:/m);
  });

  it("writes results: [] when no record is expected", () => {
    const out = rewriteExpectations(FILE, [{ doc: 0, records: [] }]);
    expect(expected(out, 0)).toEqual([]);
    expect(out).toContain("results: []\n");
  });

  it("rewrites the items of results in place, dropping the extra ones", () => {
    const out = rewriteExpectations(FILE, [{ doc: 2, records: ['{"new": 1}\n'] }]);
    expect(expected(out, 2)).toEqual(['{"new": 1}\n']);
    expect(out).toContain("results:\n  - |\n    {\"new\": 1}\n");
  });

  it("adds result to a test that had no expectation as a YAML mapping", () => {
    const text = "name: a\nlogType: T.A\ninput: x\n";
    expect(rewriteExpectations(text, [{ doc: 0, records: ['{"b": 2, "c": {"d": "true"}}\n'] }])).toBe('name: a\nlogType: T.A\ninput: x\nresult:\n  b: 2\n  c:\n    d: "true"\n');
  });

  it("keeps a test's YAML mappings as mappings, with exact big integers and the comment before them", () => {
    const text = "name: a\nlogType: T.A\ninput: x\n# expected\nresult:\n  n: 1\n";
    const out = rewriteExpectations(text, [{ doc: 0, records: ['{"n": 12345678901234567890, "s": "2026-01-01T00:00:00Z", "e": {}, "l": []}\n'] }]);
    expect(out).toBe('name: a\nlogType: T.A\ninput: x\n# expected\nresult:\n  n: 12345678901234567890\n  s: 2026-01-01T00:00:00Z\n  e: {}\n  l: []\n');
    expect(expected(out, 0)).toEqual(['{"n":12345678901234567890,"s":"2026-01-01T00:00:00Z","e":{},"l":[]}']);
  });

  it("writes several records of a YAML-form test as a list of mappings", () => {
    const text = "name: a\nlogType: T.A\ninput: x\nresults:\n  - n: 1\n";
    const out = rewriteExpectations(text, [{ doc: 0, records: ['{"n": 1}\n', '{"n": 2}\n'] }]);
    expect(out).toBe("name: a\nlogType: T.A\ninput: x\nresults:\n  - n: 1\n  - n: 2\n");
  });

  it("keeps the blank lines between documents", () => {
    const out = rewriteExpectations(FILE, [{ doc: 1, records: ['{"x": 2}\n'] }]);
    expect(out).toContain("\n\n---\nname: third");
    expect(expected(out, 1)).toEqual(['{"x": 2}\n']);
  });
});
