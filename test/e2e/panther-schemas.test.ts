/**
 * A schema directory as Panther users keep it: one schema with indicators on arrays of strings
 * (as Panther's managed schemas have), one broken schema, one plain one. The broken one is
 * reported and fails only what uses it.
 */
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, testdata } from "../helpers/cli.js";

const DIR = testdata("dropin");
const SCHEMAS = testdata("dropin", "schemas");
const BROKEN = `${SCHEMAS}/Broken.Widget.yml:5:11: unknown type "strng"`;

describe("one invalid schema in a directory", () => {
  it("parse -t of another type runs, reporting the invalid schema at file:line:col", async () => {
    const r = await hexlog(["parse", "--schemas", SCHEMAS, "-t", "Custom.Door.Access", testdata("dropin", "door.ndjson"), ...FIXED]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => [x.door, x.granted])).toEqual([["lobby-east", true], ["lab-2", false]]);
    expect(r.stderr).toContain(`error: ${BROKEN}`);
    // Advice about the array indicators belongs to validate-schema.
    expect(r.stderr).not.toContain("indicators-on-array");
  });

  it("parse without -t classifies among the valid types", async () => {
    const r = await hexlog(["parse", "--schemas", SCHEMAS, testdata("dropin", "door.ndjson"), ...FIXED]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => x.p_log_type)).toEqual(["Custom.Door.Access", "Custom.Door.Access"]);
  });

  it("parse -t naming the invalid schema exits 2 with its problems, before reading input", async () => {
    const r = await hexlog(["parse", "--schemas", SCHEMAS, "-t", "Custom.Broken.Widget"], { input: "{}\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hexlog: the schema of log type "Custom.Broken.Widget" is invalid:');
    expect(r.stderr).toContain(`  ${BROKEN}`);
  });

  it("test runs every other type's tests; the invalid schema's test fails with its problems", async () => {
    const r = await hexlog(["test", DIR]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PASS .*dlp_tests\.yml:1 {2}A blocked message to three recipients/m);
    expect(r.stdout).toMatch(/^PASS .*door_tests\.yml:1 {2}A granted badge swipe/m);
    expect(r.stdout).toMatch(/^FAIL .*widget_tests\.yml:1 /m);
    expect(r.stdout).toContain(`the schema of Custom.Broken.Widget is invalid: ${BROKEN}`);
    expect(r.stdout).toContain("3 tests in 3 files: 2 passed, 1 failed");
  });

  it("list-types lists the built-ins and every valid type, reports the invalid schema, and exits 0", async () => {
    const r = await hexlog(["list-types", "--schemas", SCHEMAS]);
    expect(r.code).toBe(0);
    const names = r.stdout.split("\n").filter((l) => l !== "").map((l) => l.split(" ")[0]);
    expect(names).toEqual(["Hex.Audit", "Auth0.Events", "Panther.Audit", "Custom.Door.Access", "Custom.Mail.DLP"]);
    expect(r.stderr).toContain(`error: ${BROKEN}`);
    expect(r.stderr).toContain("note: 1 schema file is invalid and not listed");
  });

  it("list-types --format json keeps stdout to the valid types, the problem on stderr", async () => {
    const r = await hexlog(["list-types", "--format", "json", "-q", "--schemas", SCHEMAS]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((t) => [t.name, t.builtin])).toEqual([
      ["Hex.Audit", true],
      ["Auth0.Events", true],
      ["Panther.Audit", true],
      ["Custom.Door.Access", false],
      ["Custom.Mail.DLP", false],
    ]);
    // -q drops the note, never the error line.
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringContaining(`error: ${BROKEN}`)]);
  });

  it("list-types --show naming the invalid schema exits 2 with its problems", async () => {
    const r = await hexlog(["list-types", "--schemas", SCHEMAS, "--show", "Custom.Broken.Widget"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`  ${BROKEN}`);
  });

  it("validate-schema fails the run on the invalid schema and warns about array indicators", async () => {
    const r = await hexlog(["validate-schema", SCHEMAS]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("unknown type");
    expect(r.stdout + r.stderr).toContain("indicators-on-array");
  });
});
