/** Schemas meant to exhaust the machine are refused at once, with a clear one-line reason. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, tempDir, testdata } from "../helpers/cli.js";

const HEX = testdata("hex", "audit.ndjson");

describe("hostile schemas", () => {
  it("refuses a YAML alias bomb (billion laughs)", async () => {
    const bomb = testdata("hostile", "alias-bomb.yml");
    const refusal = new RegExp(`${bomb}:\\d+:\\d+: Excessive alias count indicates a resource exhaustion attack \\[yaml-syntax\\]`);
    const r = await hexlog(["parse", "--schemas", bomb, "-t", "Custom.AliasBomb", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(refusal);
    expect(r.stdout).toBe("");
    // list-types lists what did load (the built-ins) and reports the bomb.
    const list = await hexlog(["list-types", "--schemas", bomb]);
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(refusal);
    expect(list.stdout).toContain("Hex.Audit");
    expect(list.stdout).not.toContain("AliasBomb");
    const v = await hexlog(["validate-schema", bomb]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/Excessive alias count indicates a resource exhaustion attack \[yaml-syntax\]/);
  });

  it("refuses a schema file over 1 MiB without reading it", async () => {
    const file = join(tempDir(), "huge.yml");
    const field = "  - name: f{i}\n    type: string\n    description: one of very many fields\n";
    let text = "schema: Custom.Huge\nfields:\n";
    for (let i = 0; text.length <= 1024 * 1024; i++) text += field.replace("{i}", String(i));
    writeFileSync(file, text);
    const r = await hexlog(["parse", "--schemas", file, "-t", "Custom.Huge", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:1:1: too large for a log schema (1.0 MiB; the limit is 1 MiB) [schema-size]`);
    const v = await hexlog(["validate-schema", file]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${file}:1:1: error: too large for a log schema (1.0 MiB; the limit is 1 MiB) [schema-size]`);
  });

  it("refuses YAML nested too deeply to read, naming where", async () => {
    const file = join(tempDir(), "deep.yml");
    const n = 5000;
    writeFileSync(file, `schema: Custom.Deep\nfields:\n  - {name: a, type: object, fields: ${"[{name: a, type: object, fields: ".repeat(n)}[]${"}]".repeat(n)}}\n`);
    const r = await hexlog(["parse", "--schemas", file, "-t", "Custom.Deep", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:3:\\d+: nested too deeply to read`));
    expect(r.stderr).not.toMatch(/call stack/);
  });
});
