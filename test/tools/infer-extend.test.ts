/** Extending a schema from samples (tools/infer/extend): edits in the schema's own text. */
import { describe, expect, it } from "vitest";
import { SchemaInferrer } from "../../src/tools/infer/index.js";
import { extendSchema, widened } from "../../src/tools/infer/extend.js";
import type { LogSchema } from "../../src/language/types.js";
import { parseLossless } from "../../src/engine/lossless-json.js";

function inferred(...events: string[]): LogSchema {
  const inf = new SchemaInferrer();
  for (const e of events) inf.add(e, JSON.parse(e));
  const r = inf.result({ name: "Custom.X" });
  if (!r.schema) throw new Error("nothing inferred");
  return r.schema;
}

function extend(text: string, ...events: string[]) {
  const out = extendSchema(text, "s.yml", inferred(...events), events.map((e) => parseLossless(e)));
  if (!out.ok) throw new Error(out.problems.join("\n"));
  return out;
}

const BASE = "# top comment\nschema: Custom.X\nfields:\n  - name: a   # why a\n    type: string\n    required: true\n  - name: 'b'\n    type: bigint\n";

describe("extendSchema", () => {
  it("leaves the text alone when the samples fit", () => {
    const out = extend(BASE, '{"a": "x", "b": 1}');
    expect(out.text).toBe(BASE);
    expect(out.changes).toEqual([]);
  });

  it("appends new fields after the last one, not required, keeping every other byte", () => {
    const out = extend(BASE, '{"a": "x", "b": 1, "c": "192.0.2.1", "d": {"e": true}}');
    expect(out.text).toBe(`${BASE}  - name: c\n    type: string\n    indicators: [ip]\n  - name: d\n    type: object\n    fields:\n      - name: e\n        required: true\n        type: boolean\n`);
    expect(out.changes.map((c) => c.message)).toEqual(["added c (string)", "added d (object)"]);
  });

  it("adds nested fields at the end of their own list, before the parent's new fields", () => {
    const text = "schema: Custom.X\nfields:\n  - name: o\n    type: object\n    fields:\n      - name: x\n        type: string\n";
    const out = extend(text, '{"o": {"x": "1", "w": "2"}, "z": "3"}');
    expect(out.text).toBe(`${text}      - name: w\n        type: string\n  - name: z\n    type: string\n`);
  });

  it("widens a type the samples disagree with and drops the keys the new type has no use for", () => {
    const text = "schema: Custom.X\nfields:\n  - name: t\n    type: timestamp\n    timeFormat: rfc3339 # a comment on the format\n  - name: n\n    type: bigint\n";
    const out = extend(text, '{"t": "not a time", "n": 1.5}');
    expect(out.text).toBe("schema: Custom.X\nfields:\n  - name: t\n    type: string\n  - name: n\n    type: float\n");
    expect(out.changes.every((c) => c.warning)).toBe(true);
  });

  it("adds a time format the samples use to the field's list", () => {
    const text = "schema: Custom.X\nfields:\n  - name: placed_at\n    type: timestamp\n    timeFormats:\n      - rfc3339\n";
    const out = extend(text, '{"placed_at": "2026-01-01T00:00:00Z"}', '{"placed_at": 1772359200000}');
    expect(out.text).toBe(`${text}      - unix_ms\n`);
  });

  it("keeps a timestamp whose own format reads values infer takes for text", () => {
    const text = "schema: Custom.X\nfields:\n  - name: t\n    type: timestamp\n    timeFormat: '%d.%m.%Y'\n";
    expect(extend(text, '{"t": "01.02.2026"}').text).toBe(text);
    expect(extend(text, '{"t": "01.02.2026"}', '{"t": "soon"}').text).toBe("schema: Custom.X\nfields:\n  - name: t\n    type: string\n");
  });

  it("takes required off a field some samples lack, with a warning", () => {
    const out = extend(BASE, '{"b": 1}');
    expect(out.text).toBe(BASE.replace("    required: true\n", ""));
    expect(out.changes).toEqual([expect.objectContaining({ path: "a", kind: "not-required", warning: true })]);
  });

  it("never adds isEventTime, suggesting it in a note instead", () => {
    const out = extend("schema: Custom.X\nfields:\n  - name: a\n    type: string\n", '{"a": "x", "timestamp": "2026-01-01T00:00:00Z"}');
    expect(out.text).not.toContain("isEventTime");
    expect(out.notes[0]).toContain("timestamp looks like the event time");
  });

  it("refuses an inline fields list and an invalid schema", () => {
    const inline = extendSchema("schema: Custom.X\nfields: [{name: a, type: string}]\n", "s.yml", inferred('{"b": "x"}'));
    expect(inline.ok).toBe(false);
    const invalid = extendSchema("schema: Custom.X\nfields:\n  - name: a\n    type: strin\n", "s.yml", inferred('{"b": "x"}'));
    expect(invalid.ok).toBe(false);
  });
});

describe("widened", () => {
  it("widens as infer does", () => {
    expect(widened("bigint", "float")).toBe("float");
    expect(widened("float", "bigint")).toBe("float");
    expect(widened("string", "bigint")).toBe("string");
    expect(widened("boolean", "bigint")).toBe("string");
    expect(widened("object", "string")).toBe("json");
    expect(widened("string", "object")).toBe("json");
    expect(widened("timestamp", "bigint")).toBe("timestamp");
    expect(widened("json", "object")).toBe("json");
  });
});
