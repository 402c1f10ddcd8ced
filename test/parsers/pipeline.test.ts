import { describe, expect, it } from "vitest";
import { compileTemplate } from "../../src/engine/parsers/expand.js";
import { compilePipeline, TextPipeline } from "../../src/engine/parsers/pipeline.js";
import type { TextParserOptions } from "../../src/language/types.js";

function pipeline(options: TextParserOptions): TextPipeline {
  const p = compilePipeline(options, ["parser", "regex"]);
  if (Array.isArray(p)) throw new Error(JSON.stringify(p));
  return p;
}

describe("the text pipeline", () => {
  it("trims before checking emptyValues", () => {
    expect(pipeline({ trimSpace: true, emptyValues: ["-"] }).build(["a", "b"], [" - ", " x "], 0, 2)).toEqual({ b: "x" });
  });

  it("expands templates in declaration order, a dropped value expanding to \"\"", () => {
    const p = pipeline({ emptyValues: ["-"], expandFields: { ab: "%{a}-%{ b }", abc: "%{ab}/%{c}" } });
    expect(p.build(["a", "b", "c"], ["p1", "-", "z"], 0, 3)).toEqual({ a: "p1", c: "z", ab: "p1-", abc: "p1-/z" });
  });

  it("leaves out expansions that come out empty or as an empty value", () => {
    const p = pipeline({ emptyValues: ["-"], expandFields: { e: "%{missing}", d: "-" } });
    expect(p.build(["a"], ["1"], 0, 1)).toEqual({ a: "1" });
  });

  it("lets an expansion replace an extracted field of the same name", () => {
    expect(pipeline({ expandFields: { a: "<%{a}>" } }).build(["a"], ["1"], 0, 1)).toEqual({ a: "<1>" });
  });

  it("gives a group that took no part \"\" unless the same name already matched", () => {
    const p = pipeline({});
    expect(p.build([null, "v", "v"], ["x", "first", undefined], 1, 3)).toEqual({ v: "first" });
    expect(p.build([null, "v", "v"], ["x", undefined, "second"], 1, 3)).toEqual({ v: "second" });
    expect(p.build([null, "opt"], ["x", undefined], 1, 2)).toEqual({ opt: "" });
  });

  it("stores a field named __proto__ as data", () => {
    const out = pipeline({}).build(["__proto__"], ["x"], 0, 1);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__"]);
  });

  it("reports malformed templates at their key", () => {
    expect(compilePipeline({ expandFields: { x: "%{a" } }, ["parser", "csv"])).toEqual([
      { path: ["parser", "csv", "expandFields", "x"], rule: "invalid-expand-fields", message: '"%{" at character 1 is not closed by "}"', severity: "error" },
    ]);
    expect(compileTemplate("x", "a %{} b")).toBe("empty reference %{} at character 3");
  });
});

describe("the builder generated for a list of keys", () => {
  it("makes the same object as build, for duplicate, unnamed and absent groups, trimming, empty values and expansions", () => {
    const manyEmpty = Array.from({ length: 12 }, (_, i) => `e${i}`);
    const options: TextParserOptions[] = [
      {},
      { emptyValues: ["-", ""] },
      { trimSpace: true, emptyValues: ["-"] },
      { emptyValues: manyEmpty, expandFields: { ab: "%{a}/%{b}" } },
      { trimSpace: true, emptyValues: ["x", " "], expandFields: { a: "<%{a}>", c: "%{c}" } },
    ];
    const names = ["a", "b", "c", "__proto__", "constructor", "0", null];
    const pool = ["-", "", " ", " - ", "x", " x ", "e3", "e11", "value", "a b", undefined];
    let seed = 12345;
    const pick = <T,>(xs: readonly T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2147483648) % xs.length] as T;
    for (const o of options) {
      const p = pipeline(o);
      for (let round = 0; round < 80; round++) {
        const n = 1 + (round % 6);
        const keys = [null, ...Array.from({ length: n }, () => pick(names))];
        const build = p.builder(keys, 1, keys.length);
        for (let j = 0; j < 3; j++) {
          const values = ["whole line", ...keys.slice(1).map(() => pick(pool))];
          const expected = p.build(keys, values, 1, keys.length);
          const got = build(values);
          expect(Object.entries(got), JSON.stringify({ o, keys, values })).toEqual(Object.entries(expected));
          expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
        }
      }
    }
  });

  it("makes a dense object with the same fields, every name an own key in one order, undefined where a value is left out", () => {
    const options: TextParserOptions[] = [{}, { emptyValues: ["-", ""] }, { trimSpace: true, emptyValues: ["-"], expandFields: { ab: "%{a}/%{b}", c: "<%{c}>", e: "%{missing}" } }];
    const names = ["a", "b", "c", "__proto__", "constructor", "0", null];
    const pool = ["-", "", " - ", "x", " x ", "value", undefined];
    let seed = 777;
    const pick = <T,>(xs: readonly T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2147483648) % xs.length] as T;
    const defined = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const o of options) {
      const p = pipeline(o);
      for (let round = 0; round < 60; round++) {
        const keys = [null, ...Array.from({ length: 1 + (round % 6) }, () => pick(names))];
        const dense = p.builder(keys, 1, keys.length, true);
        expect(dense).not.toBe(p.builder(keys, 1, keys.length));
        const all = new Set([...keys, ...Object.keys(o.expandFields ?? {})].filter((k): k is string => k !== null && k !== "__proto__"));
        for (let j = 0; j < 3; j++) {
          const values = ["whole line", ...keys.slice(1).map(() => pick(pool))];
          const got = dense(values);
          expect(defined(got), JSON.stringify({ o, keys, values })).toEqual(defined(p.build(keys, values, 1, keys.length)));
          // (Keys that are array indices, such as "0", come first in any object.)
          expect(Object.keys(got).filter((k) => k !== "__proto__")).toEqual(Object.keys(Object.fromEntries([...all].map((k) => [k, 1]))));
          expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
        }
      }
    }
    // A left-out value expands to "" (never to "undefined").
    const p = pipeline({ emptyValues: ["-"], expandFields: { ab: "%{a}/%{b}" } });
    expect(p.builder(["a", "b"], 0, 2, true)(["-", "y"])).toEqual({ a: undefined, b: "y", ab: "/y" });
  });

  it("is generated once per list of keys", () => {
    const p = pipeline({ emptyValues: ["-"] });
    expect(p.builder(["a", "b"], 0, 2)).toBe(p.builder(["a", "b"], 0, 2));
    expect(p.builder(["a", "b"], 0, 2)).not.toBe(p.builder(["a", "c"], 0, 2));
  });

  it("keeps names from a CSV header as plain text, whatever characters they hold", () => {
    const keys = ['a"b', "c\\d", "e\nf", "\u2028", "${x}", "`y`", "'); throw 1; ('"];
    const values = keys.map((_, i) => `v${i}`);
    expect(pipeline({}).builder(keys, 0, keys.length)(values)).toEqual(Object.fromEntries(keys.map((k, i) => [k, `v${i}`])));
  });
});
