/** Validation of schema documents: both layers merged, findings located in the YAML text. */
import { beforeAll, describe, expect, it } from "vitest";
import { loadJsonSchemaCheck, type JsonSchemaCheck } from "../../src/language/json-schema.js";
import { locate, parseSchemaDocuments, parseSchemaText, sourcePath } from "../../src/language/yaml-source.js";
import { markDuplicateNames, validateDocument } from "../../src/tools/validate.js";

let check: JsonSchemaCheck;
beforeAll(async () => {
  check = await loadJsonSchemaCheck();
});

const findings = (text: string, file = "s.yml") => validateDocument(parseSchemaText(text, file), check).findings.map((f) => `${f.line}:${f.col} ${f.rule} ${f.message}`);

describe("one finding per problem", () => {
  it("keeps the semantic checker's finding where both layers see the same problem", () => {
    expect(findings("fields:\n  - name: a\n    type: strng\n    indicator: [ip]\n")).toEqual([
      '3:11 unknown-type unknown type "strng" (did you mean "string"?); expected one of string, int, smallint, bigint, float, boolean, timestamp, array, object, json, ref',
      '4:5 unknown-key unknown key "indicator" (did you mean "indicators"?)',
    ]);
  });

  it("adds what only the JSON Schema sees, and merges a missing key found at its parent by the same rule", () => {
    expect(findings("parser:\n  native:\n    name: AWS.GuardDuty\n    version: 2\nfields: [{name: a, type: string}]\n")).toEqual([
      "3:5 native-parser parser.native (AWS.GuardDuty) names a parser built into Panther that hexlog does not emulate; it reads this schema as JSON, keys matched case-insensitively as Panther's decoder does",
      '4:5 unknown-key unknown key "version"',
    ]);
    expect(findings("parser:\n  fastmatch:\n    trimSpace: true\nfields: [{name: a, type: string}]\n")).toEqual(["3:5 missing-match the parser needs match: a list of patterns"]);
  });

  it("locates a bad singular timeFormat on its own line, though the checker reads it as timeFormats[0]", () => {
    const r = validateDocument(parseSchemaText("fields:\n  - name: t\n    type: timestamp\n    timeFormat: '%Y-%Q'\n", "t.yml"), check);
    expect(r.findings).toEqual([
      { file: "t.yml", line: 4, col: 17, severity: "error", rule: "invalid-time-format", message: 'unknown strftime directive %Q in time format "%Y-%Q"', path: "fields[0].timeFormat" },
    ]);
    expect(r.logType).toBeUndefined();
  });

  it("gives a valid schema its compiled log type, named after the file when it has no schema key", () => {
    const r = validateDocument(parseSchemaText("fields: [{name: a, type: string}]\n", "dir/Custom.Named.yml"), check);
    expect(r.findings).toEqual([]);
    expect(r.declared).toEqual({ name: "Custom.Named", line: 1, col: 1 });
    expect(r.logType?.name).toBe("Custom.Named");
  });

  it("turns YAML problems into findings with their position", () => {
    expect(findings("fields:\n  - name: a\n    type: string\n    type: int\n")).toEqual(["4:5 duplicate-key Map keys must be unique"]);
    expect(findings("---\nfields: [{name: a, type: string}]\n---\nfields: [{name: b, type: string}]\n")).toEqual([
      "3:1 yaml-syntax a schema file holds one YAML document; this one has several (separated by ---)",
    ]);
  });
});

describe("several documents", () => {
  it("counts lines over the whole text and skips empty documents", () => {
    const text = "---\nfields: [{name: a, type: string}]\n---\n---\nschema: Custom.B\nfields: [{name: b, type: nope}]\n---\n";
    const docs = parseSchemaDocuments(text, "<stdin>");
    expect(docs).toHaveLength(2);
    const results = docs.map((d) => validateDocument(d, check, true));
    expect(results[0]?.declared).toBeUndefined();
    expect(results[1]?.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.rule}`)).toEqual(["<stdin>:6:26 unknown-type"]);
  });

  it("marks every later definition of a log type name", () => {
    const docs = parseSchemaDocuments("schema: Custom.A\nfields: [{name: a, type: string}]\n---\nschema: Custom.A\nfields: [{name: b, type: string}]\n", "<stdin>");
    const results = docs.map((d) => validateDocument(d, check, true));
    markDuplicateNames(results);
    expect(results[0]?.findings).toEqual([]);
    expect(results[0]?.logType).toBeDefined();
    expect(results[1]?.findings.map((f) => `${f.line}:${f.col} ${f.rule} ${f.message}`)).toEqual(['4:9 duplicate-log-type log type "Custom.A" is already defined in <stdin>:1:9']);
    expect(results[1]?.logType).toBeUndefined();
  });
});

describe("positions", () => {
  it("maps timeFormats[0] to timeFormat only where the file says timeFormat", () => {
    const { source } = parseSchemaText("fields:\n  - {name: a, type: timestamp, timeFormat: x}\n  - {name: b, type: timestamp, timeFormats: [y]}\n", "p.yml");
    expect(sourcePath(source, ["fields", 0, "timeFormats", 0])).toEqual(["fields", 0, "timeFormat"]);
    expect(sourcePath(source, ["fields", 1, "timeFormats", 0])).toEqual(["fields", 1, "timeFormats", 0]);
    expect(locate(source, ["fields", 0, "timeFormats", 0])).toEqual({ line: 2, col: 44 });
  });
});
