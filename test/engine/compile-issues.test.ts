/** Problems the parse compiler finds in a checked schema (refs, time formats, indicators, nesting). */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileSchema } from "../../src/engine/compile.js";
import { EventProcessor } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";
import { buildLogType } from "../../src/engine/logtype.js";
import { checkSchema } from "../../src/language/check.js";
import type { LogSchema } from "../../src/language/types.js";

function checked(text: string): LogSchema {
  const { schema, issues } = checkSchema(parse(text, { version: "1.2" }), "Custom.T");
  expect(issues).toEqual([]);
  return schema as LogSchema;
}

const problems = (text: string) => {
  const r = compileSchema(checked(text));
  return Array.isArray(r) ? r.map((i) => `${i.rule} ${i.path.join(".")}: ${i.message}`) : [];
};

describe("refs", () => {
  it("finds a definition that contains itself through its fields, and a chain of refs back to the start", () => {
    expect(problems(`fields: [{name: n, type: ref, target: Node}]
definitions:
  Node: {type: object, fields: [{name: kids, type: array, element: {type: ref, target: Node}}]}`)).toEqual([
      "cyclic-ref definitions.Node.fields.0.element.target: cyclic reference: Node → Node",
    ]);
    expect(problems(`fields: [{name: a, type: ref, target: A}]
definitions: {A: {type: ref, target: B}, B: {type: ref, target: A}}`)).toEqual(["cyclic-ref definitions.B.target: cyclic reference: A → B → A"]);
  });

  it("names an unknown target with a suggestion", () => {
    expect(problems(`fields: [{name: p, type: ref, target: Peeer}]\ndefinitions: {Peer: {type: string}}`)).toEqual([
      'unresolved-ref fields.0.target: ref target "Peeer" is not in definitions (did you mean "Peer"?)',
    ]);
  });

  it("reports a problem inside a definition once, at the definition, however often it is used, and also when unused", () => {
    expect(problems(`fields:
  - {name: a, type: ref, target: When}
  - {name: b, type: array, element: {type: ref, target: When}}
definitions:
  When: {type: timestamp, timeFormat: "%Y %Q"}
  Unused: {type: string, indicators: [ipp]}`)).toEqual([
      'invalid-time-format definitions.When.timeFormats.0: unknown strftime directive %Q in time format "%Y %Q"',
      'unknown-indicator definitions.Unused.indicators.0: unknown indicator "ipp" (did you mean "ip"?)',
    ]);
  });
});

describe("suggestions", () => {
  it("suggests the built-in time format a misspelt one was meant to be", () => {
    expect(problems(`fields: [{name: t, type: timestamp, timeFormat: unix_mss}]`)).toEqual([
      'invalid-time-format fields.0.timeFormats.0: time format "unix_mss" is not rfc3339, unix, unix_ms, unix_us, unix_ns, cloudflare or layout=…, and has no strftime directive such as %Y or %H (did you mean "unix_ms"?)',
    ]);
  });
});

describe("definitions used several times", () => {
  it("normalize every use the same way", () => {
    const { logType } = buildLogType(
      parse(`schema: Custom.Reuse
fields:
  - {name: src, type: ref, target: Host}
  - {name: dst, type: ref, target: Host}
  - {name: hops, type: array, element: {type: ref, target: Host}}
definitions:
  Host: {type: object, fields: [{name: ip, type: string, indicators: [ip]}, {name: port, type: int, required: true}]}`),
      "x",
    );
    if (!logType) throw new Error("schema did not build");
    const p = new EventProcessor([logType], { rowIds: new RowIds(1, 0) });
    p.setClock(0, "1970-01-01T00:00:00Z");
    const ok = p.process("", { src: { ip: "192.0.2.1", port: "80" }, dst: { ip: "192.0.2.2", port: 443 }, hops: [{ ip: "192.0.2.3", port: 1 }] });
    expect(ok.ok && JSON.parse(ok.json)).toMatchObject({
      src: { ip: "192.0.2.1", port: 80 },
      dst: { ip: "192.0.2.2", port: 443 },
      hops: [{ ip: "192.0.2.3", port: 1 }],
      p_any_ip_addresses: ["192.0.2.1", "192.0.2.2", "192.0.2.3"],
    });
    const bad = p.process("", { src: { ip: "192.0.2.1", port: 80 }, hops: [{ ip: "192.0.2.3" }] });
    expect(bad).toMatchObject({ ok: false, path: "hops[0].port", message: "required field is missing" });
  });
});

describe("a schema with structural errors", () => {
  const rules = (text: string) => buildLogType(parse(text, { version: "1.2" }), "Custom.T").issues.map((i) => `${i.rule} ${i.path.join(".")}`);

  it("also gets the compiler's findings about the parts that could be read", () => {
    expect(rules(`fields:
  - {name: a, type: string, descripton: typo}
  - {name: t, type: timestamp, timeFormats: ["%Q"]}
  - {name: ip, type: string, indicators: [ip, colour]}`)).toEqual(["unknown-key fields.0.descripton", "invalid-time-format fields.1.timeFormats.0", "unknown-indicator fields.2.indicators.1"]);
  });

  it("places the compiler's findings at their own field and item, after ones left out", () => {
    expect(rules(`fields:
  - {name: a, type: strng}
  - {name: b, type: string}
  - {name: ts, type: timestamp, timeFormats: [42, "%Y %Q"]}`)).toEqual(["unknown-type fields.0.type", "type-mismatch fields.2.timeFormats.0", "invalid-time-format fields.2.timeFormats.1"]);
  });

  it("gets no finding that only follows from a part left out", () => {
    expect(rules(`fields: [{name: b, type: ref, target: Broken}]
definitions:
  Broken: {type: strnig}`)).toEqual(["unknown-type definitions.Broken.type"]);
  });
});
