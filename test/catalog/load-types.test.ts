/** loadLogTypes with `only`: a run compiles and checks only the log types it uses. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinSchemaFiles, defaultSchemaName, orderBuiltinFiles } from "../../src/catalog/files.js";
import { loadLogTypes, scannedSchemaName } from "../../src/catalog/load-types.js";
import { ROOT } from "../helpers/cli.js";

let n = 0;
function schemaDir(files: Record<string, string>): string {
  const dir = join(tmpdir(), `hexlog-load-types-${process.pid}-${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = "schema: Custom.Good\nfields:\n  - name: a\n    type: string\n";
const BAD = "schema: 'Custom.Bad'\nfields:\n  - name: a\n    type: strnig\n";

describe("loading only the log types a run uses", () => {
  it("skips schemas named otherwise, broken ones included", async () => {
    const dir = schemaDir({ "good.yml": GOOD, "bad.yml": BAD });
    const loaded = await loadLogTypes([dir], { only: ["Custom.Good"] });
    expect(loaded.problems).toEqual([]);
    expect(loaded.types.map((t) => t.logType.name)).toEqual(["Custom.Good"]);
  });

  it("checks the ones it uses, and everything without `only`", async () => {
    const dir = schemaDir({ "good.yml": GOOD, "bad.yml": BAD });
    const bad = await loadLogTypes([dir], { only: ["Custom.Bad"] });
    expect(bad.problems).toEqual([expect.objectContaining({ file: join(dir, "bad.yml"), line: 4, rule: expect.any(String) })]);
    const all = await loadLogTypes([dir]);
    expect(all.types.map((t) => t.logType.name)).toEqual(["Hex.Audit", "Auth0.Events", "Panther.Audit", "Custom.Good"]);
    expect(all.problems).toHaveLength(1);
  });

  it("reads a schema in full when its name is not on one plain line", async () => {
    const dir = schemaDir({ "flow.yml": "{schema: Custom.Flow, fields: [{name: a, type: strnig}]}\n", "good.yml": GOOD });
    const loaded = await loadLogTypes([dir], { only: ["Custom.Good"] });
    expect(loaded.problems.map((p) => p.file)).toEqual([join(dir, "flow.yml")]);
  });

  it("finds the name on a top-level line only, plain or quoted, with a comment after it", () => {
    expect(scannedSchemaName("# x\nschema: Custom.A # the name\nfields: []\n")).toBe("Custom.A");
    expect(scannedSchemaName('schema: "Custom.B"\n')).toBe("Custom.B");
    expect(scannedSchemaName("description: |\n  schema: Custom.C\nschema: Custom.D\n")).toBe("Custom.D");
    expect(scannedSchemaName("schema: *alias\n")).toBeUndefined();
    expect(scannedSchemaName("schema: Custom.E\n---\nschema: Custom.F\n")).toBeUndefined();
  });
});

describe("the built-in log types", () => {
  it("are the schema files of schemas/: the product's own first, in their order, any other after them by name", () => {
    const folder = ["Zeta.Log.yml", "Panther.Audit.yml", "Alpha.Log.yml", "Hex.Audit.yml", "Auth0.Events.yml"];
    expect(orderBuiltinFiles(folder)).toEqual(["Hex.Audit.yml", "Auth0.Events.yml", "Panther.Audit.yml", "Alpha.Log.yml", "Zeta.Log.yml"]);
    expect(orderBuiltinFiles(["Auth0.Events.yml"])).toEqual(["Auth0.Events.yml"]);
  });

  it("load from the folder, each named as its file, and the build bundles the same files in the same order", async () => {
    const inFolder = readdirSync(join(ROOT, "schemas")).filter((f) => /\.ya?ml$/.test(f));
    const files = builtinSchemaFiles(null);
    expect([...files].sort()).toEqual([...inFolder].sort());
    const loaded = await loadLogTypes([]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.types.map((t) => t.logType.name)).toEqual(files.map(defaultSchemaName));
    // The test run builds first (test/build.global-setup.ts).
    const bundle = JSON.parse(readFileSync(join(ROOT, "dist", "builtin-schemas.json"), "utf8")) as Array<{ file: string }>;
    expect(bundle.map((b) => b.file)).toEqual(files);
  });
});
