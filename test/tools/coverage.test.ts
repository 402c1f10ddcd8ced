/** Schema test coverage (tools/coverage) from a schema, test inputs and records. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildLogType } from "../../src/engine/logtype.js";
import { parseSchemaText } from "../../src/language/yaml-source.js";
import { schemaCoverage } from "../../src/tools/coverage.js";

function logType(text: string) {
  const built = buildLogType(parseSchemaText(text, "s.yml").source.value, "s");
  if (!built.logType) throw new Error(JSON.stringify(built.issues));
  return built.logType;
}

const SHOP = logType(readFileSync("testdata/toolkit/shop.yml", "utf8"));
const NOW = { nowSec: 1_790_000_000 };

describe("schemaCoverage", () => {
  it("lists fields no record has, indicators never extracted and formats never matched", () => {
    const cov = schemaCoverage(
      SHOP.schema,
      [
        {
          input: '{"placed_at": "2026-03-01T10:00:00Z", "order_id": "o-1", "customer": {"email": "ana@example.com", "ip": "not an ip"}}',
          records: [{ placed_at: "2026-03-01T10:00:00Z", order_id: "o-1", customer: { email: "ana@example.com", ip: "not an ip" }, p_event_time: "2026-03-01T10:00:00Z", p_any_emails: ["ana@example.com"] }],
        },
      ],
      undefined,
      NOW,
    );
    expect(cov.missing).toEqual({
      fields: ["amount", "coupon", "shipping_host", "card"],
      indicators: [{ field: "customer.ip", kind: "ip" }, { field: "shipping_host", kind: "hostname" }],
      timeFormats: [{ field: "placed_at", format: "unix_ms" }, { field: "placed_at", format: "%d/%m/%Y %H:%M" }],
      transformations: [{ field: "shipping_host", kind: "copy" }, { field: "card", kind: "mask" }],
      eventTime: [],
    });
    // 9 fields, 3 indicator kinds, 3 formats, 2 transformations, 1 event time = 18; 8 covered.
    expect([cov.covered, cov.total, cov.percent]).toEqual([8, 18, 44.4]);
  });

  it("counts a time format as matched only when it is the first, in order, that reads a value", () => {
    const t = logType("schema: Custom.T\nfields:\n  - name: at\n    type: timestamp\n    timeFormats: [unix, unix_ms]\n");
    const cov = schemaCoverage(t.schema, [{ input: ['{"at": 1772359200}', '{"at": 1772359201}'].join("\n"), records: [{ at: "x" }, { at: "y" }] }], undefined, NOW);
    // unix_ms could read both values too, but unix comes first and reads them.
    expect(cov.missing.timeFormats.map((f) => f.format)).toEqual(["unix_ms"]);
    const both = schemaCoverage(t.schema, [{ input: ['{"at": 1772359200}', '{"at": 1772359200000}'].join("\n"), records: [] }], undefined, NOW);
    expect(both.missing.timeFormats).toEqual([]);
  });

  it("reads renamed fields' values from their source key and nested array elements' fields", () => {
    const t = logType(
      "schema: Custom.T\nfields:\n  - name: at\n    type: timestamp\n    timeFormats: [rfc3339, unix]\n    rename:\n      from: ts\n  - name: items\n    type: array\n    element:\n      type: object\n      fields:\n        - name: sku\n          type: string\n        - name: ip\n          type: string\n          indicators: [ip]\n",
    );
    const cov = schemaCoverage(
      t.schema,
      [{ input: '{"ts": 1700000000, "items": [{"sku": "a"}, {"ip": "192.0.2.1"}]}', records: [{ at: "2023-11-14T22:13:20Z", items: [{ sku: "a" }, { ip: "192.0.2.1" }], p_any_ip_addresses: ["192.0.2.1"] }] }],
      undefined,
      NOW,
    );
    expect(cov.missing).toEqual({ fields: [], indicators: [], timeFormats: [{ field: "at", format: "rfc3339" }], transformations: [], eventTime: [] });
  });

  it("counts isEventTime as exercised only when p_event_time took the field's value", () => {
    const t = logType("schema: Custom.T\nfields:\n  - name: a\n    type: timestamp\n    timeFormat: rfc3339\n    isEventTime: true\n");
    const without = schemaCoverage(t.schema, [{ input: '{}', records: [{ p_event_time: "2026-01-01T00:00:00Z" }] }], undefined, NOW);
    expect(without.missing.eventTime).toEqual(["a"]);
    const withIt = schemaCoverage(t.schema, [{ input: '{"a": "2026-01-01T00:00:00Z"}', records: [{ a: "2026-01-01T00:00:00Z", p_event_time: "2026-01-01T00:00:00Z" }] }], undefined, NOW);
    expect(withIt.percent).toBe(100);
  });

  it("reads a text schema's inputs through its parser", () => {
    const t = logType(
      "schema: Custom.Line\nparser:\n  fastmatch:\n    match: ['%{at} %{msg}']\nfields:\n  - name: at\n    type: timestamp\n    timeFormats: [unix, rfc3339]\n  - name: msg\n    type: string\n",
    );
    const cov = schemaCoverage(t.schema, [{ input: '2026-01-01T00:00:00Z hello', records: [{ at: "2026-01-01T00:00:00Z", msg: "hello" }] }], t.text, NOW);
    expect(cov.missing.timeFormats).toEqual([{ field: "at", format: "unix" }]);
  });
});
