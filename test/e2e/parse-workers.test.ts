/**
 * `parse --workers N`: the same output as one worker — records, order, p_row_id, errors, dead
 * letters, line numbers — for every kind of input and every flag, also when batches are tiny
 * (HEXLOG_BATCH_BYTES), so that values, arrays and lines keep crossing batch cuts. The property
 * test on generated streams runs parseInParallel in process (test/pipeline/parallel.test.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, readLines, records, startHexlog, tempDir, testdata } from "../helpers/cli.js";

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  dead: string;
}

/** Runs parse with --errors into a temp file; returns everything it wrote. */
async function parse(args: string[], env: Record<string, string> = {}, input?: string | Buffer): Promise<Outcome> {
  const errors = join(tempDir(), "dead.ndjson");
  // Small inputs run on one thread unless told otherwise: these tests are about threads.
  const r = await hexlog(["parse", ...FIXED, "--errors", errors, ...args], { env: { HEXLOG_PARALLEL_MIN_BYTES: "0", ...env }, input });
  let dead = "";
  try {
    dead = readFileSync(errors, "utf8");
  } catch {
    // no dead letters file when nothing failed before the end
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, dead };
}

const ALL_SAMPLES = [
  testdata("hex", "audit.ndjson"),
  testdata("hex", "audit-array.json"),
  testdata("hex", "audit-pretty.json"),
  testdata("bad", "malformed-json.ndjson"),
  testdata("bad", "mixed-garbage.ndjson"),
  testdata("bad", "crlf-bom.ndjson"),
];

describe("parse --workers", () => {
  const cases: Array<[string, string[]]> = [
    ["NDJSON, arrays, pretty-printed values and broken lines, several files", ["-t", "Hex.Audit", ...ALL_SAMPLES]],
    ["classification among all types", [testdata("mixed", "all-types.ndjson"), testdata("bad", "wrong-type.ndjson")]],
    ["--pretty, errors inline", ["-t", "Hex.Audit", "--pretty", testdata("bad", "missing-required.ndjson"), testdata("hex", "audit-array.json")]],
    ["--indicators", ["--indicators", testdata("auth0", "events.ndjson"), testdata("mixed", "all-types.ndjson")]],
    ["--unknown-fields with source stamps", ["-t", "Hex.Audit", "--unknown-fields", "--source-id", "s1", "--source-label", "prod", testdata("hex", "audit.ndjson"), testdata("hex", "audit-array.json")]],
    ["--max-event-bytes", ["-t", "Hex.Audit", "--max-event-bytes", "900", testdata("hex", "audit.ndjson"), testdata("hex", "audit-pretty.json")]],
    ["--source from a sources file", ["--sources", testdata("sources", "list-sources.json"), "--source", "Webhooks", testdata("sources", "hex-and-auth0.ndjson")]],
  ];
  for (const [name, args] of cases) {
    it(`writes exactly what one worker writes: ${name}`, async () => {
      const one = await parse(args);
      expect(one.stdout.length).toBeGreaterThan(0);
      for (const batch of ["7", "300", undefined]) {
        const two = await parse(["--workers", "2", ...args], batch ? { HEXLOG_BATCH_BYTES: batch } : {});
        expect(two).toEqual(one);
      }
    });
  }

  it("reads gzip on stdin, and gives p_row_id values unique and reproducible with --seed", async () => {
    const input = gzipSync(readFileSync(testdata("hex", "audit.ndjson")).toString().repeat(30));
    const one = await parse(["-t", "Hex.Audit"], {}, input);
    const three = await parse(["-t", "Hex.Audit", "--workers", "3"], { HEXLOG_BATCH_BYTES: "2000" }, input);
    expect(three).toEqual(one);
    const ids = records(three.stdout).map((r) => r.p_row_id);
    expect(ids).toHaveLength(540);
    expect(new Set(ids).size).toBe(540);
  });

  it("parses text schemas whose lines stand alone on every thread, with the same output and counts", async () => {
    const schemas = ["apache-common.yml", "apache-combined.yml", "syslog.yml"].flatMap((f) => ["--schemas", testdata("schemas", "text", f)]);
    const args = [...schemas, "--schemas", testdata("schemas", "text-lines", "firewall-csv.yml"), testdata("text", "mixed", "access-and-syslog.log"), testdata("text", "firewall", "connections.csv"), testdata("text", "mixed", "json-and-syslog.log")];
    const stats = (o: Outcome) => JSON.parse(o.stderr.trim().split("\n").pop() as string) as { events: number; records: number; errors: number; skipped: number; threadBatches?: number[] };
    const one = await parse(args, { HEXLOG_STATS: "1" });
    expect(stats(one)).toMatchObject({ records: 121, errors: 9, skipped: 6 });
    for (const batch of ["7", "300", undefined]) {
      const two = await parse(["--workers", "2", ...args], { HEXLOG_STATS: "1", ...(batch ? { HEXLOG_BATCH_BYTES: batch } : {}) });
      const { threadBatches, ...counts } = stats(two);
      expect(threadBatches).toHaveLength(2);
      expect(counts).toMatchObject({ events: stats(one).events, records: 121, errors: 9, skipped: 6 });
      const withoutStats = (o: Outcome) => ({ ...o, stderr: o.stderr.split("\n").slice(0, -2).join("\n") });
      expect(withoutStats(two)).toEqual(withoutStats(one));
    }
  });

  it("reports a text line over --max-event-bytes once, across batch cuts, as one thread does", async () => {
    const syslog = readFileSync(testdata("text", "syslog", "messages.log"), "utf8");
    const input = `${syslog}Feb  5 17:32:18 web-01 sshd[1]: ${"z".repeat(5000)}\n${syslog}`;
    const args = ["--schemas", testdata("schemas", "text", "syslog.yml"), "-t", "Custom.Syslog", "--max-event-bytes", "1000"];
    const one = await parse(args, {}, input);
    expect(one.stderr).toContain(":10: Custom.Syslog: event exceeds the maximum size of 1000 bytes");
    for (const batch of ["64", "700", undefined]) {
      const two = await parse(["--workers", "2", ...args], batch ? { HEXLOG_BATCH_BYTES: batch } : {}, input);
      expect(two).toEqual(one);
    }
  });

  it("parses a CSV schema with a header on one thread, saying so, with the same output", async () => {
    const args = ["--schemas", testdata("schemas", "text", "logins-csv.yml"), "-t", "Custom.Logins", testdata("text", "csv", "logins-a.csv"), testdata("text", "csv", "logins-b.csv")];
    const one = await parse(args);
    const two = await parse(["--workers", "2", ...args]);
    expect(two.stderr).toBe(`note: a CSV schema with hasHeader reads each file's header first, so this run is parsed on one thread\n${one.stderr}`);
    expect({ ...two, stderr: "" }).toEqual({ ...one, stderr: "" });
  });

  it("ends a usage error at once although its workers were already started", async () => {
    const started = Date.now();
    const r = await hexlog(["parse", "-t", "Nope.Type", "--workers", "4", testdata("hex", "audit.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hexlog: unknown log type "Nope\.Type"\n/);
    // Workers left running would keep the process alive until killed; a few seconds is the bound.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("accepts --workers auto and refuses a count that is not a positive integer", async () => {
    const auto = await hexlog(["parse", "-t", "Hex.Audit", "--workers", "auto", ...FIXED, testdata("hex", "audit.ndjson")]);
    expect(auto.code).toBe(0);
    expect(records(auto.stdout)).toHaveLength(18);
    for (const bad of ["0", "two", "65"]) {
      const r = await hexlog(["parse", "-t", "Hex.Audit", "--workers", bad, testdata("hex", "audit.ndjson")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`hexlog: --workers must be an integer from 1 to 64, got "${bad}"`);
    }
  });

  it("parses on n threads: the main thread at once, the workers once they have booted", async () => {
    const lines = readFileSync(testdata("hex", "audit.ndjson"), "utf8").split("\n").filter(Boolean);
    const input = `${lines.join("\n")}\n`.repeat(40);
    const one = await parse(["-t", "Hex.Audit"], {}, input);
    for (const n of [2, 3]) {
      const run = startHexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", String(n)], { env: { HEXLOG_STATS: "1", HEXLOG_BATCH_BYTES: "4000", HEXLOG_PARALLEL_MIN_BYTES: "0" } });
      // The first lines are parsed by the main thread while the workers boot (boot takes
      // milliseconds; the rest comes far later), the rest is shared among all threads.
      run.stdin.write(`${lines[0]}\n`);
      await run.waitForStdout((s) => records(s).length === 1);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      run.stdin.end(input.slice((lines[0] as string).length + 1));
      const r = await run.done;
      expect(r.stdout).toBe(one.stdout);
      const stats = JSON.parse(r.stderr.trim().split("\n").pop() as string) as { threadBatches: number[] };
      expect(stats.threadBatches).toHaveLength(n);
      for (const batches of stats.threadBatches) expect(batches).toBeGreaterThan(0);
      // Batches of at most 4000 bytes, each counted once.
      const total = stats.threadBatches.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(input) / 4000));
      expect(total).toBeLessThan(Buffer.byteLength(input) / 2000);
    }
  });

  it("writes records of a stream as they come, before stdin ends", async () => {
    const lines = readFileSync(testdata("hex", "audit.ndjson"), "utf8").split("\n");
    const run = startHexlog(["parse", "-t", "Hex.Audit", "--workers", "2"], { env: { HEXLOG_PARALLEL_MIN_BYTES: "0" } });
    run.stdin.write(`${lines[0]}\n${lines[1]}\n`);
    await run.waitForStdout((s) => records(s).length === 2);
    run.stdin.end(`${lines[2]}\n`);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(records(r.stdout)).toHaveLength(3);
  });
});

describe("dead letters with --workers", () => {
  it("name the file and physical line of each failed event", async () => {
    const dir = tempDir();
    const errors = join(dir, "dead.ndjson");
    const path = testdata("bad", "malformed-json.ndjson");
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--workers", "2", "--errors", errors, path], { env: { HEXLOG_BATCH_BYTES: "64", HEXLOG_PARALLEL_MIN_BYTES: "0" } });
    expect(r.code).toBe(1);
    expect(readLines(errors).map((d) => [d.file, d.line])).toEqual([2, 4, 6, 7, 9].map((l) => [path, l]));
  });
});

describe("--workers on small inputs", () => {
  it("parses a small file on one thread, with the same output", async () => {
    const path = testdata("hex", "audit.ndjson");
    const stats = (stderr: string) => JSON.parse(stderr.trim().split("\n").pop() as string) as { records: number; threadBatches?: number[] };
    const one = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", path], { env: { HEXLOG_STATS: "1" } });
    const small = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", "2", path], { env: { HEXLOG_STATS: "1" } });
    expect(stats(small.stderr).threadBatches).toBeUndefined();
    expect(small.stdout).toBe(one.stdout);
    // The same file above the threshold is parsed on two threads.
    const forced = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", "2", path], { env: { HEXLOG_STATS: "1", HEXLOG_PARALLEL_MIN_BYTES: "100" } });
    expect(stats(forced.stderr).threadBatches).toHaveLength(2);
    expect(forced.stdout).toBe(one.stdout);
  });

  it("starts the workers of a large file before the command line loads, and replaces or stops those it cannot use", async () => {
    const path = testdata("hex", "audit.ndjson");
    const stats = (stderr: string) => JSON.parse(stderr.trim().split("\n").pop() as string) as { threadBatches?: number[]; workersFromBoot: boolean };
    const one = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", path]);
    const env = { HEXLOG_STATS: "1", HEXLOG_PARALLEL_MIN_BYTES: "100", HEXLOG_BATCH_BYTES: "2000" };
    const early = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers=2", path], { env });
    expect(stats(early.stderr)).toMatchObject({ threadBatches: [expect.any(Number), expect.any(Number)], workersFromBoot: true });
    expect(early.stdout).toBe(one.stdout);
    // Other heap limits: the workers boot.cjs started are stopped and new ones started.
    const limits = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", "2", "--max-event-bytes", "64k", path], { env });
    expect(stats(limits.stderr)).toMatchObject({ threadBatches: [expect.any(Number), expect.any(Number)], workersFromBoot: false });
    expect(limits.stdout).toBe(one.stdout);
    // A format parsed on one thread: they are stopped, and the run ends as usual.
    const lake = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", "2", "--format", "lake", path], { env });
    expect(lake.code).toBe(0);
    expect(stats(lake.stderr)).toMatchObject({ workersFromBoot: false });
    expect(stats(lake.stderr).threadBatches).toBeUndefined();
  });

  it("starts the workers of a pipe only once 4 MiB were read: a small input stays on the main thread, a large one is shared", async () => {
    const stats = (stderr: string) => JSON.parse(stderr.trim().split("\n").pop() as string) as { threadBatches: number[] };
    const block = readFileSync(testdata("hex", "audit.ndjson"), "utf8");
    const small = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", "2"], { env: { HEXLOG_STATS: "1" }, input: block });
    // Only the main thread is listed: no worker was started.
    expect(stats(small.stderr).threadBatches).toHaveLength(1);
    expect(small.stdout).toBe((await hexlog(["parse", ...FIXED, "-t", "Hex.Audit"], { input: block })).stdout);
    // 4.5 MiB, then, once the workers have had time to boot, 1 MiB more.
    const first = block.repeat(Math.ceil((4.5 * 1024 * 1024) / block.length));
    const rest = block.repeat(Math.ceil((1024 * 1024) / block.length));
    const firstRecords = first.split("\n").length - 1;
    const one = await hexlog(["parse", ...FIXED, "-t", "Hex.Audit"], { input: first + rest });
    const run = startHexlog(["parse", ...FIXED, "-t", "Hex.Audit", "--workers", "2"], { env: { HEXLOG_STATS: "1" } });
    run.stdin.write(first);
    // Lines counted as they come (stdout only grows).
    let lines = 0;
    let from = 0;
    await run.waitForStdout((s) => {
      for (let i = s.indexOf("\n", from); i >= 0; i = s.indexOf("\n", i + 1)) {
        lines++;
        from = i + 1;
      }
      return lines >= firstRecords;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    run.stdin.end(rest);
    const r = await run.done;
    expect(r.stdout).toBe(one.stdout);
    expect(stats(r.stderr).threadBatches).toHaveLength(2);
    expect(stats(r.stderr).threadBatches[1]).toBeGreaterThan(0);
  });
});
