/** Run-time pieces of transformations, and how compiled normalizers use them. */
import { describe, expect, it } from "vitest";
import { compileSchema, type CompiledSchema } from "../../src/engine/compile.js";
import { FieldError, NEED_LOSSLESS } from "../../src/engine/errors.js";
import { LosslessNumber, parseLossless } from "../../src/engine/lossless-json.js";
import { EventState } from "../../src/engine/state.js";
import { concat, masker, readPath, splitAll, splitAt } from "../../src/engine/transform.js";
import { checkSchema } from "../../src/language/check.js";

function state(lossless = false): EventState {
  const s = new EventState();
  s.reset(lossless);
  return s;
}

function compile(yamlValue: unknown): CompiledSchema {
  const { schema, issues } = checkSchema(yamlValue, "Custom.Test");
  if (!schema) throw new Error(issues.map((i) => i.message).join("; "));
  const compiled = compileSchema(schema);
  if (Array.isArray(compiled)) throw new Error(compiled.map((i) => i.message).join("; "));
  return compiled;
}

describe("readPath", () => {
  it("walks objects by key and arrays by numeric key", () => {
    const o = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(readPath(o, ["a", "b", "1", "c"])).toBe(2);
    expect(readPath(o, ["a", "b"])).toEqual([{ c: 1 }, { c: 2 }]);
  });

  it("gives undefined for a missing step, a scalar in the way, or a non-numeric key on an array", () => {
    const o = { a: { b: [1] }, s: "text" };
    expect(readPath(o, ["a", "x"])).toBeUndefined();
    expect(readPath(o, ["s", "length"])).toBeUndefined();
    expect(readPath(o, ["a", "b", "length"])).toBeUndefined();
    expect(readPath(o, ["a", "b", "01"])).toBeUndefined();
    expect(readPath(o, ["a", "b", "5"])).toBeUndefined();
  });

  it("never reads prototype members", () => {
    expect(readPath({ a: {} }, ["a", "constructor"])).toBeUndefined();
    expect(readPath({ a: {} }, ["a", "__proto__"])).toBeUndefined();
    expect(readPath(JSON.parse('{"a":{"__proto__":"data"}}') as Record<string, unknown>, ["a", "__proto__"])).toBe("data");
  });

  it("does not walk into a lossless number", () => {
    const o = parseLossless('{"n":12.50}') as Record<string, unknown>;
    expect(readPath(o, ["n", "text"])).toBeUndefined();
    expect(readPath(o, ["n"])).toBeInstanceOf(LosslessNumber);
  });
});

describe("concat", () => {
  it("skips missing and null parts and gives null when none is present", () => {
    const o = { a: "x", b: null, c: "z" };
    expect(concat(o, [["a"], ["b"], ["c"]], "-", state())).toBe("x-z");
    expect(concat(o, [["b"], ["nope"]], "-", state())).toBeNull();
  });

  it("asks for the lossless parse when a part is a plain number (its literal text matters)", () => {
    let thrown: unknown;
    try {
      concat({ n: 1.5 }, [["n"]], "", state());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(NEED_LOSSLESS);
    const o = parseLossless('{"n":1.50}') as Record<string, unknown>;
    expect(concat(o, [["n"]], "", state(true))).toBe("1.50");
  });
});

describe("split", () => {
  it("cuts at every separator; an empty string has no parts", () => {
    expect(splitAll("a,,b", ",", state())).toEqual(["a", "", "b"]);
    expect(splitAll("", ",", state())).toEqual([]);
    expect(splitAll("a::b::c", "::", state())).toEqual(["a", "b", "c"]);
  });

  it("picks a part by index, counting from the end when negative, undefined out of range", () => {
    expect(splitAt("a/b/c", "/", 0, state())).toBe("a");
    expect(splitAt("a/b/c", "/", -1, state())).toBe("c");
    expect(splitAt("a/b/c", "/", -3, state())).toBe("a");
    expect(splitAt("a/b/c", "/", 3, state())).toBeUndefined();
    expect(splitAt("a/b/c", "/", -4, state())).toBeUndefined();
  });

  it("fails on objects and arrays", () => {
    expect(() => splitAll({}, ",", state())).toThrow(FieldError);
  });
});

describe("mask", () => {
  it("redacts the whole value, whatever its length", () => {
    const redact = masker({ type: "redact", to: "#" });
    expect(redact("secret", state())).toBe("#");
    expect(redact(true, state())).toBe("#");
    expect(redact("", state())).toBe("");
  });

  it("hashes salt + value as lowercase hex", () => {
    // printf '%s' 'saltvalue' | sha256sum
    expect(masker({ type: "hash", algorithm: "sha256", salt: "salt" })("value", state())).toBe("d430a1da30afe1a9d07b3b36042151ebaf53c4882af1609733c04930de318e33");
    expect(masker({ type: "hash", algorithm: "sha256", salt: "salt" })("", state())).toBe("");
  });
});

describe("compiled normalizers", () => {
  it("clear a key in place when a split leaves nothing of it", () => {
    const compiled = compile({
      fields: [
        { name: "host", type: "string", split: { separator: ":", index: 1 } },
        { name: "n", type: "int" },
      ],
    });
    const event: Record<string, unknown> = { host: "no-port", n: 1 };
    const out = compiled.bodyInPlace(event, state());
    expect(out).toBe(event); // coerced in place: no transformation reads other keys
    expect(JSON.stringify(out)).toBe('{"n":1}');
  });

  it("build a new object when a field reads other keys, leaving the input untouched", () => {
    const compiled = compile({ fields: [{ name: "b", type: "string", copy: { from: "a.x" } }] });
    const event = { a: { x: "v" } };
    const out = compiled.bodyInPlace(event, state());
    expect(out).not.toBe(event);
    expect(out).toEqual({ b: "v" });
    expect(event).toEqual({ a: { x: "v" } });
  });
});
