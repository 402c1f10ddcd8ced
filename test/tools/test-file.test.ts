/** Reading pantherlog test files: documents, positions, strict keys (src/schema/test-file.ts). */
import { describe, expect, it } from "vitest";
import { expandTemplate, looksLikeTestFile, parseTestFile } from "../../src/tools/schema-tests/test-file.js";

const TWO_TESTS = `# leading comment
name: first
logType: Hex.Audit
input: |
  {"a":1}
result: |
  {"p_log_type": "{{ .LogType }}"}
---
# the second test
name: second
logType: Auth0.Events
input: '{}'
result: '{"one":1}'
results:
  - '{"two":2}'
  - |
    {"three":3}
error: broken
`;

describe("parseTestFile", () => {
  it("reads result and results written as YAML mappings as JSON text, numbers exactly as written", () => {
    const text = "name: a\nlogType: T.A\ninput: x\nresult:\n  id: 12345678901234567890\n  ratio: 1.50\n  ok: true\n  tags: [a, b]\n  who: {name: \"null\"}\n  gone: null\nresults:\n  - p_log_type: '{{ .LogType }}'\n  - '{\"x\": 1}'\n";
    const { cases, problems } = parseTestFile(text, "t.yml");
    expect(problems).toEqual([]);
    expect(cases[0]?.expected).toEqual([
      { text: '{"id":12345678901234567890,"ratio":1.50,"ok":true,"tags":["a","b"],"who":{"name":"null"},"gone":null}', line: 5 },
      { text: '{"p_log_type":"T.A"}', line: 12 },
      { text: '{"x": 1}', line: 13 },
    ]);
    expect(cases[0]?.templated).toBe(true);
  });

  it("refuses numbers JSON cannot hold in a YAML expectation, at their place", () => {
    const { cases, problems } = parseTestFile("name: a\nlogType: T.A\ninput: x\nresult:\n  n: .inf\n", "t.yml");
    expect(cases).toEqual([]);
    expect(problems).toEqual([{ file: "t.yml", line: 5, col: 6, message: ".inf is not a number JSON can hold" }]);
  });

  it("reads one test per YAML document, pointing at each test's first key", () => {
    const { cases, problems } = parseTestFile(TWO_TESTS, "x_tests.yml");
    expect(problems).toEqual([]);
    expect(cases.map((c) => [c.name, c.logType, c.line, c.doc, c.logTypeLine])).toEqual([
      ["first", "Hex.Audit", 2, 0, 3],
      ["second", "Auth0.Events", 10, 1, 11],
    ]);
    expect(cases[0]?.input).toBe('{"a":1}\n');
    expect(cases[1]?.error).toBe("broken");
  });

  it("puts result before results, each with its line", () => {
    const [, second] = parseTestFile(TWO_TESTS, "x_tests.yml").cases;
    expect(second?.expected).toEqual([
      { text: '{"one":1}', line: 13 },
      { text: '{"two":2}', line: 15 },
      { text: '{"three":3}\n', line: 16 },
    ]);
  });

  it("expands {{ .LogType }} in expectations and remembers that it was used", () => {
    const [first, second] = parseTestFile(TWO_TESTS, "x_tests.yml").cases;
    expect(first?.expected[0]?.text).toBe('{"p_log_type": "Hex.Audit"}\n');
    expect(first?.templated).toBe(true);
    expect(second?.templated).toBe(false);
    expect(expandTemplate("{{.LogType}} {{- .LogType -}} {{ .Other }}", "A.B")).toBe("A.B A.B {{ .Other }}");
  });

  it("expects no records when neither result nor results is given, or results is empty", () => {
    const text = "name: a\nlogType: T.A\ninput: ''\n---\nname: b\nlogType: T.A\ninput: x\nresults: []\n---\nname: c\nlogType: T.A\ninput: x\nresults:\n";
    const { cases, problems } = parseTestFile(text, "t.yml");
    expect(problems).toEqual([]);
    expect(cases.map((c) => c.expected.length)).toEqual([0, 0, 0]);
  });

  it("skips documents that hold only comments", () => {
    const { cases, problems } = parseTestFile("name: a\nlogType: T.A\ninput: x\n---\n# nothing here\n", "t.yml");
    expect(problems).toEqual([]);
    expect(cases).toHaveLength(1);
  });

  it("rejects unknown keys at their position, with a suggestion", () => {
    const { cases, problems } = parseTestFile("name: a\nlogtype: T.A\ninput: x\nresult: '{}'\n", "t.yml");
    expect(cases).toEqual([]);
    expect(problems).toContainEqual({ file: "t.yml", line: 2, col: 1, message: 'unknown key "logtype" (did you mean "logType"?)' });
    expect(problems).toContainEqual({ file: "t.yml", line: 1, col: 1, message: 'test is missing "logType"' });
  });

  it("names every missing required key", () => {
    const { problems } = parseTestFile("---\nresult: '{}'\n", "t.yml");
    expect(problems.map((p) => [p.line, p.message])).toEqual([[2, 'test is missing "name" and "logType" and "input"']]);
  });

  it("rejects values of the wrong type where they are", () => {
    const text = "name: a\nlogType: T.A\ninput:\n  a: 1\nresults: '{}'\n---\nname: b\nlogType: T.A\ninput: x\nresults:\n  - {a: 1}\n  - 5\n";
    const { problems } = parseTestFile(text, "t.yml");
    expect(problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      "4:3 input must be the raw event text (a string, usually a | block), got a mapping",
      "5:10 results must be a list of expected records (YAML mappings or JSON text), got a string",
      "12:5 each of results must be one expected record, as a YAML mapping or JSON text, got number 5",
    ]);
  });

  it("reports YAML errors with their line", () => {
    const { problems } = parseTestFile("name: a\nlogType: T.A\ninput: x\nname: b\n", "t.yml");
    expect(problems.map((p) => [p.line, p.message])).toEqual([[4, "Map keys must be unique"]]);
  });

  it("rejects a document that is not a mapping", () => {
    const { problems } = parseTestFile("- just\n- a list\n", "t.yml");
    expect(problems[0]?.message).toBe("a test must be a YAML mapping with name, logType, input");
  });
});

describe("looksLikeTestFile", () => {
  it("recognises tests by their logType or input key, in any case", () => {
    expect(looksLikeTestFile("name: x\nlogType: A.B\ninput: x\n")).toBe(true);
    expect(looksLikeTestFile("# comment\n---\nLOGTYPE: A.B\n")).toBe(true);
    expect(looksLikeTestFile("schema: A.B\nfields:\n  - name: a\n    type: string\n")).toBe(false);
    expect(looksLikeTestFile("- not a mapping\n")).toBe(false);
    expect(looksLikeTestFile("")).toBe(false);
  });

  it("answers alike whether or not a schema file takes the short way past the YAML parser", () => {
    // Block mappings with `schema:` are told apart by their lines; anything else is parsed.
    expect(looksLikeTestFile("# a schema\nschema: A.B\nfields:\n  - name: input\n    type: string\n")).toBe(false);
    expect(looksLikeTestFile("schema: A.B\n'logType': A.B\n")).toBe(true);
    expect(looksLikeTestFile("schema: A.B\nInput: x\n")).toBe(true);
    expect(looksLikeTestFile("{logType: A.B, input: x}\n---\nschema: A.B\n")).toBe(true);
    expect(looksLikeTestFile("  logType: A.B\n  schema: A.B\n")).toBe(true);
  });
});
