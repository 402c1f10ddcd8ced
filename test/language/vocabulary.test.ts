/**
 * The language's vocabulary (src/language/vocabulary/) is the one home of every name: the
 * editor JSON Schema is generated from it, the checker reads its rules, and the engine has an
 * implementation under each name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDICATORS } from "../../src/engine/indicators/index.js";
import { compileTextParser } from "../../src/engine/parsers/index.js";
import { compileTimeFormat, TimeFormatError } from "../../src/engine/time/index.js";
import { checkSchema } from "../../src/language/check.js";
import { loadJsonSchemaCheck } from "../../src/language/json-schema.js";
import type { ParserSpec } from "../../src/language/types.js";
import { FIELD_TYPE_VOCABULARY, FIELD_TYPES, type FieldType } from "../../src/language/vocabulary/field-types.js";
import { INDICATOR_NAMES } from "../../src/language/vocabulary/indicator-kinds.js";
import { KEYWORDS, TYPE_BOUND_KEYS, type KeywordName } from "../../src/language/vocabulary/keywords.js";
import { PARSER_NAMES, PARSER_VOCABULARY } from "../../src/language/vocabulary/parsers.js";
import { TIME_FORMAT_NAMES } from "../../src/language/vocabulary/time-formats.js";
import { formatJsonSchema, JSON_SCHEMA_FILE, languageJsonSchema } from "../../src/language/vocabulary/to-json-schema.js";
import { asValue, logType, processor } from "../helpers/engine.js";
import { ROOT } from "../helpers/cli.js";

describe("the editor JSON Schema", () => {
  it("is checked in as the vocabulary generates it", () => {
    const file = join(ROOT, "schemas", JSON_SCHEMA_FILE);
    const same = readFileSync(file, "utf8") === formatJsonSchema(languageJsonSchema());
    expect(same, `schemas/${JSON_SCHEMA_FILE} differs from what src/language/vocabulary/ generates: run \`npm run build\` to regenerate it, and commit it`).toBe(true);
  });
});

/** A field of this type with the keys it needs. */
function fieldOf(type: FieldType): Record<string, unknown> {
  const field: Record<string, unknown> = { name: "v", type };
  if (type === "object") field.fields = [{ name: "a", type: "string" }];
  if (type === "array") field.element = { type: "string" };
  if (type === "ref") field.target = "Peer";
  if (type === "timestamp") field.timeFormat = "rfc3339";
  return field;
}

const VALUES: Record<FieldType, [unknown, unknown]> = {
  string: ["x", "x"],
  int: ["12", 12],
  smallint: [-3, -3],
  bigint: ["9007199254740993", 9007199254740993n],
  float: [1.5, 1.5],
  boolean: ["true", true],
  timestamp: ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"],
  array: [["a"], ["a"]],
  object: [{ a: "b" }, { a: "b" }],
  json: [{ any: [1] }, { any: [1] }],
  ref: ["p", "p"],
};

describe("every name of the vocabulary has its implementation in the engine", () => {
  it("reads a value of every field type", () => {
    for (const type of FIELD_TYPES) {
      const t = logType(JSON.stringify({ fields: [fieldOf(type)], definitions: { Peer: { type: "string" } } }));
      const [input, expected] = VALUES[type];
      const out = asValue(processor([t]).process(JSON.stringify({ v: input }), { v: input }));
      // bigint values beyond 2^53 come back from JSON.parse as rounded numbers; compare the text.
      if (typeof expected === "bigint") expect(processor([t]).process(JSON.stringify({ v: input }), { v: input })).toMatchObject({ json: expect.stringContaining(`"v":${expected}`) });
      else expect(out.v, type).toEqual(expected);
    }
  });

  it("compiles every named time format", () => {
    for (const name of TIME_FORMAT_NAMES) expect(compileTimeFormat(name), name).not.toBeInstanceOf(TimeFormatError);
  });

  it("has a scanner under every indicator name, named alike", () => {
    expect([...INDICATORS.keys()]).toEqual(INDICATOR_NAMES);
    for (const [name, scanner] of INDICATORS) expect(scanner.name).toBe(name);
  });

  it("compiles every text parser, and reads a native parser as JSON", () => {
    const specs: Record<string, ParserSpec> = {
      fastmatch: { fastmatch: { match: ["%{a} %{b}"] } },
      regex: { regex: { match: ["^(?P<a>\\w+) (?P<b>\\w+)$"] } },
      csv: { csv: { delimiter: " ", columns: ["a", "b"] } },
      native: { native: { name: "AWS.CloudTrail" } },
    };
    expect(Object.keys(specs)).toEqual(PARSER_NAMES);
    for (const name of PARSER_NAMES) {
      const compiled = compileTextParser(specs[name]);
      if (!PARSER_VOCABULARY[name].text) {
        expect(compiled, name).toBeUndefined();
        continue;
      }
      if (compiled === undefined || Array.isArray(compiled)) throw new Error(`${name} did not compile: ${JSON.stringify(compiled)}`);
      expect(compiled.kind).toBe(name);
      expect(compiled.open().parse("x y"), name).toEqual({ a: "x", b: "y" });
    }
  });
});

describe("the checker and the JSON Schema apply the vocabulary's rules alike", () => {
  /** A value for a key that is valid wherever the key applies. */
  const sample: Partial<Record<KeywordName, unknown>> = {
    fields: [{ name: "a", type: "string" }],
    element: { type: "string" },
    target: "Peer",
    indicators: ["ip"],
    validate: { allow: ["a"] },
    timeFormat: "rfc3339",
    timeFormats: ["unix"],
    isEventTime: true,
    isEmbeddedJSON: true,
  };

  it("accept a type-bound key exactly on the types it applies to", async () => {
    const jsonSchema = await loadJsonSchemaCheck();
    for (const [key, types] of TYPE_BOUND_KEYS) {
      for (const type of FIELD_TYPES) {
        const field = { ...fieldOf(type), [key]: sample[key] };
        // The one-element and the list form of time formats exclude each other.
        if (key === "timeFormats") delete field.timeFormat;
        const doc = { fields: [field], definitions: { Peer: { type: "string" } } };
        const { issues } = checkSchema(doc, "Custom.T");
        const errors = issues.filter((i) => i.severity === "error").map((i) => `${i.rule} ${i.path.join(".")}`);
        if (key === "indicators" && type === "array") {
          // On an array of strings they apply to each string (Panther's managed schemas do this): a warning.
          expect(issues.map((i) => `${i.severity} ${i.rule}`)).toEqual(["warning indicators-on-array"]);
        } else if (types.includes(type)) {
          expect(errors, `${key} on ${type}`).toEqual([]);
          expect(jsonSchema(doc), `${key} on ${type} (JSON Schema)`).toEqual([]);
        } else {
          expect(errors.some((e) => e.endsWith(`fields.0.${key}`)), `${key} on ${type}: ${errors.join("; ")}`).toBe(true);
        }
      }
    }
  });

  it("name the same rule and message when a type lacks the key it needs", async () => {
    const jsonSchema = await loadJsonSchemaCheck();
    for (const [type, entry] of Object.entries(FIELD_TYPE_VOCABULARY)) {
      if (!("needs" in entry)) continue;
      const doc = { fields: [{ name: "v", type }] };
      const expected = { rule: entry.needs.rule, message: entry.needs.message, path: ["fields", 0, entry.needs.key] };
      expect(checkSchema(doc, "Custom.T").issues, type).toContainEqual(expect.objectContaining(expected));
      expect(jsonSchema(doc), type).toContainEqual(expect.objectContaining(expected));
    }
  });

  it("know the same keys: each one the vocabulary lists is accepted by both on a field", async () => {
    const jsonSchema = await loadJsonSchemaCheck();
    for (const key of Object.keys(KEYWORDS)) {
      const unknown = (issues: Array<{ rule: string }>) => issues.filter((i) => i.rule === "unknown-key");
      const doc = { fields: [{ name: "v", type: "string", [key]: "x" }] };
      expect(unknown(checkSchema(doc, "Custom.T").issues), key).toEqual([]);
      expect(unknown(jsonSchema(doc)), key).toEqual([]);
    }
  });
});
