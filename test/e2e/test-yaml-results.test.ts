/** `hexlog test` with expectations written as YAML mappings: they pass, fail with a diff, and --update keeps each test's form. */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, tempDir, testdata } from "../helpers/cli.js";

const SUITE = testdata("toolkit", "shop_tests.yml");

function copySuite(): { dir: string; tests: string } {
  const dir = tempDir();
  copyFileSync(testdata("toolkit", "shop.yml"), join(dir, "shop.yml"));
  const tests = join(dir, "shop_tests.yml");
  copyFileSync(SUITE, tests);
  return { dir, tests };
}

describe("YAML-mapping expectations", () => {
  it("passes a test whose result is a YAML mapping, next to one in JSON text", async () => {
    const r = await hexlog(["test", testdata("toolkit")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PASS    testdata/toolkit/shop_tests.yml:2  order with an rfc3339 time (Custom.Shop)");
    expect(r.stdout).toContain("2 tests in 1 file: 2 passed, 0 failed");
  });

  it("fails a wrong value in a YAML mapping with its path, and --update rewrites it as a mapping", async () => {
    const { dir, tests } = copySuite();
    const original = readFileSync(tests, "utf8");
    writeFileSync(tests, original.replace("  amount: 12.5\n", "  amount: 13\n").replace('"order_id": "o-2",', '"order_id": "o-3",'));
    const failed = await hexlog(["test", dir]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/amount: differs\n\s+- expected {2}13\n\s+\+ actual {4}12\.5/);

    const updated = await hexlog(["test", dir, "--update"]);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain("2 updated");
    // Each test keeps its form: the mapping stays a mapping, the JSON text stays JSON text.
    const after = readFileSync(tests, "utf8");
    expect(after).toContain("  amount: 12.5\n  p_log_type: Custom.Shop\n");
    expect(after).toContain('result: |\n  {\n    "placed_at": "2026-03-01T10:00:00Z",\n    "order_id": "o-2",');
    expect((await hexlog(["test", dir])).code).toBe(0);
  });
});
