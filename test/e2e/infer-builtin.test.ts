/**
 * `hexlog infer` on the good samples of the three built-in log types: the inferred schema passes
 * validate-schema, loads without a warning and parses every sample, and where the built-in schema knows better (event
 * time, indicators) the inferred one agrees with it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, tempDir, testdata } from "../helpers/cli.js";

const SAMPLES: Array<{ builtin: string; name: string; files: string[]; events: number }> = [
  { builtin: "Hex.Audit", name: "Custom.HexInferred", files: [testdata("hex", "audit.ndjson"), testdata("hex", "audit-array.json"), testdata("hex", "audit-pretty.json")], events: 27 },
  { builtin: "Auth0.Events", name: "Custom.AuthInferred", files: [testdata("auth0", "events.ndjson")], events: 13 },
  { builtin: "Panther.Audit", name: "Custom.PantherInferred", files: [testdata("panther", "audit.ndjson")], events: 14 },
];

async function inferToFile(name: string, files: string[]): Promise<string> {
  const r = await hexlog(["infer", "--name", name, ...files]);
  expect(r.code).toBe(0);
  const file = join(tempDir(), `${name}.yml`);
  writeFileSync(file, r.stdout);
  return file;
}

describe.each(SAMPLES)("hexlog infer on the $builtin samples", ({ builtin, name, files, events }) => {
  it("infers a schema that loads without warnings and parses every sample with zero errors", async () => {
    const schema = await inferToFile(name, files);
    const r = await hexlog(["parse", "--schemas", schema, "-t", name, ...FIXED, ...files]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(events);
    for (const rec of recs) expect(rec.p_log_type).toBe(name);
  });

  it("infers a schema that validate-schema accepts when piped into it", async () => {
    const inferred = await hexlog(["infer", "--name", name, ...files]);
    expect(inferred.code).toBe(0);
    const r = await hexlog(["validate-schema", "--format", "json"], { input: inferred.stdout });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { valid: boolean; findings: unknown[] };
    expect(report.valid).toBe(true);
    expect(report.findings).toEqual([]);
  });

  it("picks the same event time as the built-in schema", async () => {
    const schema = await inferToFile(name, files);
    const inferred = records((await hexlog(["parse", "--schemas", schema, "-t", name, ...FIXED, ...files])).stdout);
    const builtinRecs = records((await hexlog(["parse", "-t", builtin, ...FIXED, ...files])).stdout);
    expect(inferred.map((r) => r.p_event_time)).toEqual(builtinRecs.map((r) => r.p_event_time));
    // Every record has a real event time, not the fixed parse time.
    for (const r of inferred) expect(r.p_event_time).not.toBe(r.p_parse_time);
  });
});

describe("hexlog infer on the Hex.Audit samples", () => {
  it("finds the indicators the built-in schema declares: actor ids, emails, IPs and trace ids", async () => {
    const files = SAMPLES[0]?.files as string[];
    const schema = await inferToFile("Custom.HexInferred", files);
    const inferred = records((await hexlog(["parse", "--schemas", schema, "-t", "Custom.HexInferred", ...FIXED, ...files])).stdout);
    const builtinRecs = records((await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, ...files])).stdout);
    const anyFields = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith("p_any_")));
    expect(inferred.map(anyFields)).toEqual(builtinRecs.map(anyFields));
  });
});
