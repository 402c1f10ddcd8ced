/**
 * Transformations end to end: what only the command shows (--unknown-fields, -t with several
 * types, schema errors with exit 2). What each transformation does is tested in process in
 * test/engine/transformations.test.ts.
 */
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, testdata } from "../helpers/cli.js";

interface Parsed {
  recs: Array<Record<string, unknown>>;
  stderr: string;
  code: number | null;
}

/** Parses testdata/transform/<name>.ndjson with testdata/schemas/transform/<name>.yml. */
async function parseSample(name: string, type: string, extra: string[] = []): Promise<Parsed> {
  const r = await hexlog(["parse", "--schemas", testdata("schemas", "transform", `${name}.yml`), "-t", type, ...FIXED, ...extra, testdata("transform", `${name}.ndjson`)]);
  return { recs: records(r.stdout), stderr: r.stderr, code: r.code };
}

/** A record without p_row_id, p_parse_time and p_log_type (p_event_time and p_any_* stay). */
function strip(rec: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rec ?? {}).filter(([k]) => !["p_row_id", "p_parse_time", "p_log_type"].includes(k)));
}

const PARSE_TIME = "2026-11-21T12:00:00Z";

describe.concurrent("rename", () => {
  it("counts the renamed key as known and the field's own name as unknown in --unknown-fields", async () => {
    const { stderr } = await parseSample("rename", "Custom.Rename", ["--unknown-fields"]);
    expect(stderr).toMatch(/unknown fields[^\n]*\n {2}user +1\n/);
    expect(stderr).not.toMatch(/^ {2}(meta\.user|@timestamp|constructor) /m);
  });
});

describe.concurrent("copy", () => {
  it("reports no unknown fields for paths that copies read", async () => {
    const { stderr } = await parseSample("copy", "Custom.Copy", ["--unknown-fields"]);
    expect(stderr).toContain("unknown fields: none");
  });
});

describe.concurrent("classifying among types with transformations", () => {
  it("leaves the event intact for the next type when one with transformations fails", async () => {
    // Custom.Composed fails line 3 (no user.email); Custom.Concat then parses the very same event.
    const r = await hexlog(
      ["parse", "--schemas", testdata("schemas", "transform"), "-t", "Custom.Composed", "Custom.Concat", ...FIXED],
      { input: '{"user":{"name":"carol","email":"carol"},"PIN":"1","tenant":"t","id":"i"}\n' },
    );
    const [rec] = records(r.stdout);
    expect(rec?.p_log_type).toBe("Custom.Concat");
    expect(strip(rec)).toEqual({ key: "ti", p_event_time: PARSE_TIME });
  });
});

describe.concurrent("schema errors", () => {
  it("reports each structural mistake at its file:line:column with rule invalid-transformation", async () => {
    const file = testdata("schemas", "invalid", "transform-structure.yml");
    const r = await hexlog(["parse", "--schemas", file, "-t", "Custom.BadTransformStructure"], { input: "" });
    expect(r.code).toBe(2);
    const at = (pos: string, msg: string): string => `${file}:${pos}: ${msg}`;
    for (const line of [
      at("6:13", 'rename must be a mapping (from), got "PIN" [invalid-transformation]'),
      at("10:13", 'rename.from is the field\'s own name "b" [invalid-transformation]'),
      at("14:7", 'unknown key "form" (did you mean "from"?) [unknown-key]'),
      at("14:7", 'copy.from is missing (a path such as "actor.email") [invalid-transformation]'),
      at("18:13", 'copy.from "actor..email" has an empty segment (paths are keys joined by single dots) [invalid-transformation]'),
      at("22:14", "concat.paths must not be empty [empty-list]"),
      at("27:18", "concat.separator must be a string, got 1 [invalid-transformation]"),
      at("31:7", "split needs a separator [invalid-transformation]"),
      at("36:14", "split.index must be an integer (negative counts from the end), got 1.5 [invalid-transformation]"),
      at("40:13", 'mask.type must be redact or hash, got "hsah" (did you mean "hash"?) [invalid-transformation]'),
      at("45:18", 'mask.algorithm must be one of md5, sha1, sha256, sha512, got "sha3" [invalid-transformation]'),
      at("46:11", "mask.to belongs to type redact, not hash [invalid-transformation]"),
      at("51:5", "rename and copy each give the field a value; use only one [invalid-transformation]"),
      at("57:7", "mask: transformations apply to fields, not to array elements [invalid-transformation]"),
      at("64:13", 'rename takes key "level" away from the field of that name; use copy to keep both [invalid-transformation]'),
      at("68:5", "copy: transformations apply to fields, not to definitions [invalid-transformation]"),
    ]) {
      expect(r.stderr).toContain(line);
    }
    expect(r.stderr).toContain(`the schema of log type "Custom.BadTransformStructure" is invalid:`);
  });

  it("reports transformations that do not fit the field's type", async () => {
    const file = testdata("schemas", "invalid", "transform-types.yml");
    const r = await hexlog(["parse", "--schemas", file, "-t", "Custom.BadTransformTypes"], { input: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:10:14: split.index gives one part, but the field is an array; leave index out to keep all parts [invalid-transformation]`);
    expect(r.stderr).toContain(`${file}:14:7: split without index gives a list, so the field must be an array (it is string); or set split.index [invalid-transformation]`);
    expect(r.stderr).toContain(`${file}:18:7: mask gives text, so the field must be a string (it is int) [invalid-transformation]`);
    expect(r.stderr).toContain(`${file}:23:7: mask gives text, so the field must be a string (it is object) [invalid-transformation]`);
  });
});
