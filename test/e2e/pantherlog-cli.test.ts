/**
 * The commands of pantherlog's documentation, typed as a Panther user types them, with hexlog
 * in pantherlog's place: parse with --path/--schemas, infer, test, and Go-style flags.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, records, tempDir, testdata } from "../helpers/cli.js";

const SCHEMA = testdata("dropin", "schemas", "Door.Access.yml");
const SAMPLE = testdata("dropin", "door.ndjson");

describe("pantherlog parse", () => {
  it("pantherlog parse --path schema.yml --schemas Custom.Name sample.jsonl", async () => {
    const r = await hexlog(["parse", "--path", SCHEMA, "--schemas", "Custom.Door.Access", SAMPLE]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => [x.p_log_type, x.door])).toEqual([["Custom.Door.Access", "lobby-east"], ["Custom.Door.Access", "lab-2"]]);
    expect(r.stderr).toContain("note: --schemas Custom.Door.Access: no such path, but a log type name (pantherlog's meaning); taken as -t Custom.Door.Access");
  });

  it("cat sample.jsonl | pantherlog parse --path schema.yml", async () => {
    const r = await hexlog(["parse", "--path", SCHEMA], { input: readFileSync(SAMPLE) });
    expect(r.code).toBe(0);
    expect(records(r.stdout)).toHaveLength(2);
  });

  it("takes a schema directory for --path, and Go-style single-dash flags", async () => {
    const r = await hexlog(["parse", "-path", testdata("dropin", "schemas"), "-schemas", "Custom.Door.Access", "-source-id", "src-1", "-source-label=Badges", SAMPLE]);
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    expect(recs.map((x) => [x.p_source_id, x.p_source_label])).toEqual([["src-1", "Badges"], ["src-1", "Badges"]]);
  });

  it("exits 2 when a --schemas word is neither a path nor a loaded log type", async () => {
    const r = await hexlog(["parse", "--path", SCHEMA, "--schemas", "Custom.Nope", SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--schemas takes schema files; use -t for log types ("Custom.Nope" is no file, and no loaded log type has that name)');
  });

  it("pantherlog -debug -source-label L < input: classifies stdin and prints the summary on stderr", async () => {
    const r = await hexlog(["-debug", "-source-label", "audit", "-path", SCHEMA], { input: readFileSync(SAMPLE) });
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => x.p_source_label)).toEqual(["audit", "audit"]);
    expect(r.stderr).toMatch(/^2 events → 2 records, 0 errors in /m);
  });

  it("never reads a Go-style long flag as a cluster of short flags", async () => {
    const r = await hexlog(["infer", "-debug", SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '-debug' for infer");
  });

  it("refuses another command's Go-style flag given to parse (parse alone is built only without such flags)", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "-host", "0.0.0.0", SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '-host' for parse");
  });
});

describe("pantherlog infer and test", () => {
  it("pantherlog infer sample.jsonl > schema.yml, then parse with the schema", async () => {
    const dir = tempDir();
    const inferred = await hexlog(["infer", SAMPLE]);
    expect(inferred.code).toBe(0);
    const schema = join(dir, "schema.yml");
    writeFileSync(schema, inferred.stdout);
    const r = await hexlog(["parse", "--path", schema, SAMPLE]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => x.door)).toEqual(["lobby-east", "lab-2"]);
  });

  it("pantherlog test schema.yml schema_tests.yml", async () => {
    const r = await hexlog(["test", SCHEMA, testdata("dropin", "door_tests.yml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS .*A granted badge swipe/m);
  });

  it("pantherlog test ./schemas", async () => {
    const r = await hexlog(["test", testdata("pantherlog")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
  });
});
