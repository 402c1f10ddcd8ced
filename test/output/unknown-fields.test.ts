import { describe, expect, it } from "vitest";
import { unknownFieldsJson, unknownFieldsText } from "../../src/output/unknown-fields.js";

describe("the --unknown-fields report", () => {
  it("lists paths most frequent first and says which events were counted", () => {
    const text = unknownFieldsText({ fields: new Map([["a.b", 1], ["z", 3], ["c", 1]]), counted: 3, failed: 2 });
    expect(text).toBe(
      "unknown fields in 3 parsed events; 2 failed events not counted (in the input, not in the schema; dropped from records):\n  z    3\n  a.b  1\n  c    1",
    );
  });

  it("does not claim every field is declared when no event was parsed", () => {
    expect(unknownFieldsText({ fields: new Map(), counted: 0, failed: 4 })).toBe("unknown fields: none counted (no event was parsed; 4 failed events not counted)");
    expect(unknownFieldsText({ fields: new Map(), counted: 1, failed: 0 })).toBe("unknown fields: none in 1 parsed event (every input field of those is declared in the schema)");
  });

  it("escapes hostile key names", () => {
    expect(unknownFieldsText({ fields: new Map([["k\u001b[2J", 1]]), counted: 1, failed: 0 })).toContain("k\\u001b[2J  1");
  });

  it("gives programs one JSON document", () => {
    expect(JSON.parse(unknownFieldsJson({ fields: new Map([["x", 2]]), counted: 2, failed: 1 }))).toEqual({ counted: 2, failed: 1, fields: [{ path: "x", count: 2 }] });
  });
});
