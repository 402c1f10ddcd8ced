/**
 * `--watch` on validate-schema and test: a short-lived process that reruns after a file is
 * written and exits 130 on Ctrl-C (SIGINT). No timeouts: each step waits for the output it needs.
 */
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startHexlog, tempDir, testdata } from "../helpers/cli.js";

const count = (text: string, what: string): number => text.split(what).length - 1;

describe("validate-schema --watch", () => {
  it("validates again after a schema is saved, then exits 130 on Ctrl-C", async () => {
    const dir = tempDir();
    const schema = join(dir, "shop.yml");
    copyFileSync(testdata("toolkit", "shop.yml"), schema);
    const run = startHexlog(["validate-schema", dir, "--watch", "--format", "json"]);
    await run.waitForStderr((s) => s.includes("for changes (Ctrl-C to stop)"));
    expect(JSON.parse(run.stdout()).valid).toBe(true);

    appendFileSync(schema, "  - name: broken\n    type: strin\n");
    await run.waitForStdout((s) => count(s, '"version": 1') === 2);
    await run.waitForStderr((s) => count(s, "for changes (Ctrl-C to stop)") === 2);
    const second = run.stdout().slice(run.stdout().lastIndexOf('{\n  "version"'));
    const report = JSON.parse(second) as { valid: boolean; findings: Array<{ rule: string; line: number }> };
    expect(report.valid).toBe(false);
    expect(report.findings[0]).toMatchObject({ rule: "unknown-type", line: 38 });
    expect(run.stderr()).toMatch(/\] changed: .*shop\.yml\n/);

    run.child.kill("SIGINT");
    const done = await run.done;
    expect(done.code).toBe(130);
    expect(done.stderr).toContain("interrupted");
  });
});

describe("test --watch", () => {
  it("reruns the tests of a test file after it is saved, then exits 130 on Ctrl-C", async () => {
    const dir = tempDir();
    copyFileSync(testdata("toolkit", "shop.yml"), join(dir, "shop.yml"));
    const tests = join(dir, "shop_tests.yml");
    copyFileSync(testdata("toolkit", "shop_tests.yml"), tests);
    // Another suite (a built-in log type) that the save does not concern.
    copyFileSync(testdata("hex", "audit_tests.yml"), join(dir, "audit_tests.yml"));
    const run = startHexlog(["test", dir, "--watch"]);
    await run.waitForStderr((s) => s.includes("for changes (Ctrl-C to stop)"));
    expect(run.stdout()).toContain("17 tests in 2 files: 17 passed, 0 failed");

    writeFileSync(tests, readFileSync(tests, "utf8").replace("  amount: 12.5\n", "  amount: 99\n"));
    await run.waitForStdout((s) => s.includes("2 tests in 1 file: 1 passed, 1 failed"));
    expect(run.stdout()).toContain("amount: differs");

    run.child.kill("SIGINT");
    expect((await run.done).code).toBe(130);
  });
});
