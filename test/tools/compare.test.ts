/** How hexlog test judges a record against an expectation (pantherlog's rules, engine/compare.ts). */
import { describe, expect, it } from "vitest";
import { expectationOf, numberKey, RecordComparer, type Difference } from "../../src/tools/schema-tests/compare.js";
import { parseLossless, type LosslessValue } from "../../src/engine/lossless-json.js";
import { checkSchema } from "../../src/language/check.js";

const SCHEMA = {
  schema: "Custom.Compare",
  fields: [
    { name: "when", type: "timestamp", timeFormat: "%d/%b/%Y:%H:%M:%S %z", isEventTime: true },
    { name: "ms", type: "timestamp", timeFormat: "unix_ms" },
    { name: "either", type: "timestamp", timeFormats: ["unix", "rfc3339"] },
    { name: "n", type: "float" },
    { name: "tags", type: "array", element: { type: "string" } },
    { name: "hops", type: "array", element: { type: "object", fields: [{ name: "at", type: "ref", target: "Stamp" }, { name: "host", type: "string" }] } },
    { name: "times", type: "array", element: { type: "timestamp", timeFormat: "unix_ms" } },
    { name: "nested", type: "object", fields: [{ name: "at", type: "timestamp", timeFormat: "rfc3339" }] },
    { name: "raw", type: "json" },
  ],
  definitions: { Stamp: { type: "timestamp", timeFormat: "rfc3339" } },
};

const PARSE_TIME = "2026-01-01T00:00:00Z";
const CTX = { nowSec: Date.UTC(2026, 0, 1) / 1000 };

function comparer(): RecordComparer {
  const { schema, issues } = checkSchema(SCHEMA, "x");
  if (!schema) throw new Error(JSON.stringify(issues));
  return new RecordComparer(schema);
}

/** An actual record as hexlog writes it: the fields, then the p_ fields. */
function actual(fields: Record<string, unknown>, eventTime = PARSE_TIME): LosslessValue {
  return parseLossless(
    JSON.stringify({ ...fields, p_log_type: "Custom.Compare", p_row_id: "ab12", p_event_time: eventTime, p_parse_time: PARSE_TIME }),
  );
}

function diff(expected: string, act: LosslessValue): Difference[] {
  return comparer().compare(parseLossless(expected), act, CTX);
}

function paths(d: Difference[]): string[] {
  return d.map((x) => x.path);
}

describe("ignored and special p_ fields", () => {
  it("ignores p_row_id and p_parse_time whatever the expectation says", () => {
    const d = diff('{"n":1,"p_log_type":"Custom.Compare","p_row_id":"other","p_parse_time":"2000-01-01T00:00:00Z"}', actual({ n: 1 }));
    expect(d).toEqual([]);
  });

  it("requires p_log_type like any other field", () => {
    expect(paths(diff('{"n":1}', actual({ n: 1 })))).toEqual(["p_log_type"]);
  });

  it("takes a missing expected p_event_time to mean it equals p_parse_time", () => {
    expect(diff('{"p_log_type":"Custom.Compare"}', actual({}))).toEqual([]);
    const d = diff('{"p_log_type":"Custom.Compare","when":"01/Jan/2025:00:00:00 +0000"}', actual({ when: "2025-01-01T00:00:00Z" }, "2025-01-01T00:00:00Z"));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ path: "p_event_time", expected: undefined, actual: "2025-01-01T00:00:00Z" });
    expect(d[0]?.note).toContain("must equal p_parse_time");
  });

  it("compares p_event_time as an instant, whatever its offset or fraction digits", () => {
    const rec = actual({ when: "2025-01-01T10:00:00.5Z" }, "2025-01-01T10:00:00.5Z");
    expect(diff('{"p_log_type":"Custom.Compare","when":"2025-01-01T10:00:00.5Z","p_event_time":"2025-01-01T12:00:00.500000+02:00"}', rec)).toEqual([]);
    expect(paths(diff('{"p_log_type":"Custom.Compare","when":"2025-01-01T10:00:00.5Z","p_event_time":"2025-01-01T10:00:00.501Z"}', rec))).toEqual(["p_event_time"]);
  });
});

describe("timestamps compare as instants", () => {
  const head = '"p_log_type":"Custom.Compare","p_event_time":"2000-10-10T20:55:36Z"';
  const rec = actual({ when: "2000-10-10T20:55:36Z" }, "2000-10-10T20:55:36Z");

  it("reads an expected value written in the field's own strftime format", () => {
    expect(diff(`{${head},"when":"10/Oct/2000:13:55:36 -0700"}`, rec)).toEqual([]);
    expect(paths(diff(`{${head},"when":"10/Oct/2000:13:55:37 -0700"}`, rec))).toEqual(["when"]);
  });

  it("reads an expected value written in RFC 3339, with any offset", () => {
    expect(diff(`{${head},"when":"2000-10-10T22:55:36+02:00"}`, rec)).toEqual([]);
  });

  it("reads unix_ms expectations as numbers or RFC 3339", () => {
    const r = actual({ ms: "2020-09-13T12:26:40.123Z" });
    expect(diff('{"p_log_type":"Custom.Compare","ms":1600000000123}', r)).toEqual([]);
    expect(diff('{"p_log_type":"Custom.Compare","ms":"1600000000123"}', r)).toEqual([]);
    expect(diff('{"p_log_type":"Custom.Compare","ms":"2020-09-13T12:26:40.123Z"}', r)).toEqual([]);
    expect(paths(diff('{"p_log_type":"Custom.Compare","ms":1600000000124}', r))).toEqual(["ms"]);
  });

  it("tries every format of the field, then RFC 3339", () => {
    const r = actual({ either: "2020-09-13T12:26:40.5Z" });
    expect(diff('{"p_log_type":"Custom.Compare","either":1600000000.5}', r)).toEqual([]);
    expect(diff('{"p_log_type":"Custom.Compare","either":"2020-09-13 12:26:40.500"}', r)).toEqual([]);
  });

  it("says so when an expected timestamp is in none of the formats", () => {
    const d = diff(`{${head},"when":"yesterday"}`, rec);
    expect(d[0]?.path).toBe("when");
    expect(d[0]?.note).toBe("the expected value is not a time in %d/%b/%Y:%H:%M:%S %z or RFC 3339");
  });

  it("finds timestamps in nested objects, in objects inside arrays (through refs) and in arrays of timestamps", () => {
    const r = actual({
      nested: { at: "2024-01-01T00:00:00Z" },
      hops: [{ at: "2024-01-01T00:00:01Z", host: "a" }, { host: "b" }],
      times: ["2020-09-13T12:26:40.123Z", "2020-09-13T12:26:40.124Z"],
    });
    const ok = '{"p_log_type":"Custom.Compare","nested":{"at":"2024-01-01T01:00:00+01:00"},"hops":[{"at":"2024-01-01T00:00:01.000Z","host":"a"},{"host":"b"}],"times":[1600000000123,1600000000124]}';
    expect(diff(ok, r)).toEqual([]);
    const bad = ok.replace("00:00:01.000Z", "00:00:02Z").replace("1600000000124", "1600000000125");
    expect(paths(diff(bad, r))).toEqual(["hops[0].at", "times"]);
  });

  it("compares a cloudflare field at whole seconds when the expectation has no fraction, as Panther prints it", () => {
    const { schema } = checkSchema({ schema: "Custom.CF", fields: [{ name: "EdgeStartTimestamp", type: "timestamp", timeFormat: "cloudflare" }, { name: "other", type: "timestamp", timeFormat: "rfc3339" }] }, "x");
    const cf = new RecordComparer(schema as NonNullable<typeof schema>);
    const r = parseLossless(JSON.stringify({ EdgeStartTimestamp: "2020-09-17T18:49:46.194526741Z", other: "2020-09-17T18:49:46.5Z", p_log_type: "Custom.CF", p_event_time: PARSE_TIME, p_parse_time: PARSE_TIME }));
    const d = (exp: string) => paths(cf.compare(parseLossless(`{"p_log_type":"Custom.CF","other":"2020-09-17T18:49:46.5Z",${exp}}`), r, CTX));
    expect(d('"EdgeStartTimestamp":"2020-09-17T18:49:46Z"')).toEqual([]);
    expect(d('"EdgeStartTimestamp":"2020-09-17T18:49:46.194526741Z"')).toEqual([]);
    expect(d('"EdgeStartTimestamp":1600368586194526741')).toEqual([]);
    expect(d('"EdgeStartTimestamp":"2020-09-17T18:49:47Z"')).toEqual(["EdgeStartTimestamp"]);
    expect(d('"EdgeStartTimestamp":"2020-09-17T18:49:46.1Z"')).toEqual(["EdgeStartTimestamp"]);
    // Other formats keep their full precision.
    expect(paths(cf.compare(parseLossless('{"p_log_type":"Custom.CF","EdgeStartTimestamp":"2020-09-17T18:49:46Z","other":"2020-09-17T18:49:46Z"}'), r, CTX))).toEqual(["other"]);
  });

  it("does not treat strings in json fields as timestamps", () => {
    const r = actual({ raw: { at: "2024-01-01T00:00:00Z" } });
    expect(paths(diff('{"p_log_type":"Custom.Compare","raw":{"at":"2024-01-01T01:00:00+01:00"}}', r))).toEqual(["raw.at"]);
  });
});

describe("everything else compares as JSON values", () => {
  it("ignores key order", () => {
    const r = actual({ n: 1, tags: ["a"] });
    expect(diff('{"tags":["a"],"p_log_type":"Custom.Compare","n":1}', r)).toEqual([]);
  });

  it("compares numbers by exact value", () => {
    expect(diff('{"p_log_type":"Custom.Compare","n":1.0}', actual({ n: 1 }))).toEqual([]);
    const big = parseLossless('{"raw":9007199254740993,"p_log_type":"Custom.Compare","p_row_id":"x","p_event_time":"2026-01-01T00:00:00Z","p_parse_time":"2026-01-01T00:00:00Z"}');
    expect(paths(comparer().compare(parseLossless('{"p_log_type":"Custom.Compare","raw":9007199254740992}'), big, CTX))).toEqual(["raw"]);
  });

  it("does not equate a number with its text", () => {
    expect(paths(diff('{"p_log_type":"Custom.Compare","n":"1"}', actual({ n: 1 })))).toEqual(["n"]);
  });

  it("names missing and unexpected keys by their JSON path", () => {
    const d = diff('{"p_log_type":"Custom.Compare","nested":{"gone":1}}', actual({ nested: { at: "2024-01-01T00:00:00Z" } }));
    expect(d).toEqual([
      { path: "nested.at", expected: undefined, actual: "2024-01-01T00:00:00Z" },
      { path: "nested.gone", expected: parseLossless("1"), actual: undefined },
    ]);
  });

  it("reports a list of plain values as a whole, and lists of objects element by element", () => {
    expect(diff('{"p_log_type":"Custom.Compare","tags":["a","c"]}', actual({ tags: ["a", "b", "c"] }))).toEqual([
      { path: "tags", expected: ["a", "c"], actual: ["a", "b", "c"] },
    ]);
    const d = diff('{"p_log_type":"Custom.Compare","hops":[{"host":"a"}]}', actual({ hops: [{ host: "x" }, { host: "b" }] }));
    expect(paths(d)).toEqual(["hops[0].host", "hops[1]"]);
    expect(d[1]).toMatchObject({ expected: undefined, actual: { host: "b" } });
  });

  it("compares p_any lists in order, as pantherlog does", () => {
    const r = parseLossless(`{"p_log_type":"Custom.Compare","p_row_id":"x","p_event_time":"${PARSE_TIME}","p_parse_time":"${PARSE_TIME}","p_any_ip_addresses":["192.0.2.1","192.0.2.2"]}`);
    expect(paths(comparer().compare(parseLossless('{"p_log_type":"Custom.Compare","p_any_ip_addresses":["192.0.2.2","192.0.2.1"]}'), r, CTX))).toEqual(["p_any_ip_addresses"]);
  });

  it("rejects an expectation that is not a JSON object", () => {
    const d = diff("[1]", actual({}));
    expect(d[0]).toMatchObject({ path: "", note: "an expected record must be a JSON object" });
  });
});

describe("numberKey", () => {
  it("gives equal keys to equal values however they are written", () => {
    expect(new Set(["1", "1.0", "10e-1", "0.1e1", "1.000e0"].map(numberKey)).size).toBe(1);
    expect(numberKey("0")).toBe(numberKey("-0.0"));
    expect(numberKey("1500")).toBe(numberKey("1.5e3"));
    expect(numberKey("12345678901234567891")).not.toBe(numberKey("12345678901234567890"));
    expect(numberKey("-2")).not.toBe(numberKey("2"));
  });
});

describe("expectationOf", () => {
  it("drops p_row_id and p_parse_time, and p_event_time when it is the parse time", () => {
    expect(expectationOf(actual({ n: 1 }))).toEqual({ n: parseLossless("1"), p_log_type: "Custom.Compare" });
    const withTime = expectationOf(actual({ n: 1 }, "2025-01-01T00:00:00Z")) as Record<string, unknown>;
    expect(Object.keys(withTime)).toEqual(["n", "p_log_type", "p_event_time"]);
  });
});
