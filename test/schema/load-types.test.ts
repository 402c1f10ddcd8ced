/** loadLogTypes: a run compiles only the log types it uses; names come from one line. */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLogTypes, selectTypes } from "../../src/catalog/load-types.js";
import { UsageError } from "../../src/cli/errors.js";

let n = 0;
function schemaDir(files: Record<string, string>): string {
  const dir = join(tmpdir(), `hexlog-load-types-${process.pid}-${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = "schema: Custom.Good\nfields:\n  - name: a\n    type: string\n";
const BAD = "schema: 'Custom.Bad'\nfields:\n  - name: a\n    type: strnig\n";

function usageDetails(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e.details;
    throw e;
  }
  throw new Error("no UsageError");
}

describe("loading a set of schemas", () => {
  it("lists every log type by name and compiles only the ones picked", async () => {
    const dir = schemaDir({ "good.yml": GOOD, "bad.yml": BAD });
    const loaded = await loadLogTypes([dir]);
    expect(loaded.types.map((t) => t.name)).toEqual(["Hex.Audit", "Auth0.Events", "Panther.Audit", "Custom.Bad", "Custom.Good"]);
    const [good] = selectTypes(loaded.types, ["Custom.Good"]);
    expect(good?.logType.name).toBe("Custom.Good");
    expect(usageDetails(() => selectTypes(loaded.types, ["Custom.Bad"]))).toEqual([expect.stringMatching(/bad\.yml:4:11: .*strnig.* \[/)]);
    // Without names every type is used, so every problem is found.
    expect(usageDetails(() => selectTypes(loaded.types, undefined))).toHaveLength(1);
  });

  it("reads a schema in full up front when its name is not on one plain line", async () => {
    const dir = schemaDir({ "flow.yml": "{schema: Custom.Flow, fields: [{name: a, type: strnig}]}\n", "good.yml": GOOD });
    await expect(loadLogTypes([dir])).rejects.toThrow(UsageError);
  });

  it("finds a name defined twice without compiling either", async () => {
    const dir = schemaDir({ "a.yml": GOOD, "b.yml": GOOD.replace("type: string", "type: int") });
    await expect(loadLogTypes([dir])).rejects.toMatchObject({ details: [expect.stringContaining("log type Custom.Good is already defined in")] });
  });

  it("adds the warnings of a type compiled later to the run's warnings", async () => {
    const dir = schemaDir({ "native.yml": "schema: Custom.Native\nparser:\n  native:\n    name: AWS.CloudTrail\nfields:\n  - name: a\n    type: string\n" });
    const loaded = await loadLogTypes([dir]);
    expect(loaded.warnings).toEqual([]);
    selectTypes(loaded.types, ["Custom.Native"]);
    expect(loaded.warnings).toEqual([expect.stringMatching(/^warning: .*native\.yml:4:5: parser\.native \(AWS\.CloudTrail\)/)]);
  });
});
