/** Breaking changes between two schema versions (tools/diff), in process on YAML texts. */
import { describe, expect, it } from "vitest";
import { parseSchemaText } from "../../src/language/yaml-source.js";
import { loadJsonSchemaCheck } from "../../src/language/json-schema.js";
import { diffSchemas, type SchemaVersion } from "../../src/tools/diff/compare.js";
import { diffSchemaSets } from "../../src/tools/diff/versions.js";
import { validateDocument } from "../../src/tools/validate.js";

const jsonSchema = await loadJsonSchemaCheck();

function version(text: string, file: string): SchemaVersion {
  const result = validateDocument(parseSchemaText(text, file), jsonSchema);
  if (!result.logType || !result.source) throw new Error(`invalid test schema: ${JSON.stringify(result.findings)}`);
  return { schema: result.logType.schema, source: result.source, label: file };
}

function diff(oldFields: string, newFields: string, extra = ""): Array<{ rule: string; line: number; message: string; severity: string }> {
  const old = version(`schema: Custom.T\n${extra}fields:\n${oldFields}`, "old.yml");
  const next = version(`schema: Custom.T\n${extra}fields:\n${newFields}`, "new.yml");
  return diffSchemas(old, next).map((f) => ({ rule: f.rule, line: f.line, message: f.message, severity: f.severity }));
}

describe("diffSchemas", () => {
  it("finds nothing between a schema and itself", () => {
    const fields = "  - name: a\n    type: string\n  - name: b\n    type: object\n    fields:\n      - name: c\n        type: bigint\n";
    expect(diff(fields, fields)).toEqual([]);
  });

  it("reports a deleted field at the list it left, naming where it was", () => {
    const found = diff("  - name: a\n    type: string\n  - name: gone\n    type: bigint\n", "  - name: a\n    type: string\n");
    expect(found).toEqual([expect.objectContaining({ rule: "breaking-change/field-deleted", line: 2, severity: "error" })]);
    expect(found[0]?.message).toContain('field "gone" was deleted (was at old.yml:5:5)');
  });

  it("reads a field of the same type with a close name as a rename, not a deletion", () => {
    const found = diff("  - name: user_name\n    type: string\n", "  - name: username\n    type: string\n");
    expect(found).toEqual([expect.objectContaining({ rule: "breaking-change/field-renamed", line: 3 })]);
  });

  it("reads an unrelated new field of the same type as an addition next to a deletion", () => {
    const found = diff("  - name: a\n    type: string\n  - name: session\n    type: string\n", "  - name: a\n    type: string\n  - name: b\n    type: bigint\n  - name: region\n    type: string\n");
    expect(found.map((f) => f.rule).sort()).toEqual(["breaking-change/field-deleted", "schema-change/field-added", "schema-change/field-added"]);
  });

  it("takes a rename transformation as the field's old name", () => {
    const found = diff("  - name: src\n    type: string\n", "  - name: source_address\n    type: string\n    rename:\n      from: src\n");
    expect(found.map((f) => f.rule)).toEqual(["breaking-change/field-renamed"]);
  });

  it("reports a changed type inside a nested object at the new type", () => {
    const found = diff("  - name: o\n    type: object\n    fields:\n      - name: port\n        type: bigint\n", "  - name: o\n    type: object\n    fields:\n      - name: port\n        type: string\n");
    expect(found).toEqual([expect.objectContaining({ rule: "breaking-change/type-changed", line: 7 })]);
    expect(found[0]?.message).toContain('type of "o.port" changed from bigint to string');
  });

  it("reports a changed array element type, and changes inside elements that are objects", () => {
    const elem = (t: string, u: string): string => `  - name: list\n    type: array\n    element:\n      type: ${t}\n  - name: objs\n    type: array\n    element:\n      type: object\n      fields:\n        - name: x\n          type: ${u}\n`;
    const found = diff(elem("string", "int"), elem("bigint", "float"));
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining('element type of "list" changed from string to bigint'),
      expect.stringContaining('type of "objs[].x" changed from int to float'),
    ]);
  });

  it("resolves refs, so moving a type into a definition changes nothing but a change inside it is found", () => {
    const def = (t: string): string => `definitions:\n  Thing:\n    type: object\n    fields:\n      - name: id\n        type: ${t}\n`;
    const inline = version("schema: Custom.T\nfields:\n  - name: a\n    type: object\n    fields:\n      - name: id\n        type: string\n", "old.yml");
    const viaRef = (t: string): SchemaVersion => version(`schema: Custom.T\nfields:\n  - name: a\n    type: ref\n    target: Thing\n${def(t)}`, "new.yml");
    expect(diffSchemas(inline, viaRef("string"))).toEqual([]);
    const found = diffSchemas(inline, viaRef("bigint"));
    expect(found.map((f) => [f.rule, f.line, f.path])).toEqual([["breaking-change/type-changed", 11, "definitions.Thing.fields[0].type"]]);
  });

  it("makes a field turned required and a moved event time errors", () => {
    const found = diff(
      "  - name: t\n    type: timestamp\n    timeFormat: rfc3339\n    isEventTime: true\n  - name: u\n    type: timestamp\n    timeFormat: rfc3339\n  - name: s\n    type: string\n",
      "  - name: t\n    type: timestamp\n    timeFormat: rfc3339\n  - name: u\n    type: timestamp\n    timeFormat: rfc3339\n    isEventTime: true\n  - name: s\n    type: string\n    required: true\n",
    );
    expect(found.map((f) => f.rule)).toEqual(["breaking-change/event-time-changed", "breaking-change/event-time-changed", "breaking-change/now-required"]);
  });

  it("lists descriptions, indicators and time formats as notes", () => {
    const found = diff(
      "  - name: ip\n    type: string\n    indicators: [ip]\n  - name: t\n    type: timestamp\n    timeFormat: rfc3339\n",
      "  - name: ip\n    type: string\n    description: the client\n    indicators: [ip, domain]\n  - name: t\n    type: timestamp\n    timeFormats: [rfc3339, unix]\n",
    );
    expect(found.every((f) => f.severity === "note")).toBe(true);
    expect(found.map((f) => f.rule)).toEqual(["schema-change/description", "schema-change/indicators", "schema-change/time-formats"]);
  });
});

describe("diffSchemaSets", () => {
  it("pairs versions by log type name and reports log types deleted and added", () => {
    const a = version("schema: Custom.A\nfields:\n  - name: x\n    type: string\n", "a.yml");
    const b = version("schema: Custom.B\nfields:\n  - name: x\n    type: string\n", "b.yml");
    const c = version("schema: Custom.C\nfields:\n  - name: x\n    type: string\n", "c.yml");
    const found = diffSchemaSets([a, b], [a, c]);
    expect(found.map((f) => [f.rule, f.file])).toEqual([
      ["schema-change/log-type-added", "c.yml"],
      ["breaking-change/log-type-deleted", "b.yml"],
    ]);
  });

  it("compares one file with one file whatever their names, reporting the log type's rename", () => {
    const a = version("schema: Custom.A\nfields:\n  - name: x\n    type: string\n", "a.yml");
    const b = version("schema: Custom.B\nfields:\n  - name: x\n    type: string\n", "b.yml");
    expect(diffSchemaSets([a], [b]).map((f) => f.rule)).toEqual(["breaking-change/log-type-renamed"]);
  });
});

describe("the library's diffSchemaTexts", () => {
  it("compares two schema texts, and reports an invalid one by its own findings", async () => {
    const { diffSchemaTexts } = await import("../../src/index.js");
    const old = { text: "schema: Custom.A\nfields:\n  - name: x\n    type: string\n", file: "old.yml" };
    const found = await diffSchemaTexts(old, { text: "schema: Custom.A\nfields:\n  - name: x\n    type: bigint\n", file: "new.yml" });
    expect(found.map((f) => [f.file, f.line, f.rule])).toEqual([["new.yml", 4, "breaking-change/type-changed"]]);
    const invalid = await diffSchemaTexts(old, { text: "schema: Custom.A\nfields:\n  - name: x\n    type: strin\n", file: "new.yml" });
    expect(invalid.map((f) => f.rule)).toEqual(["unknown-type"]);
  });
});
