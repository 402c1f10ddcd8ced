/** The structural check of transformations: the typed configs it accepts (defaults filled in) and where it points on mistakes. */
import { describe, expect, it } from "vitest";
import { checkSchema } from "../../src/language/check.js";

function check(fields: unknown[], extra: Record<string, unknown> = {}) {
  return checkSchema({ schema: "Custom.T", fields, ...extra }, "Custom.T");
}

describe("accepted transformations", () => {
  it("reads each kind into its typed config with defaults filled in", () => {
    const { schema, issues } = check([
      { name: "a", type: "string", rename: { from: "A" } },
      { name: "b", type: "string", copy: { from: "x.y" } },
      { name: "c", type: "string", concat: { paths: ["p", "q.r"] } },
      { name: "d", type: "string", split: { separator: ",", index: -1, from: "s" } },
      { name: "e", type: "array", element: { type: "string" }, split: { separator: "|" } },
      { name: "f", type: "string", mask: { type: "redact" } },
      { name: "g", type: "string", mask: { type: "hash" } },
      { name: "h", type: "string", mask: { type: "hash", algorithm: "md5", salt: "s" } },
    ]);
    expect(issues).toEqual([]);
    const [a, b, c, d, e, f, g, h] = schema?.fields ?? [];
    expect(a?.rename).toEqual({ from: "A" });
    expect(b?.copy).toEqual({ from: "x.y" });
    expect(c?.concat).toEqual({ paths: ["p", "q.r"], separator: "" });
    expect(d?.split).toEqual({ separator: ",", index: -1, from: "s" });
    expect(e?.split).toEqual({ separator: "|" });
    expect(f?.mask).toEqual({ type: "redact", to: "***" });
    expect(g?.mask).toEqual({ type: "hash", algorithm: "sha256", salt: "" });
    expect(h?.mask).toEqual({ type: "hash", algorithm: "md5", salt: "s" });
  });

  it("allows renames that swap two keys", () => {
    const { issues } = check([
      { name: "x", type: "string", rename: { from: "y" } },
      { name: "y", type: "string", rename: { from: "x" } },
    ]);
    expect(issues).toEqual([]);
  });

  it("accepts the example of Panther's documentation (rename and mask on one field)", () => {
    const { schema, issues } = check([{ name: "userId", type: "string", rename: { from: "PIN" }, mask: { type: "redact", to: "*" } }]);
    expect(issues).toEqual([]);
    expect(schema?.fields[0]).toMatchObject({ rename: { from: "PIN" }, mask: { type: "redact", to: "*" } });
  });
});

describe("rejected transformations", () => {
  it("points at the offending key inside nested fields", () => {
    const { schema, issues } = check([{ name: "o", type: "object", fields: [{ name: "n", type: "string", split: { separator: "" } }] }]);
    expect(schema).toBeUndefined();
    expect(issues).toEqual([
      { path: ["fields", 0, "fields", 0, "split", "separator"], rule: "invalid-transformation", message: 'split.separator must be a non-empty string, got ""', severity: "error" },
    ]);
  });

  it("reports a rename that empties a sibling field at rename.from", () => {
    const { issues } = check([
      { name: "a", type: "string" },
      { name: "b", type: "string", rename: { from: "a" } },
    ]);
    expect(issues.map((i) => [i.path, i.rule])).toEqual([[["fields", 1, "rename", "from"], "invalid-transformation"]]);
  });

  it("reports that rename at its own field when a field before it has errors", () => {
    const { issues } = check([
      { name: "x", type: "strng" },
      { name: "a", type: "string" },
      { name: "b", type: "string", rename: { from: "a" } },
    ]);
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      [["fields", 0, "type"], "unknown-type"],
      [["fields", 2, "rename", "from"], "invalid-transformation"],
    ]);
  });

  it("reports two sources on one field at the second one's key", () => {
    const { issues } = check([{ name: "a", type: "string", concat: { paths: ["x"] }, split: { from: "y", separator: "," } }]);
    expect(issues).toEqual([
      { path: ["fields", 0, "split", "from"], rule: "invalid-transformation", message: "concat and split.from each give the field a value; use only one", severity: "error", atKey: true },
    ]);
  });

  it("rejects transformations on array elements and in definitions", () => {
    const { issues } = check([{ name: "a", type: "array", element: { type: "string", copy: { from: "x" } } }], { definitions: { D: { type: "string", rename: { from: "x" } } } });
    expect(issues.map((i) => i.path)).toEqual([
      ["fields", 0, "element", "copy"],
      ["definitions", "D", "rename"],
    ]);
    expect(issues.every((i) => i.rule === "invalid-transformation")).toBe(true);
  });

  it("rejects mask options that belong to the other mask type and unknown keys", () => {
    const { issues } = check([
      { name: "a", type: "string", mask: { type: "redact", salt: "s" } },
      { name: "b", type: "string", concat: { paths: ["x"], sep: "-" } },
    ]);
    expect(issues.map((i) => [i.path, i.rule, i.message])).toEqual([
      [["fields", 0, "mask", "salt"], "invalid-transformation", "mask.salt belongs to type hash, not redact"],
      [["fields", 1, "concat", "sep"], "unknown-key", 'unknown key "sep"'],
    ]);
  });
});
