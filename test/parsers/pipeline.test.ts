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
