import { describe, expect, it } from "vitest";
import { buildLogType } from "../../src/engine/logtype.js";
import type { SchemaIssue } from "../../src/language/types.js";

const FIELDS = [{ name: "a", type: "string" }];

function build(parser: unknown): { ok: boolean; issues: Array<Pick<SchemaIssue, "path" | "rule" | "severity">>; messages: string[] } {
  const { logType, issues } = buildLogType({ schema: "Custom.T", parser, fields: FIELDS }, "Custom.T");
  return {
    ok: logType !== undefined,
    issues: issues.map(({ path, rule, severity }) => ({ path, rule, severity })),
    messages: issues.map((i) => i.message),
  };
}

describe("csv parser options", () => {
  it("needs a one-character delimiter other than a quote or line break", () => {
    expect(build({ csv: { columns: ["a"] } }).issues).toEqual([{ path: ["parser", "csv"], rule: "csv-conflict", severity: "error" }]);
    for (const delimiter of ["", "ab", '"', "\n"]) {
      expect(build({ csv: { delimiter, columns: ["a"] } }).issues, JSON.stringify(delimiter)).toEqual([{ path: ["parser", "csv", "delimiter"], rule: "csv-conflict", severity: "error" }]);
    }
  });

  it("accepts other delimiters with a warning that Panther does not", () => {
    const r = build({ csv: { delimiter: ";", columns: ["a"] } });
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([{ path: ["parser", "csv", "delimiter"], rule: "panther-incompatible", severity: "warning" }]);
  });

  it("needs columns or hasHeader: true", () => {
    expect(build({ csv: { delimiter: "," } }).issues).toEqual([{ path: ["parser", "csv"], rule: "csv-conflict", severity: "error" }]);
    expect(build({ csv: { delimiter: ",", hasHeader: false } }).issues).toEqual([{ path: ["parser", "csv", "hasHeader"], rule: "csv-conflict", severity: "error" }]);
  });

  it("rejects a column named twice, or only unnamed columns", () => {
    expect(build({ csv: { delimiter: ",", columns: ["a", "", "a"] } }).issues).toEqual([{ path: ["parser", "csv", "columns", 2], rule: "csv-conflict", severity: "error" }]);
    expect(build({ csv: { delimiter: ",", columns: ["", ""] } }).issues).toEqual([{ path: ["parser", "csv", "columns"], rule: "csv-conflict", severity: "error" }]);
  });

  it("takes hasHeader together with columns (the header line is skipped)", () => {
    expect(build({ csv: { delimiter: "\t", hasHeader: true, columns: ["a"] } })).toMatchObject({ ok: true, issues: [] });
  });
});

describe("parser option structure", () => {
  it("reports unknown keys with a suggestion, including Panther's misspelled patternDefintions", () => {
    const r = build({ regex: { match: ["(?P<a>x)"], patternDefintions: {} } });
    expect(r.issues).toEqual([{ path: ["parser", "regex", "patternDefintions"], rule: "unknown-key", severity: "error" }]);
    expect(r.messages[0]).toContain('did you mean "patternDefinitions"');
    expect(build({ fastmatch: { match: ["%{a}"], emptyValue: ["-"] } }).messages[0]).toContain('did you mean "emptyValues"');
  });

  it("needs a match list for fastmatch and regex", () => {
    expect(build({ fastmatch: {} }).issues).toEqual([{ path: ["parser", "fastmatch"], rule: "missing-match", severity: "error" }]);
    expect(build({ regex: { match: [] } }).issues).toEqual([{ path: ["parser", "regex", "match"], rule: "empty-list", severity: "error" }]);
  });

  it("checks option types", () => {
    expect(build({ fastmatch: { match: ["%{a}"], trimSpace: "yes", skipPrefix: "", emptyValues: "-", expandFields: { b: 1 } } }).issues).toEqual([
      { path: ["parser", "fastmatch", "skipPrefix"], rule: "type-mismatch", severity: "error" },
      { path: ["parser", "fastmatch", "emptyValues"], rule: "type-mismatch", severity: "error" },
      { path: ["parser", "fastmatch", "trimSpace"], rule: "type-mismatch", severity: "error" },
      { path: ["parser", "fastmatch", "expandFields", "b"], rule: "type-mismatch", severity: "error" },
    ]);
  });

  it("reports pattern problems at the pattern, with the engine's rule ids", () => {
    expect(build({ fastmatch: { match: ["%{a} %{b}", "%{a}%{b}"] } }).issues).toEqual([{ path: ["parser", "fastmatch", "match", 1], rule: "invalid-fastmatch", severity: "error" }]);
    expect(build({ regex: { match: ["(?P<a>x)", "("] } }).issues).toEqual([{ path: ["parser", "regex", "match", 1], rule: "invalid-regex", severity: "error" }]);
    expect(build({ csv: { delimiter: ",", columns: ["a"], expandFields: { b: "%{a" } } }).issues).toEqual([
      { path: ["parser", "csv", "expandFields", "b"], rule: "invalid-expand-fields", severity: "error" },
    ]);
  });

  it("builds a log type with a text parser for a valid schema", () => {
    const { logType } = buildLogType({ schema: "Custom.T", parser: { fastmatch: { match: ["%{a}"] } }, fields: FIELDS }, "x");
    expect(logType?.text?.kind).toBe("fastmatch");
    const json = buildLogType({ schema: "Custom.J", parser: { native: { name: "AWS.CloudTrail" } }, fields: FIELDS }, "x");
    expect(json.logType?.text).toBeUndefined();
  });
});
