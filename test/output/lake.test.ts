/** --format lake: records as Panther's data lake stores rows. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import { EventProcessor } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";
import { columnName, LakeFormatter, lakeTimestamp } from "../../src/output/lake.js";

const data = join(import.meta.dirname, "..", "..", "testdata", "parquet");

function logType(value: unknown): LogType {
  const { logType, issues } = buildLogType(value, "x");
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

function lake(type: LogType, lines: string[]): unknown[] {
  const p = new EventProcessor([type], { rowIds: new RowIds(1, 0) });
  p.setClock(1772668800, "2026-03-05T00:00:00Z");
  const f = new LakeFormatter([type]);
  return lines.map((l) => {
    const r = p.process(l, JSON.parse(l));
    if (!r.ok) throw new Error(r.message);
    return f.format(r.logType, r.json);
  });
}

describe("lake format", () => {
  it("writes every timestamp in UTC with nine fraction digits, nested and in arrays too", () => {
    const kinds = logType(parseYaml(readFileSync(join(data, "Custom.Kinds.yml"), "utf8")));
    const [first] = lake(kinds, [readFileSync(join(data, "kinds.ndjson"), "utf8").split("\n")[0] as string]);
    // Integers beyond 2^53 stay exact, in bigint and json fields alike.
    expect(first).toBe(
      '{"name":"ana","count":7,"small":-3,"big":9007199254740993,"ratio":0.25,"ok":true,"at":"2026-03-01 10:00:00.123456789",' +
        '"extra":{"n":12345678901234567890,"s":"x","list":[1,2]},"client":{"ip":"192.0.2.1","seen":"2026-03-01 10:00:00.500000000","port":443},' +
        '"tags":["a","b"],"hops":[{"host":"a.example.com","ms":1.5},{"host":"b.example.com"}],"times":["2026-03-01 10:00:01.000000000"],' +
        '"p_log_type":"Custom.Kinds","p_row_id":"383ffffacee70101","p_event_time":"2026-03-01 10:00:00.123456789","p_parse_time":"2026-03-05 00:00:00.000000000",' +
        '"p_any_ip_addresses":["192.0.2.1"],"p_any_domain_names":["a.example.com","b.example.com"],"p_any_usernames":["ana"]}',
    );
  });

  it("renames field names to data-lake column names, leaving json values alone", () => {
    const t = logType({
      schema: "Custom.Names",
      fields: [
        { name: "@timestamp", type: "string" },
        { name: "user.name", type: "string" },
        { name: "café", type: "object", fields: [{ name: "a,b", type: "string" }] },
        { name: "raw", type: "json" },
      ],
    });
    const [row] = lake(t, ['{"@timestamp":"x","user.name":"u","café":{"a,b":"c"},"raw":{"k.e@y":1}}']) as [string];
    expect(Object.keys(JSON.parse(row) as object).slice(0, 4)).toEqual(["at_sign_timestamp", "user_name", "cafe", "raw"]);
    expect(JSON.parse(row)).toMatchObject({ cafe: { a_comma_b: "c" }, raw: { "k.e@y": 1 } });
  });

  it("spells column names the way Panther's lake does", () => {
    expect(["@foo", "foo,bar", "`foo`", "foo.bar", ".foo", "foo-bar", "$foo", "foo\\bar", "<foo>bar", "weird name/é", "Μύκονοοοος"].map(columnName)).toEqual([
      "at_sign_foo",
      "foo_comma_bar",
      "backtick_foo_backtick",
      "foo_bar",
      "_foo",
      "foo-bar",
      "dollar_sign_foo",
      "foo_backslash_bar",
      "_foo_bar",
      "weird_name_slash_e",
      "Mykonoooos",
    ]);
  });

  it("pads and keeps fractions exactly", () => {
    expect([lakeTimestamp("2026-01-01T00:00:00Z"), lakeTimestamp("2026-01-01T00:00:01.648Z"), lakeTimestamp("0001-12-31T23:59:59.000000001Z")]).toEqual([
      "2026-01-01 00:00:00.000000000",
      "2026-01-01 00:00:01.648000000",
      "0001-12-31 23:59:59.000000001",
    ]);
  });
});
