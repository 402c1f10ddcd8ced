/**
 * The invalid-schema corpus (testdata/schemas/invalid/, one file per rule) validated in process,
 * each file as `hexlog validate-schema FILE` validates it: exactly the findings its `# expect:`
 * lines name. test/e2e/validate-schema.test.ts runs the whole corpus through the command once.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadJsonSchemaCheck, type JsonSchemaCheck } from "../../src/language/json-schema.js";
import { readSchemaFile } from "../../src/language/yaml-source.js";
import { markDuplicateNames, validateDocument, type SchemaResult } from "../../src/tools/validate.js";

const INVALID = join("testdata", "schemas", "invalid");

/** Every rule id validate-schema can report about a schema; each has a file in the invalid corpus. */
const RULE_IDS = [
  "yaml-syntax",
  "duplicate-key",
  "unknown-key",
  "type-mismatch",
  "empty-list",
  "empty-value",
  "missing-key",
  "missing-fields",
  "missing-type",
  "missing-element",
  "missing-target",
  "missing-time-format",
  "empty-name",
  "reserved-name",
  "duplicate-field",
  "case-collision",
  "unknown-type",
  "unknown-indicator",
  "indicators-not-string",
  "indicators-on-array",
  "event-time-not-timestamp",
  "inapplicable-key",
  "conflicting-keys",
  "invalid-value",
  "invalid-name",
  "invalid-url",
  "invalid-time-format",
  "parser-count",
  "native-parser",
  "invalid-transformation",
  "missing-match",
  "csv-conflict",
  "invalid-fastmatch",
  "invalid-regex",
  "invalid-expand-fields",
  "panther-incompatible",
  "unresolved-ref",
  "cyclic-ref",
  "max-nesting",
  "duplicate-log-type",
];

/** `# expect: <rule> <line>:<col>` lines at the top of each corpus file. */
function expectations(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)].map((m) => `${m[1]} ${m[2]}:${m[3]}`).sort();
}

/** Files validated together with a corpus file (a duplicate needs its first definition). */
const COMPANIONS: Record<string, string[]> = {
  "duplicate-log-type-b.yml": [join(INVALID, "duplicate-log-type-a.yml")],
};

let check: JsonSchemaCheck;
beforeAll(async () => {
  check = await loadJsonSchemaCheck();
});

/** Validates files together, as one validate-schema run does: the results, and the exit code it gives. */
async function validateFiles(files: string[]): Promise<{ results: SchemaResult[]; code: number }> {
  const results: SchemaResult[] = [];
  for (const f of files) results.push(validateDocument(await readSchemaFile(f), check));
  markDuplicateNames(results);
  return { results, code: results.some((r) => r.findings.some((f) => f.severity === "error")) ? 1 : 0 };
}

describe("validate-schema on the invalid corpus (one file per rule)", () => {
  // Files without `# expect:` lines belong to other tests (transformations).
  const files = readdirSync(INVALID).filter((f) => f.endsWith(".yml") && expectations(join(INVALID, f)).length > 0);

  it("has a file for every rule id, and no expectation outside the known rules", () => {
    const used = new Set(files.flatMap((f) => expectations(join(INVALID, f)).map((e) => e.split(" ")[0])));
    expect([...used].filter((r) => !RULE_IDS.includes(r as string))).toEqual([]);
    expect(RULE_IDS.filter((r) => !used.has(r))).toEqual([]);
  });

  for (const name of files) {
    it(`reports exactly what ${name} expects, at its line and column`, async () => {
      const file = join(INVALID, name);
      const { results, code } = await validateFiles([...(COMPANIONS[name] ?? []), file]);
      const expected = expectations(file);
      const mine = results.flatMap((r) => r.findings).filter((f) => f.file === file);
      expect(mine.map((f) => `${f.rule} ${f.line}:${f.col}`).sort()).toEqual(expected);
      for (const f of mine) expect(f.message).not.toBe("");
      const onlyWarnings = mine.every((f) => f.severity === "warning");
      expect(code).toBe(onlyWarnings ? 0 : 1);
    });
  }
});
