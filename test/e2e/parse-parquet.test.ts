/** `hexlog parse --format parquet|lake`: what only a process shows (flags checked before input, exit codes, Ctrl-C). */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXED, hexlog, records, startHexlog, tempDir, testdata } from "../helpers/cli.js";
import { openDuck, type Duck } from "../helpers/duckdb.js";

const HEX = testdata("hex", "audit.ndjson");
const HEX_LINES = readFileSync(HEX, "utf8").trim().split("\n");

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

let duck: Duck;
const dirs: string[] = [];
beforeAll(async () => {
  duck = await openDuck();
});
afterAll(() => {
  duck.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function outDir(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d, "out");
}

describe("parse --format parquet", () => {
  it("writes one file per log type and day that DuckDB reads, with a summary on stderr", async () => {
    const out = outDir();
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "--format", "parquet", "--out", out, HEX]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${HEX_LINES.length} rows in 1 Parquet file under ${out}\n`);
    expect(files(out)).toEqual([expect.stringMatching(/^Hex\.Audit\/dt=2024-05-14\/part-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}-00001\.parquet$/)]);
    const ndjson = records((await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, HEX])).stdout);
    const rows = await duck.rows(`select p_row_id, event.action as action, p_any_emails from '${out}/Hex.Audit/**/*.parquet' order by p_row_id`);
    expect(rows).toEqual(
      ndjson
        .map((o) => ({ p_row_id: o.p_row_id, action: (o.event as { action: string }).action, p_any_emails: o.p_any_emails ?? null }))
        .sort((a, b) => String(a.p_row_id).localeCompare(String(b.p_row_id))),
    );
  });

  it("checks its flags before reading any input (exit 2)", async () => {
    const noOut = await hexlog(["parse", "-t", "Hex.Audit", "--format", "parquet"], { input: "not read" });
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--format parquet writes files: give the directory with --out DIR");
    const outWithoutParquet = await hexlog(["parse", "-t", "Hex.Audit", "--out", outDir(), HEX]);
    expect(outWithoutParquet.code).toBe(2);
    expect(outWithoutParquet.stderr).toBe("hexlog: --out DIR is for --format parquet\n");
    const d = tempDir();
    dirs.push(d);
    writeFileSync(join(d, "file"), "");
    const notADir = await hexlog(["parse", "-t", "Hex.Audit", "--format", "parquet", "--out", join(d, "file", "out"), HEX]);
    expect(notADir.code).toBe(2);
    expect(notADir.stderr).toBe(`hexlog: --out: cannot create ${join(d, "file", "out")}: a part of the path is a file, not a directory\n`);
    const pretty = await hexlog(["parse", "-t", "Hex.Audit", "--format", "parquet", "--out", outDir(), "--pretty", HEX]);
    expect(pretty.code).toBe(2);
  });

  it("turns a record the files cannot hold into a dead letter (exit 1)", async () => {
    const out = outDir();
    const dead = join(out, "..", "dead.ndjson");
    mkdirSync(out, { recursive: true });
    const early = (HEX_LINES[0] as string).replace('"occurred_at":"2024-05-14T08:57:12.204Z"', '"occurred_at":"1600-01-01T00:00:00Z"');
    const r = await hexlog(["parse", "-t", "Hex.Audit", "-q", "--format", "parquet", "--out", out, "--errors", dead], { input: `${early}\n${HEX_LINES[1]}\n` });
    expect(r.code).toBe(1);
    expect(records(readFileSync(dead, "utf8"))).toEqual([
      expect.objectContaining({ line: 1, logType: "Hex.Audit", raw: early, error: expect.stringContaining("outside the range of Parquet nanosecond timestamps") }),
    ]);
    expect(await duck.rows(`select count(*) as n from '${out}/**/*.parquet'`)).toEqual([{ n: "1" }]);
  });

  it("finishes its files on Ctrl-C: exit 130, every file complete, none left under a temporary name", async () => {
    const out = outDir();
    const run = startHexlog(["parse", "-t", "Hex.Audit", "--format", "parquet", "--out", out]);
    const n = 500;
    // The failing last event shows on stderr once every event before it was taken.
    const lines = Array.from({ length: n }, (_, i) => HEX_LINES[i % HEX_LINES.length] as string);
    run.stdin.write(`${lines.join("\n")}\n{}\n`);
    await run.waitForStderr((s) => s.includes(`<stdin>:${n + 1}: Hex.Audit`));
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(files(out).every((f) => f.endsWith(".parquet") && !f.includes("/."))).toBe(true);
    expect(await duck.rows(`select count(*) as n from '${out}/**/*.parquet'`)).toEqual([{ n: String(n) }]);
  });
});

describe("parse --format lake", () => {
  it("writes records with data-lake timestamps", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "--format", "lake", HEX]);
    expect(r.code).toBe(0);
    const [first] = records(r.stdout);
    expect(first).toMatchObject({ timestamp: "2024-05-14 08:57:13.514000000", p_event_time: "2024-05-14 08:57:12.204000000", p_parse_time: "2026-11-21 12:00:00.000000000" });
  });
});
