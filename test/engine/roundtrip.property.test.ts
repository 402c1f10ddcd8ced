/**
 * Records are a fixed point of normalization: parsing a record again (as an event of the same
 * log type) gives the very same record, byte for byte.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildLogType } from "../../src/engine/logtype.js";
import { EventProcessor, type Outcome } from "../../src/engine/process.js";
import { parseSchemaText } from "../../src/language/yaml-source.js";

function processorFor(file: string): EventProcessor {
  const { source, problems } = parseSchemaText(readFileSync(file, "utf8"), file);
  expect(problems).toEqual([]);
  const { logType } = buildLogType(source.value, "Custom");
  if (!logType) throw new Error(`${file} does not compile`);
  const p = new EventProcessor([logType], { rowIds: { next: () => "row" } });
  p.setClock(1_800_000_000, "2027-01-15T08:00:00Z");
  return p;
}

function parse(p: EventProcessor, raw: string): Outcome {
  return p.process(raw, JSON.parse(raw));
}

/** Object JSON text from members given as `"key":value` texts (null: left out), in any order. */
const objectText = (members: fc.Arbitrary<string | null>[]): fc.Arbitrary<string> =>
  fc
    .tuple(...members)
    .map((ms) => ms.filter((m): m is string => m !== null))
    .chain((ms) => fc.shuffledSubarray(ms, { minLength: ms.length, maxLength: ms.length }))
    .map((ms) => `{${ms.join(",")}}`);

const member = (key: string, value: fc.Arbitrary<string>): fc.Arbitrary<string | null> =>
  fc.option(required(key, value), { nil: null });
const required = (key: string, value: fc.Arbitrary<string>): fc.Arbitrary<string> => value.map((v) => `${JSON.stringify(key)}:${v}`);

/** Number literals as they appear in the wild: exponents, trailing zeros, -0, beyond 2^53. */
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.stringMatching(/^[0-9]{1,4}$/), fc.integer({ min: -30, max: 30 })).map(([a, b, e]) => `${a}.${b}e${e}`),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n }).map(String),
  fc.constantFrom("-0", "0.0", "1E2", "12.50"),
);
const stringText = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom("", "42", "+5", "1e3", "true", "0", " 7 ")).map((s) => JSON.stringify(s));
const anyText = fc.oneof(
  { weight: 3, arbitrary: stringText },
  { weight: 3, arbitrary: numberText },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", "null") },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);

describe("normalizing a record again", () => {
  it("gives the same record for every type of testdata/schemas/types.yml", () => {
    const p = processorFor("testdata/schemas/types.yml");
    // Mostly values the field accepts, in every spelling it accepts; sometimes anything at all.
    const mostly = (valid: fc.Arbitrary<string>) => fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: anyText });
    const intText = fc.oneof(fc.integer({ min: -32768, max: 32767 }).map(String), fc.constantFrom('"42"', '"+5"', '""', "1.0", "1e3", "null"));
    const str = fc.oneof(stringText, numberText, fc.constantFrom("true", "false"));
    const event = objectText([
      member("s", mostly(str)),
      member("i", mostly(intText)),
      member("si", mostly(intText)),
      member("bi", mostly(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), intText))),
      member("f", mostly(fc.oneof(numberText, fc.constantFrom('"1.5"', '"-0"', '""')))),
      member("b", mostly(fc.constantFrom("true", "false", '"true"', '"false"', '"1"', '"0"', "1", "0", '""'))),
      // json fields keep every number literal as written.
      member("j", fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.bigInt().map(String), numberText)),
      member("o", mostly(objectText([member("x", mostly(str)), member("y", mostly(intText)), member("z", anyText)]))),
      member("a", mostly(fc.array(mostly(intText), { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`))),
      member("ao", mostly(fc.array(objectText([fc.constant(null), required("k", mostly(str))]), { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`))),
      member("unknown", anyText),
    ]);
    let records = 0;
    fc.assert(
      fc.property(event, (raw) => {
        const first = parse(p, raw);
        if (!first.ok) return;
        records++;
        const again = parse(p, first.json);
        expect(again).toMatchObject({ ok: true, json: first.json });
      }),
      { numRuns: 1000 },
    );
    // The generator is not so wild that nothing ever parses.
    expect(records).toBeGreaterThan(100);
  });

  it("gives the same Hex.Audit record, timestamps in any RFC 3339 spelling", () => {
    const p = processorFor("schemas/Hex.Audit.yml");
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    const rfc3339 = fc
      .tuple(
        fc.integer({ min: 1, max: 9999 }).map((y) => String(y).padStart(4, "0")),
        fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, "0")),
        fc.integer({ min: 1, max: 28 }).map((d) => String(d).padStart(2, "0")),
        fc.constantFrom("T", "t", " "),
        two(23),
        two(59),
        two(59),
        fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
        fc.oneof(fc.constantFrom("Z", "z", "+00:00"), fc.tuple(fc.constantFrom("+", "-"), two(23), two(59)).map(([s, h, m]) => `${s}${h}:${m}`)),
      )
      .map(([y, mo, d, t, h, mi, s, frac, zone]) => JSON.stringify(`${y}-${mo}-${d}${t}${h}:${mi}:${s}${frac === undefined ? "" : `.${frac}`}${zone}`));
    const str = fc.string({ unit: "grapheme", maxLength: 10 }).map((s) => JSON.stringify(s));
    const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 6 })).map((s) => JSON.stringify(s));
    const event = objectText([
      member("source", str),
      member("timestamp", rfc3339),
      required(
        "event",
        objectText([
          required("actor", objectText([member("id", str), member("type", str), member("metadata", objectText([member("email", fc.emailAddress().map((e) => JSON.stringify(e)))]))])),
          required("action", str),
          member("context", objectText([member("location", ip), member("user_agent", str)])),
          member("targets", fc.array(objectText([member("id", str), member("metadata", objectText([member("created", fc.constantFrom("true", "false", '"1"', "0"))]))]), { maxLength: 2 }).map((xs) => `[${xs.join(",")}]`)),
          member("metadata", objectText([member("hexTraceId", fc.stringMatching(/^[0-9a-f]{32}$/).map((s) => JSON.stringify(s))), member("isRefreshingKey", fc.constantFrom("true", "false"))])),
          required("occurred_at", rfc3339),
        ]),
      ),
    ]);
    let records = 0;
    fc.assert(
      fc.property(event, (raw) => {
        const first = parse(p, raw);
        if (!first.ok) return;
        records++;
        expect(parse(p, first.json)).toMatchObject({ ok: true, json: first.json });
      }),
      { numRuns: 500 },
    );
    expect(records).toBeGreaterThan(20);
  });
});
