/** `hexlog infer --extend` and `--tests` end to end: the schema file written back, a diff, a test file that passes. */
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, tempDir, testdata } from "../helpers/cli.js";

const SCHEMA = testdata("toolkit", "extend", "orders.yml");
const SAMPLES = testdata("toolkit", "extend", "new-orders.ndjson");

function copySchema(): string {
  const file = join(tempDir(), "orders.yml");
  copyFileSync(SCHEMA, file);
  return file;
}

describe("hexlog infer --extend", () => {
  it("writes the new fields into the schema, keeping its comments and an untouched field's bytes", async () => {
    const file = copySchema();
    const r = await hexlog(["infer", "--extend", file, SAMPLES]);
    expect(r.code).toBe(0);
    const text = readFileSync(file, "utf8");
    const original = readFileSync(SCHEMA, "utf8");
    // The head comments and the untouched fields, byte for byte.
    expect(text.startsWith(original.slice(0, original.indexOf("  - name: placed_at")))).toBe(true);
    expect(text).toContain('  - name: placed_at   # when the customer clicked "buy"\n');
    expect(text).toContain("  - name: order_id\n    type: string\n    required: true\n");
    expect(text).toContain('  - name: "status"      # quoted on purpose: untouched bytes stay as written\n    type: string\n');
    // What the samples brought.
    expect(text).toContain("      - name: country\n        type: string\n  - name:");
    expect(text).toContain("  - name: source_ip\n    type: string\n    indicators: [ip]\n");
    expect(text).toContain("    timeFormats: [rfc3339, unix_ms]\n");
    expect(r.stderr).toContain("added customer.country (string)");
    expect(r.stderr).toContain("warning: quantity widened from bigint to float");
    // The result validates and parses every sample.
    expect((await hexlog(["validate-schema", file])).code).toBe(0);
    const parsed = await hexlog(["parse", "--schemas", file, "-t", "Custom.Orders", SAMPLES]);
    expect(parsed.code).toBe(0);
  });

  it("prints a unified diff with --dry-run and leaves the file alone", async () => {
    const file = copySchema();
    const r = await hexlog(["infer", "--extend", file, SAMPLES, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(readFileSync(SCHEMA, "utf8"));
    expect(r.stdout).toMatch(new RegExp(`^--- ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\tcurrent\n`));
    expect(r.stdout).toContain("-    type: bigint\n+    type: float\n");
    expect(r.stdout).toContain("+  - name: shipped_at\n");
  });

  it("refuses --dry-run without --extend and an invalid schema, with exit 2 before reading samples", async () => {
    expect((await hexlog(["infer", "--dry-run", SAMPLES])).code).toBe(2);
    const bad = await hexlog(["infer", "--extend", testdata("schemas", "invalid", "case-collision.yml"), SAMPLES]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a valid schema");
  });
});

describe("hexlog infer --tests", () => {
  it("writes one test per sample with its current record, and hexlog test passes them", async () => {
    const file = copySchema();
    const tests = join(tempDir(), "orders_tests.yml");
    const r = await hexlog(["infer", "--extend", file, SAMPLES, "--tests", tests]);
    expect(r.code).toBe(0);
    const text = readFileSync(tests, "utf8");
    expect(text).toContain("name: new-orders.ndjson line 1\nlogType: Custom.Orders\ninput: |\n");
    expect(text).toContain("result:\n  placed_at: 2026-03-01T10:00:00Z\n");
    const run = await hexlog(["test", file, tests]);
    expect(run.stdout).toContain("2 tests in 1 file: 2 passed, 0 failed");
    expect(run.code).toBe(0);
  });

  it("refuses to overwrite an existing test file", async () => {
    const tests = join(tempDir(), "t_tests.yml");
    copyFileSync(testdata("toolkit", "shop_tests.yml"), tests);
    const r = await hexlog(["infer", SAMPLES, "--tests", tests]);
    expect(r.code).toBe(2);
    expect(existsSync(tests)).toBe(true);
  });
});
