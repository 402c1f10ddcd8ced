/** Easy mix-ups get a message that names the mistake: a log type's case, events given as a sources file or schema. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, tempDir, testdata } from "../helpers/cli.js";

const HEX = testdata("hex", "audit.ndjson");

describe("log type names", () => {
  it("suggests the exact name for a case slip", async () => {
    const r = await hexlog(["list-types", "--show", "hex.audit"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hexlog: unknown log type "hex.audit" (did you mean Hex.Audit?)\n  available: Hex.Audit, Auth0.Events, Panther.Audit\n');
  });

  it("suggests the closest name for a typo", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audix", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe('hexlog: unknown log type "Hex.Audix" (did you mean Hex.Audit?)');
  });
});

describe("a schema whose log type name is lower case (custom_lower)", () => {
  const LOWER = testdata("schemas", "lower-name", "custom_lower.yml");
  const AT = `${LOWER}:2:9: schema "custom_lower": a log type name is dot-separated segments of letters and digits, each starting with an upper-case letter, e.g. Custom.MyApp [invalid-name]`;

  it("is invalid for validate-schema and for parse, by the same rule at the same place", async () => {
    const validate = await hexlog(["validate-schema", "--format", "json", LOWER]);
    expect(validate.code).toBe(1);
    expect(JSON.parse(validate.stdout).findings).toMatchObject([{ line: 2, col: 9, rule: "invalid-name" }]);
    // parse reports it and goes on with the other log types (SPEC §3: one invalid schema never blocks the others).
    const parse = await hexlog(["parse", "-s", LOWER, HEX, "--now", "2026-01-01T00:00:00Z"]);
    expect(parse.code).toBe(0);
    expect(parse.stderr.split("\n")[0]).toBe(`error: ${AT}`);
  });

  it("is named by parse -t as a log type, not read as an input file", async () => {
    const r = await hexlog(["parse", "-s", LOWER, "-t", "custom_lower", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`hexlog: the schema of log type "custom_lower" is invalid:\n  ${AT}\n`);
  });
});

describe("pantherlog habits", () => {
  it("a log type after --schemas is pointed to -t", async () => {
    const r = await hexlog(["parse", "--schemas", "Custom.X", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hexlog: --schemas takes schema files; use -t for log types ("Custom.X" is no file, and no loaded log type has that name)\n');
  });

  it("a missing schema file is still reported as missing", async () => {
    const r = await hexlog(["parse", "--schemas", "nothere.yml", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hexlog: cannot read schemas: nothere.yml: no such file or directory\n");
  });
});

describe("events where YAML belongs", () => {
  /** 2,000 NDJSON events: read as YAML, each line would be an error. */
  function bigEvents(): string {
    const file = join(tempDir(), "events.ndjson");
    const line = eventLine();
    writeFileSync(file, `${Array.from({ length: 2000 }, () => line).join("\n")}\n`);
    return file;
  }
  function eventLine(): string {
    return '{"source":"Hex","timestamp":"2024-05-14T08:57:13.514Z","event":{"action":"LOGIN"}}';
  }

  it("hexlog sources on an events file says so in one line, exit 2", async () => {
    const file = bigEvents();
    const r = await hexlog(["sources", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`hexlog: ${file} is not a usable sources file:\n  ${file}:2:1: this looks like NDJSON events (one JSON object per line), not a sources file\n`);
  });

  it("parse --sources with an events file says so too", async () => {
    const r = await hexlog(["parse", "--sources", HEX, "--source", "x", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("this looks like NDJSON events (one JSON object per line), not a sources file");
  });

  it("validate-schema on an events file stops at one finding with the hint", async () => {
    const r = await hexlog(["validate-schema", HEX]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${HEX}:2:1: error: this looks like NDJSON events (one JSON object per line), not a log schema [yaml-syntax]\n`);
  });

  it("reports the first YAML syntax error of a broken file, with a count of the rest", async () => {
    const file = join(tempDir(), "broken.yml");
    writeFileSync(file, "schema: Custom.X\nfields: [\n  - name: a\n  b: }\nc: {{\n");
    const r = await hexlog(["validate-schema", file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/more YAML errors? after it\) \[yaml-syntax\]$/);
  });

  it("still reads a sources file that is one JSON object on one line (an API response)", async () => {
    const file = join(tempDir(), "one.json");
    writeFileSync(file, `${JSON.stringify({ data: { source: { integrationId: "abc", integrationLabel: "One", logTypes: ["Hex.Audit"] } } })}\n`);
    const r = await hexlog(["sources", file]);
    expect(r.stderr).not.toContain("NDJSON");
  });
});
