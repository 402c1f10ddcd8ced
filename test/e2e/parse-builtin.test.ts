/**
 * `hexlog parse` on the bundled samples of the three built-in log types: inputs (arrays, pretty
 * JSON, gzip, stdin), --now/--seed, classification flags, dead-letter files. What each type
 * makes of its samples is tested in process in test/catalog/builtin-types.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, readLines, records, tempDir, testdata } from "../helpers/cli.js";

describe.concurrent("parse --type Hex.Audit", () => {
  it("gives the same records for NDJSON, a JSON-array body and pretty-printed values", async () => {
    const arr = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, testdata("hex", "audit-array.json")]);
    expect(arr.code).toBe(0);
    expect(records(arr.stdout)).toHaveLength(6);
    const pretty = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, testdata("hex", "audit-pretty.json")]);
    expect(pretty.code).toBe(0);
    expect(records(pretty.stdout)).toHaveLength(3);
    // The same event as NDJSON and pretty-printed normalizes to the same fields.
    const ev = JSON.parse(readFileSync(testdata("hex", "audit-array.json"), "utf8"))[0];
    const one = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { input: `${JSON.stringify(ev)}\n` });
    const strip = (o: Record<string, unknown>) => ({ ...o, p_row_id: undefined });
    expect(strip(records(one.stdout)[0] as Record<string, unknown>)).toEqual(strip(records(arr.stdout)[0] as Record<string, unknown>));
  });

  it("reads gzip input from files and from stdin, detected by magic bytes", async () => {
    const dir = tempDir();
    const text = readFileSync(testdata("hex", "audit.ndjson"));
    const file = join(dir, "audit.log"); // no .gz extension on purpose
    writeFileSync(file, gzipSync(text));
    const fromFile = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, file]);
    const fromStdin = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { input: gzipSync(text) });
    const plain = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, testdata("hex", "audit.ndjson")]);
    expect(fromFile.code).toBe(0);
    expect(records(fromFile.stdout)).toHaveLength(18);
    expect(fromStdin.stdout).toBe(plain.stdout);
  });

  it("is reproducible with --now and --seed", async () => {
    const a = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, testdata("hex", "audit.ndjson")]);
    const b = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, testdata("hex", "audit.ndjson")]);
    expect(a.stdout).toBe(b.stdout);
    const ids = records(a.stdout).map((r) => r.p_row_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives every record a unique p_row_id without --seed", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", testdata("hex", "audit.ndjson"), testdata("hex", "audit-array.json")]);
    const ids = records(r.stdout).map((x) => x.p_row_id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16,}$/);
  });
});

describe.concurrent("parse Auth0.Events and Panther.Audit", () => {
  it("classifies a mixed stream among all built-in types when no --type is given", async () => {
    const r = await hexlog(["parse", ...FIXED, testdata("mixed", "all-types.ndjson")]);
    expect(r.code).toBe(0);
    const byType = records(r.stdout).map((x) => x.p_log_type);
    const expected = Array.from({ length: 17 }, (_, i) => ["Hex.Audit", "Auth0.Events", "Panther.Audit"][i % 3]);
    expect(byType).toEqual(expected);
  });

  it("classifies only among the types given to --type, in that order", async () => {
    const r = await hexlog(["parse", "-t", "Auth0.Events", "Panther.Audit", ...FIXED, testdata("mixed", "all-types.ndjson")]);
    expect(r.code).toBe(1);
    expect(records(r.stdout)).toHaveLength(11);
    expect(r.stderr).toContain("all-types.ndjson:1: ");
    expect(r.stderr).toContain("matches none of 2 log types");
  });
});

describe.concurrent("dead letters", () => {
  const cases: Array<[string, string[], number[]]> = [
    ["malformed-json.ndjson", ["-t", "Hex.Audit"], [2, 4, 6, 7, 9]],
    ["missing-required.ndjson", ["-t", "Hex.Audit"], [2, 4, 6, 8, 10]],
    ["bad-timestamp.ndjson", ["-t", "Hex.Audit"], [2, 4, 6, 8, 10]],
    ["wrong-type.ndjson", ["-t", "Hex.Audit", "Auth0.Events"], [2, 4, 6, 8, 11]],
    ["not-an-object.ndjson", ["-t", "Hex.Audit"], [2, 4, 6]],
    ["mixed-garbage.ndjson", ["-t", "Hex.Audit"], [2, 4, 6, 8, 10, 13]],
    ["crlf-bom.ndjson", ["-t", "Hex.Audit"], []],
  ];
  for (const [file, typeArgs, badLines] of cases) {
    it(`accounts for every event of bad/${file}: records + dead letters = events, with file, line and raw text`, async () => {
      const dir = tempDir();
      const errors = join(dir, "dead.ndjson");
      const path = testdata("bad", file);
      const r = await hexlog(["parse", ...typeArgs, ...FIXED, "--errors", errors, path]);
      expect(r.code).toBe(badLines.length ? 1 : 0);
      const dead = badLines.length ? readLines(errors) : [];
      expect(dead.map((d) => d.line)).toEqual(badLines);
      const lines = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
      for (const d of dead) {
        expect(d.file).toBe(path);
        expect(typeof d.error).toBe("string");
        expect(lines[(d.line as number) - 1]?.startsWith(String(d.raw).split("\n")[0] as string)).toBe(true);
      }
      const stderrLines = r.stderr.split("\n").filter((l) => l.startsWith(`${path}:`));
      expect(stderrLines).toHaveLength(badLines.length);
      const nonBlank = lines.filter((l) => l.trim() !== "").length;
      // every physical line here is one event, except the broken-string pair, which are two errors
      expect(records(r.stdout).length + dead.length).toBe(nonBlank);
    });
  }

  it("names the field path inside arrays and the reason of a wrong type", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "Auth0.Events", ...FIXED, testdata("bad", "wrong-type.ndjson")]);
    expect(r.stderr).toMatch(/wrong-type\.ndjson:2: Hex\.Audit: event\.targets: expected an array, got "/);
    expect(r.stderr).toMatch(/wrong-type\.ndjson:11: Auth0\.Events: data\.location_info\.latitude: expected a number, got "north"/);
  });

  it("keeps the raw text of a bad event unmodified in the dead-letter file", async () => {
    const dir = tempDir();
    const errors = join(dir, "dead.ndjson");
    const raw = '{"source":"Hex","event":{"action":"LOGIN","actor":{"id":"u1"},"occurred_at":"yesterday"},  "x":"\\u00e9"}';
    await hexlog(["parse", "-t", "Hex.Audit", "--errors", errors, "-"], { input: `${raw}\n` });
    const [d] = readLines(errors);
    expect(d).toMatchObject({ file: "<stdin>", line: 1, logType: "Hex.Audit", raw });
    expect(String(d?.error)).toMatch(/^event\.occurred_at: /);
  });
});
