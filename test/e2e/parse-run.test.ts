/**
 * parse as people and scripts use it: directories as inputs, where records, errors and dead
 * letters go (-o, --errors -, --pretty, -q), caps (--max-errors, --fail-fast), run summaries
 * (--stats, interrupted runs, --unknown-fields) and progress on a terminal.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, FIXED, hexlog, readLines, records, startHexlog, tempDir, testdata } from "../helpers/cli.js";
import { hexlogOnTty } from "../helpers/tty.js";

const HEX = testdata("hex", "audit.ndjson");
const HEX_LINES = readFileSync(HEX, "utf8").split("\n").filter(Boolean);
const MISSING = testdata("bad", "missing-required.ndjson");
const NO_COLOR = { NO_COLOR: "1" };

/** A directory of inputs: a.ndjson (good), sub/b.ndjson (5 of 11 bad), hidden files to skip. */
function inputDir(): string {
  const dir = join(tempDir(), "logs");
  mkdirSync(join(dir, "sub"), { recursive: true });
  mkdirSync(join(dir, ".git"));
  writeFileSync(join(dir, "a.ndjson"), readFileSync(HEX));
  writeFileSync(join(dir, "sub", "b.ndjson"), readFileSync(MISSING));
  writeFileSync(join(dir, ".hidden.ndjson"), "not json\n");
  writeFileSync(join(dir, ".git", "x.ndjson"), "not json\n");
  return dir;
}

describe("directories as inputs", () => {
  it("reads the files inside, sorted and recursively, skipping hidden ones", async () => {
    const dir = inputDir();
    const errors = join(tempDir(), "dead.ndjson");
    const r = await hexlog(["parse", "-t", "Hex.Audit", dir, "--errors", errors, ...FIXED]);
    expect(r.code).toBe(1);
    const dead = readLines(errors);
    expect(records(r.stdout).length + dead.length).toBe(HEX_LINES.length + readFileSync(MISSING, "utf8").split("\n").filter(Boolean).length);
    expect(new Set(dead.map((d) => d.file))).toEqual(new Set([join(dir, "sub", "b.ndjson")]));
    expect(r.stderr).not.toContain("hidden");
  });

  it("makes the main help's example work: hexlog parse DIR --pretty", async () => {
    const dir = join(tempDir(), "samples");
    mkdirSync(dir);
    writeFileSync(join(dir, "one.ndjson"), `${HEX_LINES[0]}\n`);
    const r = await hexlog(["parse", dir, "--pretty", ...FIXED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"p_log_type": "Hex.Audit"');
  });

  it("refuses an empty directory before reading (exit 2)", async () => {
    const dir = join(tempDir(), "empty");
    mkdirSync(dir);
    const r = await hexlog(["parse", "-t", "Hex.Audit", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`hexlog: no input files in ${dir} (hidden files are skipped)\n`);
  });
});

describe("log type words after -t", () => {
  it("a case slip is an unknown log type with the right name, not a missing file", async () => {
    for (const [word, hint] of [
      ["Auth0.events", "Auth0.Events"],
      ["hex.audit", "Hex.Audit"],
    ]) {
      const r = await hexlog(["parse", "-t", word as string, HEX]);
      expect(r.code, word).toBe(2);
      expect(r.stderr.split("\n")[0]).toBe(`hexlog: unknown log type "${word}" (did you mean ${hint}?)`);
    }
  });

  it("takes spaces after commas", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit, Auth0.Events", HEX, ...FIXED]);
    expect(r.code).toBe(0);
    expect(records(r.stdout)).toHaveLength(HEX_LINES.length);
  });

  it("still reads a file name after -t as an input", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "missing.ndjson"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hexlog: cannot read missing.ndjson: no such file or directory\n");
  });
});

describe("where things go", () => {
  it("-o writes records to a file, stdout stays empty", async () => {
    const out = join(tempDir(), "records.ndjson");
    const r = await hexlog(["parse", "-t", "Hex.Audit", HEX, "-o", out, ...FIXED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readLines(out)).toHaveLength(HEX_LINES.length);
  });

  it("--errors - puts dead letters on stdout when records go to -o", async () => {
    const out = join(tempDir(), "records.ndjson");
    const r = await hexlog(["parse", "-t", "Hex.Audit", MISSING, "-o", out, "--errors", "-"]);
    expect(r.code).toBe(1);
    const dead = records(r.stdout);
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.every((d) => typeof d.raw === "string" && d.file === MISSING)).toBe(true);
    expect(readLines(out).every((x) => x.p_log_type === "Hex.Audit")).toBe(true);
  });

  it("--errors - without -o is refused, and creates no file named -", async () => {
    const cwd = tempDir();
    const r = await hexlog(["parse", "-t", "Hex.Audit", join(process.cwd(), HEX), "--errors", "-"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--errors - would mix dead letters into the records on stdout");
    expect(() => statSync(join(cwd, "-"))).toThrow();
  });

  it("-q keeps the error lines (the findings) and drops the summary and notes", async () => {
    const r = await hexlogOnTty(["parse", "-q", "-t", "Hex.Audit", MISSING], NO_COLOR);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${MISSING}:2: Hex.Audit: event.occurred_at: required field is missing`);
    expect(r.stdout).not.toMatch(/events? →/);
  });

  it("says that --pretty does not apply to --indicators, and that --sources needs --source", async () => {
    const both = await hexlog(["parse", "-t", "Hex.Audit", HEX, "--indicators", "--pretty"]);
    expect(both.code).toBe(0);
    expect(both.stderr).toContain("note: --pretty does not apply to --indicators");
    const sources = await hexlog(["parse", "-t", "Hex.Audit", HEX, "--sources", testdata("sources", "sources.yml")]);
    expect(sources.code).toBe(0);
    expect(sources.stderr).toContain("note: --sources is read only with --source <label|id>");
    const fromEnv = await hexlog(["parse", "-t", "Hex.Audit", HEX], { env: { HEXLOG_SOURCES: testdata("sources", "sources.yml") } });
    expect(fromEnv.stderr).toBe("");
  });
});

describe("error caps", () => {
  it("--max-errors prints N error lines and counts the rest; the dead letters get all", async () => {
    const errors = join(tempDir(), "dead.ndjson");
    const r = await hexlog(["parse", "-t", "Auth0.Events", HEX, "--max-errors", "3", "--errors", errors]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines.slice(0, 3).every((l) => l.startsWith(`${HEX}:`))).toBe(true);
    expect(lines[3]).toBe(`${HEX_LINES.length - 3} more errors not shown (--max-errors 3); every failed event is in ${errors}`);
    expect(lines).toHaveLength(4);
    expect(readLines(errors)).toHaveLength(HEX_LINES.length);
  });

  it("--fail-fast stops at the first failed event with exit 1", async () => {
    const errors = join(tempDir(), "dead.ndjson");
    const input = `${HEX_LINES[0]}\n{"source":"Hex"}\n${HEX_LINES.slice(1).join("\n")}\n`;
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--fail-fast", "--errors", errors, ...FIXED], { input });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("hexlog: stopped at the first failed event (--fail-fast)");
    expect(readLines(errors)).toHaveLength(1);
    expect(records(r.stdout)).toHaveLength(1);
  });
});

describe("run summaries", () => {
  it("--stats json prints the run summary for programs on stderr; --stats-file writes it", async () => {
    const file = join(tempDir(), "stats.json");
    const r = await hexlog(["parse", "-t", "Hex.Audit", HEX, MISSING, "--stats", "json", "--stats-file", file]);
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stderr.trim().split("\n").pop() as string) as Record<string, unknown>;
    expect(last).toMatchObject({ interrupted: false, errorsNotShown: 0 });
    expect(last.events).toBe((last.records as number) + (last.errors as number));
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ events: last.events, records: last.records, errors: last.errors });
  });

  it("--stats takes json only (exit 2)", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", HEX, "--stats", "yaml"]);
    expect(r.code).toBe(2);
  });

  it("says a run cut short by Ctrl-C is partial", async () => {
    const run = startHexlog(["parse", "-t", "Hex.Audit", ...FIXED]);
    run.stdin.write(`${HEX_LINES[0]}\n`);
    await run.waitForStdout((s) => s.includes("\n"));
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("hexlog: interrupted after 1 event (partial output)");
  });

  it("--unknown-fields says which events it counted, and =json gives programs a document", async () => {
    const extra = HEX_LINES[0]?.replace('{"source":"Hex"', '{"source":"Hex","extra\\u001b[2J":1') as string;
    const input = `${extra}\n{"source":"Hex"}\n`;
    const text = await hexlog(["parse", "-t", "Hex.Audit", "--unknown-fields", ...FIXED], { input });
    expect(text.stderr).toContain("unknown fields in 1 parsed event; 1 failed event not counted");
    expect(text.stderr).toContain("extra\\u001b[2J  1");
    expect(text.stderr).not.toContain("\u001b");
    const json = await hexlog(["parse", "-t", "Hex.Audit", "--unknown-fields=json", ...FIXED], { input });
    const doc = JSON.parse(json.stderr.trim().split("\n").pop() as string) as unknown;
    expect(doc).toEqual({ counted: 1, failed: 1, fields: [{ path: "extra\u001b[2J", count: 1 }] });
  });
});

describe("classification failures", () => {
  const EVENT = '{"ts":"2024-06-01T12:00:01","action":"login"}\n';

  it("lists each candidate's first error under the error line on a terminal", async () => {
    const file = join(tempDir(), "app.ndjson");
    writeFileSync(file, EVENT);
    const r = await hexlogOnTty(["parse", "-s", testdata("classify"), file], NO_COLOR);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.includes("Custom.MyApp came closest"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toMatch(/^ {2}Custom\.MyApp: ts: "2024-06-01T12:00:01" does not match %Y-%m-%d %H:%M:%S/);
    expect(lines.slice(at + 2, at + 5).map((l) => l.trim().split(":")[0]).sort()).toEqual(["Auth0.Events", "Hex.Audit", "Panther.Audit"]);
  });

  it("keeps stderr to one line per event when it is not a terminal", async () => {
    const r = await hexlog(["parse", "-s", testdata("classify")], { input: EVENT });
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("puts every candidate's error in the dead letter, closest first", async () => {
    const errors = join(tempDir(), "dead.ndjson");
    await hexlog(["parse", "-s", testdata("classify"), "--errors", errors], { input: EVENT });
    const [dead] = readLines(errors) as [{ candidates: Array<{ logType: string; error: string }> }];
    expect(dead.candidates.map((c) => c.logType)[0]).toBe("Custom.MyApp");
    expect(dead.candidates).toHaveLength(4);
    expect(dead.candidates.find((c) => c.logType === "Hex.Audit")?.error).toBe("event: required field is missing");
  });

  it("gives the same dead letters with two workers", async () => {
    const one = join(tempDir(), "one.ndjson");
    const two = join(tempDir(), "two.ndjson");
    const input = EVENT.repeat(3) + HEX_LINES.join("\n") + "\n";
    await hexlog(["parse", "-s", testdata("classify"), "--errors", one, ...FIXED], { input });
    await hexlog(["parse", "-s", testdata("classify"), "--errors", two, "--workers", "2", ...FIXED], { input, env: { HEXLOG_BATCH_BYTES: "1024", HEXLOG_PARALLEL_MIN_BYTES: "0" } });
    expect(readFileSync(two, "utf8")).toBe(readFileSync(one, "utf8"));
  });
});

describe("progress on a terminal", () => {
  it("shows bytes read of the total and a percentage for regular files", async () => {
    const r = await hexlogOnTty(["parse", "-t", "Hex.Audit", HEX, "-o", join(tempDir(), "out.ndjson")], NO_COLOR, { spinner: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/[0-9.]+ KiB of [0-9.]+ KiB \(\d+%\)/);
  });
});

describe("hexlog test", () => {
  it("says an empty test file has no tests", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "new_tests.yml"), "");
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(`hexlog: no tests in ${join(dir, "new_tests.yml")}`);
  });
});

describe("HEXLOG_STATS", () => {
  it("reports hexlog's own peak memory, not that of the larger process that started it", async () => {
    // The parent touches 300 MB, then runs hexlog: the kernel's getrusage peak would carry the 300 MB over.
    const script = `const big = Buffer.alloc(300e6, 1);
      const r = require("node:child_process").spawnSync(process.execPath, [process.argv[1], "parse", "-t", "Hex.Audit", "-q", process.argv[2]], { env: { ...process.env, HEXLOG_STATS: "1" }, encoding: "utf8" });
      process.stdout.write(r.stderr + String(big[0]));`;
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(process.execPath, ["-e", script, BIN, HEX], { encoding: "utf8" });
    const stats = JSON.parse(out.split("\n").filter((l) => l.startsWith("{")).pop() as string) as { records: number; maxRssBytes: number };
    expect(stats.records).toBe(18);
    expect(stats.maxRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(stats.maxRssBytes).toBeLessThan(200 * 1024 * 1024);
  });
});
