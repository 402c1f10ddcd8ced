/**
 * Fault injection (small sizes; `npm run stress` runs the big ones): every event decoded is a
 * record or a dead letter, no line is cut, and the exit code says what happened.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, readLines, records, tempDir, testdata } from "../helpers/cli.js";

const HEX = testdata("hex", "audit.ndjson");
const hexText = readFileSync(HEX, "utf8");
const hexEvents = hexText.split("\n").filter((l) => l.trim() !== "").length;

describe("faults in the input", () => {
  it("parses every event of a gzip file followed by plain text, then reports the trailing bytes (exit 1)", async () => {
    const dir = tempDir();
    const gz = gzipSync(hexText);
    const path = join(dir, "trailing.gz");
    writeFileSync(path, Buffer.concat([gz, Buffer.from(hexText)]));
    const errors = join(dir, "dead.ndjson");
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "--errors", errors, path]);
    expect(records(r.stdout)).toHaveLength(hexEvents);
    expect(r.stderr).toContain(`${path}: data after the end of the gzip data at byte ${gz.length} is not gzip`);
    expect(r.code).toBe(1);
  });

  it("parses concatenated gzip members, on a file and on stdin", async () => {
    const dir = tempDir();
    const path = join(dir, "two.gz");
    writeFileSync(path, Buffer.concat([gzipSync(hexText), gzipSync(hexText)]));
    const file = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, path]);
    const piped = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { input: readFileSync(path) });
    expect([records(file.stdout).length, file.code]).toEqual([2 * hexEvents, 0]);
    expect(piped.stdout).toBe(file.stdout);
  });

  it("reads two files with a BOM each, concatenated on stdin, without losing the second one's first event", async () => {
    const withBom = `\uFEFF${hexText}`;
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { input: withBom + withBom });
    expect([records(r.stdout).length, r.code]).toEqual([2 * hexEvents, 0]);
  });

  it("reads top-level arrays after a lone [ as arrays: only the [ is a dead letter", async () => {
    const dir = tempDir();
    const errors = join(dir, "dead.ndjson");
    const lines = hexText.trim().split("\n");
    const input = `[\n${lines[0]}\n[${lines[1]},${lines[2]}]\n${lines[3]}\n`;
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "--errors", errors], { input });
    expect(records(r.stdout)).toHaveLength(4);
    expect(readLines(errors).map((d) => [d.line, d.error])).toEqual([[1, "unterminated JSON array (line 3 starts a new value)"]]);
  });
});

describe("faults in the configuration (exit 2 before reading input)", () => {
  it("refuses --max-event-bytes beyond what an event can be held in", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--max-event-bytes", "2000000000", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hexlog: --max-event-bytes must be at most 268435456 (256 MiB, the largest event hexlog can hold), got "2000000000"\n');
    expect(r.stdout).toBe("");
  });

  it("refuses a device as a schema instead of reading it (validate-schema /dev/zero, -s x.yml /dev/null)", async () => {
    const zero = await hexlog(["validate-schema", "/dev/zero"]);
    expect([zero.code, zero.stderr]).toEqual([2, "hexlog: cannot read /dev/zero: a character device, not a file\n"]);
    const dir = tempDir();
    const schema = join(dir, "x.yml");
    writeFileSync(schema, readFileSync(testdata("schemas", "text", "syslog.yml")));
    const r = await hexlog(["parse", "-s", schema, "/dev/null"], { input: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/dev/null: cannot read: /dev/null: a character device, not a file");
  });
});
