/** `hexlog test --coverage` and `--min-coverage` end to end: reports, formats, exit codes. */
import { describe, expect, it } from "vitest";
import { hexlog, testdata } from "../helpers/cli.js";

const SHOP = testdata("toolkit");

describe("hexlog test --coverage", () => {
  it("lists what no test exercises after the test report, exiting 0 when the tests pass", async () => {
    const r = await hexlog(["test", SHOP, "--coverage"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        "coverage: Custom.Shop 61.1% (11 of 18, 2 tests)",
        "  fields never present: coupon, shipping_host, card",
        "  indicators never extracted: shipping_host (hostname)",
        "  time formats never matched: placed_at (%d/%m/%Y %H:%M)",
        "  transformations never applied: shipping_host (copy), card (mask)",
      ].join("\n"),
    );
  });

  it("fails with exit 1 below --min-coverage and passes at or above it", async () => {
    const below = await hexlog(["test", SHOP, "--min-coverage", "80"]);
    expect(below.code).toBe(1);
    expect(below.stdout).toContain("coverage: Custom.Shop 61.1% (11 of 18, 2 tests) below --min-coverage 80");
    expect((await hexlog(["test", SHOP, "--min-coverage", "61"])).code).toBe(0);
    const bad = await hexlog(["test", SHOP, "--min-coverage", "101"]);
    expect(bad.code).toBe(2);
  });

  it("puts the coverage in the JSON report and as annotations in the github format", async () => {
    const json = await hexlog(["test", SHOP, "--min-coverage", "80", "--format", "json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { coverage: { minimum: number; passed: boolean; schemas: Array<{ logType: string; percent: number; missing: { timeFormats: unknown[] } }> } };
    expect(report.coverage.minimum).toBe(80);
    expect(report.coverage.passed).toBe(false);
    expect(report.coverage.schemas[0]).toMatchObject({ logType: "Custom.Shop", percent: 61.1, missing: { timeFormats: [{ field: "placed_at", format: "%d/%m/%Y %H:%M" }] } });
    const gh = await hexlog(["test", SHOP, "--min-coverage", "80", "--format", "github"]);
    expect(gh.stdout).toContain("::error title=coverage::Custom.Shop coverage 61.1%25 (11 of 18) is below --min-coverage 80; not covered: field coupon");
  });

  it("reports a fully covered built-in suite at 100 %", async () => {
    const r = await hexlog(["test", testdata("hex"), "--min-coverage", "100"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("coverage: Hex.Audit 100%");
  });
});
