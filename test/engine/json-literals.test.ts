/**
 * json fields write every number literal as it was read (issue 18 #9), and events whose
 * literals a double prints back unchanged stay on the fast path (issue 19).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import { holdsNumber, mayHoldInexactNumber } from "../../src/engine/number-literals.js";
import { EventProcessor } from "../../src/engine/process.js";
import { parseSchemaText } from "../../src/language/yaml-source.js";

function fromFile(file: string): LogType {
  const { source, problems } = parseSchemaText(readFileSync(file, "utf8"), file);
  expect(problems).toEqual([]);
  const { logType } = buildLogType(source.value, "Custom");
  if (!logType) throw new Error(`${file} does not compile`);
  return logType;
}

function fromObject(schema: Record<string, unknown>): LogType {
  const { logType, issues } = buildLogType(schema, "Custom");
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

function processor(types: LogType[]): EventProcessor {
  const p = new EventProcessor(types, { rowIds: { next: () => "row" } });
  p.setClock(1_800_000_000, "2027-01-15T08:00:00Z");
  return p;
}

/** The record's text, or the error message. */
function record(p: EventProcessor, raw: string): string {
  const o = p.process(raw, JSON.parse(raw));
  return o.ok ? o.json : `ERROR ${o.path}: ${o.message}`;
}

const AUTH0 = fromFile("schemas/Auth0.Events.yml");
const TYPES = fromFile("testdata/schemas/types.yml");
const EMBEDDED = fromObject({ schema: "Custom.Embedded", fields: [{ name: "e", type: "json", isEmbeddedJSON: true }, { name: "n", type: "float" }] });

const auth0 = (clientId: string): string =>
  `{"log_id":"7","data":{"date":"2024-05-14T07:58:02.117Z","type":"s","client_id":${clientId},"location_info":{"latitude":52.5196}}}`;

describe("json fields keep number literals", () => {
  it("writes 1e400, -0, 1e-400 and 1.0 as they were, with no other field forcing the exact reader", () => {
    const out = record(processor([AUTH0]), auth0('{"n":1e400,"z":-0,"under":1e-400,"one":1.0}'));
    expect(out).toContain('"client_id":{"n":1e400,"z":-0,"under":1e-400,"one":1.0}');
  });

  it("writes a bare literal in a json field as it was", () => {
    for (const literal of ["1.0", "-0", "1E2", "12.50", "0.0000001", "9007199254740993", "1e400", "-0.0", "100000000000000000000"]) {
      expect(record(processor([AUTH0]), auth0(literal))).toContain(`"client_id":${literal},`);
    }
  });

  it("keeps the literal when several log types are tried (the event is not changed in place)", () => {
    const other = fromObject({ schema: "Custom.Other", fields: [{ name: "data", type: "json" }, { name: "must", type: "string", required: true }] });
    const p = processor([other, AUTH0]);
    const out = record(p, auth0('[1.0,{"x":-0}]'));
    expect(out).toContain('"p_log_type":"Auth0.Events"');
    expect(out).toContain('"client_id":[1.0,{"x":-0}]');
  });

  it("keeps the literals of a line read by a text stream of JSON types", () => {
    const p = processor([AUTH0]);
    const o = p.processLine(auth0("1.50"), p.openStream());
    expect(o).toMatchObject({ ok: true });
    expect(o?.ok && o.json).toContain('"client_id":1.50,');
  });

  it("keeps the literals inside an embedded JSON string, escaped digits included", () => {
    const p = processor([EMBEDDED]);
    expect(record(p, String.raw`{"e":"{\"a\":1.0,\"b\":[-0]}","n":2}`)).toContain('"e":{"a":1.0,"b":[-0]}');
    expect(record(p, String.raw`{"e":"{\"a\":\u0031.0}"}`)).toContain('"e":{"a":1.0}');
  });

  it("writes every generated literal of a json field back unchanged", () => {
    const literal = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
      fc.tuple(fc.integer({ min: -999, max: 999 }), fc.stringMatching(/^[0-9]{1,20}$/), fc.constantFrom("", "e5", "E-400", "e+21")).map(([a, b, e]) => `${a}.${b}${e}`),
      fc.constantFrom("-0", "0.0", "1E2", "12.50", "0.0000001", "1e400", "-1e-400"),
    );
    const p = processor([TYPES]);
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 4 }), fc.boolean(), (xs, asFloat) => {
        // A float field beside it may or may not hold an inexact literal of its own.
        const raw = `{"j":{"xs":[${xs.join(",")}]},"f":${asFloat ? "2.50" : "2.5"}}`;
        expect(record(p, raw)).toContain(`"j":{"xs":[${xs.join(",")}]}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe("which events take the exact reader", () => {
  it("does not count digits inside strings: no Auth0 sample event needs it", () => {
    const lines = readFileSync("testdata/auth0/events.ndjson", "utf8").split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(mayHoldInexactNumber(line)).toBe(false);
  });

  it("flags each kind of literal a double prints differently, wherever a number can start", () => {
    for (const literal of ["1.0", "-0", "1e3", "1E400", "12.50", "0.0000001", "1234567890123456", "1.234567890123456"]) {
      expect(mayHoldInexactNumber(`{"a":${literal}}`)).toBe(true);
      expect(mayHoldInexactNumber(`[1, ${literal}]`)).toBe(true);
      expect(mayHoldInexactNumber(`{"a":[\n\t${literal}]}`)).toBe(true);
      expect(mayHoldInexactNumber(literal)).toBe(true);
    }
    for (const literal of ["1", "-1", "0", "-0.5", "0.000001", "123456789012345", "52.5196", "1715673481983"]) {
      expect(mayHoldInexactNumber(`{"a":${literal},"b":[${literal}]}`)).toBe(false);
    }
  });

  it("never misses a literal that JSON.parse and JSON.stringify would change", () => {
    const literal = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.tuple(fc.boolean(), fc.stringMatching(/^(?:0|[1-9][0-9]{0,24})$/), fc.option(fc.stringMatching(/^[0-9]{1,20}$/)), fc.option(fc.tuple(fc.constantFrom("e", "E", "e+", "e-"), fc.integer({ min: 0, max: 400 })))).map(
        ([neg, int, frac, exp]) => `${neg ? "-" : ""}${int}${frac === null ? "" : `.${frac}`}${exp === null ? "" : `${exp[0]}${exp[1]}`}`,
      ),
    );
    fc.assert(
      fc.property(literal, (text) => {
        if (!mayHoldInexactNumber(`{"k":${text}}`)) expect(JSON.stringify(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it("looks for numbers in a parsed value at any depth", () => {
    expect(holdsNumber({ a: [{ b: "1" }, null, true] })).toBe(false);
    expect(holdsNumber({ a: [{ b: 1 }] })).toBe(true);
    expect(holdsNumber("1.0")).toBe(false);
    expect(holdsNumber(-0)).toBe(true);
  });
});
