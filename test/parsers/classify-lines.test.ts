/** EventProcessor.processLine: classifying text lines among text and JSON log types. */
import { describe, expect, it } from "vitest";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import { EventProcessor, type Outcome } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";

function type(schema: Record<string, unknown>): LogType {
  const { logType, issues } = buildLogType(schema, "x");
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

const KV = type({ schema: "Custom.KV", parser: { fastmatch: { match: ["%{k}=%{v}"], skipPrefix: "#" } }, fields: [{ name: "k", type: "string" }, { name: "v", type: "int", required: true }] });
const WORDS = type({ schema: "Custom.Words", parser: { regex: { match: ["^(?P<first>\\w+) (?P<rest>.*)$"] } }, fields: [{ name: "first", type: "string" }, { name: "rest", type: "string" }] });
const CSV = type({ schema: "Custom.CSV", parser: { csv: { delimiter: ",", hasHeader: true } }, fields: [{ name: "x", type: "string" }, { name: "y", type: "int" }] });
const JSON_TYPE = type({ schema: "Custom.Json", fields: [{ name: "k", type: "string", required: true }] });

function run(types: LogType[], lines: string[]): Array<string | null> {
  const p = new EventProcessor(types, { rowIds: new RowIds(1, 0) });
  p.setClock(0, "2026-01-01T00:00:00Z");
  const stream = p.openStream();
  return lines.map((l) => describe1(p.processLine(l, stream)));
}

function describe1(o: Outcome | null): string | null {
  if (o === null) return null;
  if (o.ok) return `${o.logType} ${JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(o.json) as object).filter(([k]) => !k.startsWith("p_"))))}`;
  return `ERROR ${o.logType}: ${o.path ? `${o.path}: ` : ""}${o.message}`;
}

describe("classifying text lines", () => {
  it("gives each line to the first type in declared order that parses it", () => {
    expect(run([KV, WORDS], ["a=1", "hello big world", "a=x"])).toEqual([
      'Custom.KV {"k":"a","v":1}',
      'Custom.Words {"first":"hello","rest":"big world"}',
      // KV matches the pattern but fails v; Words does not match at all.
      "ERROR Custom.KV: v: expected an integer, got \"x\" (matches none of 2 log types; Custom.KV came closest)",
    ]);
    expect(run([WORDS, KV], ["hello a=1"])).toEqual(['Custom.Words {"first":"hello","rest":"a=1"}']);
    expect(run([KV, WORDS], ["hello a=1"])).toEqual(['Custom.KV {"k":"hello a","v":1}']);
  });

  it("stops at a type that skips the line (it is no event and no error)", () => {
    expect(run([KV, WORDS], ["# a comment"])).toEqual([null]);
  });

  it("reads JSON lines for JSON types, parsing each line once", () => {
    expect(run([JSON_TYPE, KV], ['{"k":"j"}', "k=2", '{"k":1', "not json"])).toEqual([
      'Custom.Json {"k":"j"}',
      'Custom.KV {"k":"k","v":2}',
      "ERROR Custom.Json: invalid JSON: expected ',' or '}' at position 6 (matches none of 2 log types; Custom.Json came closest)",
      'ERROR Custom.KV: does not match the pattern: no "=" after field "k" (matches none of 2 log types; Custom.KV came closest)',
    ]);
  });

  it("lets a CSV type read its header from the stream's first line whichever type takes that line", () => {
    // KV takes line 1 (x=1); the CSV type still learns it as its header: one column "x=1".
    expect(run([KV, CSV], ["x=1", "a=2", "plain"])).toEqual(['Custom.KV {"k":"x","v":1}', 'Custom.KV {"k":"a","v":2}', "Custom.CSV {}"]);
    // First in order, the CSV type takes its header line: no event.
    expect(run([CSV, KV], ["x,y", "a,2", "k=3"])).toEqual([null, 'Custom.CSV {"x":"a","y":2}', 'Custom.KV {"k":"k","v":3}']);
  });

  it("names the type that got furthest when no type reads the line", () => {
    expect(run([WORDS, KV], ["k=zz"])).toEqual(['ERROR Custom.KV: v: expected an integer, got "zz" (matches none of 2 log types; Custom.KV came closest)']);
  });
});
