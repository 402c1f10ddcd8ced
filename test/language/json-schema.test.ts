/** The JSON Schema of the language (schemas/logschema.schema.json) and how its errors read. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadJsonSchemaCheck, type JsonSchemaCheck } from "../../src/language/json-schema.js";
import { checkSchema } from "../../src/language/check.js";
import { ROOT } from "../helpers/cli.js";

let check: JsonSchemaCheck;

beforeAll(async () => {
  check = await loadJsonSchemaCheck();
});

const yaml = (text: string): unknown => parse(text, { version: "1.2" });
const short = (text: string) => check(yaml(text)).map((i) => `${i.rule} ${i.path.join(".")}: ${i.message}`);

describe("editors", () => {
  it("find the JSON Schema through the yaml-language-server modeline of the large test schemas", () => {
    const dir = join(ROOT, "testdata", "schemas", "large");
    for (const f of readdirSync(dir)) {
      const m = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(join(dir, f), "utf8"));
      expect(m, f).not.toBeNull();
      expect(resolve(dirname(join(dir, f)), m?.[1] ?? "")).toBe(join(ROOT, "schemas", "logschema.schema.json"));
      expect(existsSync(join(ROOT, "schemas", "logschema.schema.json"))).toBe(true);
    }
  });
});

describe("valid schemas pass the JSON Schema", () => {
  const dirs = ["schemas", "testdata/schemas", "testdata/schemas/large", "testdata/schemas/transform"];
  for (const dir of dirs) {
    for (const f of readdirSync(join(ROOT, dir)).filter((x) => x.endsWith(".yml"))) {
      it(`${dir}/${f} has no JSON Schema issue`, () => {
        expect(check(yaml(readFileSync(join(ROOT, dir, f), "utf8")))).toEqual([]);
      });
    }
  }

  it("accepts every parser with all of its options", () => {
    const parsers = [
      `fastmatch: {match: ['%{ip} - %{user} [%{time}] "%{request}"', '%{ip} %{rest}'], emptyValues: ['-'], expandFields: {when: '%{time}Z'}, trimSpace: true, skipPrefix: '#'}`,
      `regex: {match: ['^%{IP:ip} ', '(?P<rest>.*)$'], patternDefinitions: {MY_WORD: '\\w+', HTTP_2: '%{MY_WORD}'}, emptyValues: [''], expandFields: {a: '%{ip}'}, trimSpace: false, skipPrefix: '#'}`,
      `csv: {delimiter: ',', hasHeader: false, columns: [time, '', user], skipPrefix: '#', emptyValues: ['-', ''], trimSpace: true, expandFields: {ts: '%{time}Z'}}`,
      `csv: {delimiter: "\\t", hasHeader: true}`,
      `native: {name: AWS.CloudTrail}`,
    ];
    for (const p of parsers) expect(short(`parser:\n  ${p}\nfields: [{name: a, type: string}]`)).toEqual([]);
  });

  it("accepts every transformation in the engine's shapes, and only on fields", () => {
    expect(short(`fields:
  - {name: userId, type: string, rename: {from: PIN}, mask: {type: redact, to: '*'}}
  - {name: email, type: string, copy: {from: actor.email}}
  - {name: key, type: string, concat: {paths: [tenant, targets.0.id], separator: ':'}}
  - {name: last, type: string, split: {from: path, separator: /, index: -1}}
  - {name: parts, type: array, element: {type: string}, split: {separator: ','}}
  - {name: pin, type: string, mask: {type: hash, algorithm: sha512, salt: pepper}}`)).toEqual([]);
    expect(short(`fields: [{name: a, type: array, element: {type: string, mask: {type: redact}}}]`)).toEqual([
      'unknown-key fields.0.element.mask: unknown key "mask"',
    ]);
  });
});

describe("JSON Schema errors read like the semantic checker's", () => {
  it("names unknown keys anywhere, with a suggestion from that place's keys", () => {
    expect(short(`fields: [{name: a, type: string, split: {from: x, seperator: ','}}]`)).toEqual([
      'missing-key fields.0.split.separator: "separator" is required here',
      'unknown-key fields.0.split.seperator: unknown key "seperator" (did you mean "separator"?)',
    ]);
    expect(short(`fields: [{name: a, type: string, copy: {from: actor..email}}]`)).toEqual([
      'invalid-transformation fields.0.copy.from: from "actor..email": a path is keys joined by single dots, e.g. actor.email',
    ]);
    expect(check(yaml(`fields: [{name: a, type: string, indicator: [ip]}]`))[0]).toMatchObject({ atKey: true, path: ["fields", 0, "indicator"] });
  });

  it("reports one issue for a value that fits none of the alternatives, with a suggestion", () => {
    expect(short(`fields: [{name: t, type: timestamp, timeFormats: [rfc3339, unix_msec]}]`)).toEqual([
      'invalid-time-format fields.0.timeFormats.1: timeFormats[1] "unix_msec": a time format is rfc3339, unix, unix_ms, unix_us, unix_ns, cloudflare, a strftime format with % directives, or layout=<Go layout> (did you mean "unix_ms"?)',
    ]);
  });

  it("reports the keys a type needs at the place they are missing", () => {
    expect(short(`fields: [{name: t, type: timestamp}, {name: o, type: object}, {name: a, type: array}, {name: r, type: ref}, {name: x}]`)).toEqual([
      "missing-time-format fields.0.timeFormat: timestamp has no timeFormat (e.g. rfc3339, unix_ms, or a strftime format)",
      "missing-fields fields.1.fields: object has no fields",
      "missing-element fields.2.element: array has no element",
      "missing-target fields.3.target: ref has no target (the name of a definition)",
      "missing-type fields.4.type: field has no type",
    ]);
  });

  it("points at the second of two keys that exclude each other", () => {
    const [issue] = check(yaml(`fields: [{name: t, type: timestamp, timeFormat: unix, timeFormats: [unix]}]`));
    expect(issue).toMatchObject({ rule: "conflicting-keys", path: ["fields", 0, "timeFormats"], atKey: true });
  });

  it("reports a bad mapping key once, at the key", () => {
    expect(check(yaml(`definitions: {peer: {type: string}}\nfields: [{name: a, type: string}]`))).toEqual([
      {
        path: ["definitions", "peer"],
        rule: "invalid-name",
        message: '"peer": a definition name starts with an upper-case letter and has only letters and digits',
        severity: "error",
        atKey: true,
      },
    ]);
  });

  it("describes wrong types in words", () => {
    expect(short(`fields: {name: a}`)).toEqual(["type-mismatch fields: fields must be a list, got a mapping"]);
    expect(short(`fields: [{name: a, type: string, required: "true"}]`)).toEqual(['type-mismatch fields.0.required: required must be true or false, got "true"']);
    expect(short(`parser: {}\nfields: [{name: a, type: string}]`)).toEqual(["parser-count parser: parser must name exactly one of fastmatch, regex, csv, native"]);
  });
});

describe("the JSON Schema and the checker agree", () => {
  it("on what a log type name is: custom_lower refused by both, Custom.Lower by neither", () => {
    for (const [name, rules] of [["custom_lower", ["invalid-name"]], ["Custom.Lower", []]] as const) {
      const doc = { schema: name, fields: [{ name: "a", type: "string" }] };
      expect(checkSchema(doc, "x").issues.map((i) => i.rule), name).toEqual(rules);
      expect(check(doc).map((i) => i.rule), name).toEqual(rules);
    }
  });
});
