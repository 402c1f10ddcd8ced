/**
 * Input meant to break things: every case ends with a clear outcome — records for what is
 * good, a dead letter per bad event, the right exit code, never a crash or a stack trace —
 * with one worker and with two.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, FIXED, hexlog, readLines, records, startHexlog, tempDir, testdata } from "../helpers/cli.js";

const HEX_LINES = readFileSync(testdata("hex", "audit.ndjson"), "utf8").split("\n").filter(Boolean);
const [GOOD1, GOOD2, GOOD3] = HEX_LINES as [string, string, string];
const STACK_TRACE = /\n\s+at .*(\.js|\.ts):\d+/;
/**
 * The oversized event: 1 MiB over a 256 KiB --max-event-bytes here; 20 MiB over the default
 * 10 MiB limit under `npm run stress` (bench/stress-faults.mjs sets HEXLOG_STRESS_BIG=1).
 */
const HUGE =
  process.env.HEXLOG_STRESS_BIG === "1"
    ? { label: "20 MiB", bytes: 20 * 1024 * 1024, flags: [], limit: 10 * 1024 * 1024 }
    : { label: "1 MiB", bytes: 1024 * 1024, flags: ["--max-event-bytes", "256k"], limit: 256 * 1024 };

/** Parses `input` (stdin) with --errors; returns the run, its records and dead letters. */
async function parseInput(input: string | Buffer, workers: string[], extra: string[] = [], env: Record<string, string> = {}) {
  const errors = join(tempDir(), "dead.ndjson");
  const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "--errors", errors, ...workers, ...extra], { input, env: { HEXLOG_BATCH_BYTES: "65536", HEXLOG_PARALLEL_MIN_BYTES: "0", ...env } });
  let dead: Array<Record<string, unknown>> = [];
  try {
    dead = readLines(errors);
  } catch {
    // no dead-letter file
  }
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect(r.stderr).not.toContain("internal error");
  return { ...r, recs: records(r.stdout), dead };
}

/** A deterministic stream of bytes (xorshift), not starting like gzip. */
function randomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  if (b[0] === 0x1f) b[0] = 0x20;
  return b;
}

for (const workers of [[], ["--workers", "2"]]) {
  const mode = workers.length === 0 ? "one worker" : "two workers";

  describe(`hostile input (${mode})`, () => {
    it("survives 1 MiB of random bytes: no records, a dead letter for every event", async () => {
      const r = await parseInput(randomBytes(1 << 20, 0x2545f491), workers, [], { HEXLOG_STATS: "1" });
      expect(r.code).toBe(1);
      expect(r.recs).toHaveLength(0);
      const stats = JSON.parse(r.stderr.trim().split("\n").pop() as string) as { events: number };
      expect(stats.events).toBeGreaterThan(100);
      expect(r.dead).toHaveLength(stats.events);
    });

    it("reads invalid UTF-8 as U+FFFD and fails only the lines it breaks", async () => {
      const [before, after] = GOOD1.split('"source":"Hex"') as [string, string];
      const bad = Buffer.concat([
        Buffer.from(`${before}"source":"H`),
        // a stray byte, an overlong "/", an encoded surrogate
        Buffer.from([0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
        Buffer.from(`x"${after}\n`),
        Buffer.from([0xfe, 0xfe]),
        Buffer.from(`${GOOD2}\n${GOOD3}\n`),
      ]);
      const r = await parseInput(bad, workers);
      expect(r.code).toBe(1);
      expect(r.recs).toHaveLength(2);
      expect(r.recs[0]?.source).toMatch(/^H\uFFFD+x$/);
      expect(r.dead.map((d) => d.line)).toEqual([2]);
      expect(String(r.dead[0]?.raw).startsWith("\uFFFD\uFFFD{")).toBe(true);
    });

    it(`reports a ${HUGE.label} event once (truncated dead letter) and parses the next event`, async () => {
      const huge = GOOD1.replace('"source":"Hex"', `"source":"${"x".repeat(HUGE.bytes)}"`);
      const r = await parseInput(`${GOOD2}\n${huge}\n${GOOD3}\n`, workers, HUGE.flags);
      expect(r.code).toBe(1);
      expect(r.recs.map((x) => x.keySuffix)).toEqual([JSON.parse(GOOD2).keySuffix, JSON.parse(GOOD3).keySuffix]);
      expect(r.dead).toHaveLength(1);
      expect(r.dead[0]).toMatchObject({ line: 2, truncated: true });
      expect(String(r.dead[0]?.error)).toContain(`exceeds the maximum size of ${HUGE.limit} bytes`);
      expect(String(r.dead[0]?.raw).length).toBeLessThanOrEqual(64 * 1024);
    });

    it("fails JSON nested 100,000 levels deep as an error, not a stack overflow", async () => {
      const n = 100_000;
      const objects = `${'{"event":'.repeat(n)}{}${"}".repeat(n)}`;
      const arrays = `${"[".repeat(n)}${"]".repeat(n)}`;
      const r = await parseInput(`${objects}\n${arrays}\n${GOOD1}\n`, workers);
      expect(r.code).toBe(1);
      expect(r.recs).toHaveLength(1);
      expect(r.dead.map((d) => d.line)).toEqual([1, 2]);
      const deepJson = await hexlog(["parse", "--schemas", testdata("schemas", "types.yml"), "-t", "Custom.Types", ...workers], {
        input: `{"j":${arrays}}\n{"s":"after"}\n`,
      });
      expect(deepJson.code).toBe(1);
      expect(records(deepJson.stdout).map((x) => x.s)).toEqual(["after"]);
      expect(deepJson.stderr).toMatch(/^<stdin>:1: Custom\.Types: /m);
      expect(deepJson.stderr).not.toMatch(STACK_TRACE);
    });

    it("treats __proto__, constructor and prototype keys as data, polluting nothing", async () => {
      const event = JSON.parse(GOOD1) as Record<string, Record<string, unknown>>;
      const hostile = GOOD1.replace("{", '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},').replace(
        '"actor":{',
        '"actor":{"__proto__":{"id":"forged"},"prototype":{"polluted":"yes"},',
      );
      const r = await parseInput(`${hostile}\n${GOOD2}\n`, workers, ["--unknown-fields"]);
      expect(r.code).toBe(0);
      expect(r.recs).toHaveLength(2);
      expect(r.stdout).not.toContain("polluted");
      expect(r.stdout).not.toContain("forged");
      expect((r.recs[0]?.event as Record<string, Record<string, unknown>>).actor?.id).toBe((event.event as Record<string, Record<string, unknown>>).actor?.id);
      expect(r.stderr).toMatch(/^ +__proto__ +1$/m);
      expect(r.stderr).toMatch(/^ +event\.actor\.__proto__ +1$/m);
    });

    it("keeps escaped NUL and control characters as data and fails raw NUL bytes", async () => {
      const escaped = GOOD1.replace('"source":"Hex"', '"source":"a\\u0000b\\u0001c"');
      const rawNul = GOOD2.replace('"source":"Hex"', '"source":"a\u0000b"');
      const r = await parseInput(`${escaped}\n${rawNul}\n\u0000\u0000\u0000\n${GOOD3}\n`, workers);
      expect(r.code).toBe(1);
      expect(r.recs.map((x) => x.source)).toEqual(["a\u0000b\u0001c", "Hex"]);
      expect(r.stdout).toContain('"source":"a\\u0000b\\u0001c"');
      expect(r.dead.map((d) => d.line)).toEqual([2, 3]);
      expect(r.dead[0]?.raw).toBe(rawNul);
    });

    it("parses an empty file, a file of blank lines and a closed stdin as zero events", async () => {
      const dir = tempDir();
      const empty = join(dir, "empty.ndjson");
      const blank = join(dir, "blank.ndjson");
      writeFileSync(empty, "");
      writeFileSync(blank, "\uFEFF\n   \r\n\t\n");
      const files = await hexlog(["parse", "-t", "Hex.Audit", ...workers, empty, blank]);
      expect(files).toMatchObject({ code: 0, stdout: "", stderr: "" });
      const closed = spawnSync("bash", ["-c", `HEXLOG_PARALLEL_MIN_BYTES=0 node ${BIN} parse -t Hex.Audit ${workers.join(" ")} <&-`], { encoding: "utf8" });
      expect(closed).toMatchObject({ status: 0, stdout: "", stderr: "" });
    });

    it("goes on after a file that disappeared before its turn came", async () => {
      const dir = tempDir();
      const gone = join(dir, "gone.ndjson");
      writeFileSync(gone, `${GOOD3}\n`);
      const run = startHexlog(["parse", "-t", "Hex.Audit", ...FIXED, ...workers, "-", gone, testdata("hex", "audit.ndjson")], { env: { HEXLOG_PARALLEL_MIN_BYTES: "0" } });
      run.stdin.write(`${GOOD1}\n`);
      await run.waitForStdout((s) => records(s).length === 1);
      unlinkSync(gone);
      run.stdin.end(`${GOOD2}\n`);
      const r = await run.done;
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`hexlog: cannot read ${gone}: no such file or directory`);
      expect(records(r.stdout)).toHaveLength(2 + HEX_LINES.length);
    });

    it("reads a named pipe given as a file, whose writer is slow to come", async () => {
      const fifo = join(tempDir(), "events.pipe");
      execFileSync("mkfifo", [fifo]);
      const run = startHexlog(["parse", "-t", "Hex.Audit", ...workers, fifo], { env: { HEXLOG_PARALLEL_MIN_BYTES: "0" } });
      // The writer opens the pipe only after hexlog has started, then writes in two goes.
      await new Promise((r) => setTimeout(r, 300));
      const writer = spawn("sh", ["-c", `{ printf '%s\\n' "$1"; sleep 0.2; printf '%s\\n' "$2"; } > "$3"`, "sh", GOOD1, GOOD2, fifo]);
      const written = new Promise((resolve) => writer.on("close", resolve));
      const r = await run.done;
      expect(await written).toBe(0);
      expect(r.code).toBe(0);
      expect(records(r.stdout)).toHaveLength(2);
    });

    it("reports the event cut off when stdin closes early, after the complete ones", async () => {
      const r = await parseInput(`${GOOD1}\n${GOOD2}\n${GOOD3.slice(0, 150)}`, workers);
      expect(r.code).toBe(1);
      expect(r.recs).toHaveLength(2);
      expect(r.dead).toHaveLength(1);
      expect(r.dead[0]).toMatchObject({ line: 3, raw: GOOD3.slice(0, 150) });
      expect(String(r.dead[0]?.error)).toMatch(/input ended/);
    });

    it("exits 130 on Ctrl-C while waiting for input, after writing what it parsed", async () => {
      const run = startHexlog(["parse", "-t", "Hex.Audit", ...workers], { env: { HEXLOG_PARALLEL_MIN_BYTES: "0" } });
      run.stdin.write(`${GOOD1}\n${GOOD2}\n${GOOD3}\n`);
      await run.waitForStdout((s) => records(s).length === 3);
      run.child.kill("SIGINT");
      const r = await run.done;
      expect(r.code).toBe(130);
      expect(records(r.stdout)).toHaveLength(3);
      expect(r.stderr).toBe("hexlog: interrupted after 3 events (partial output)\n");
    });

    it("exits 130 on Ctrl-C in the middle of a stream, leaving only whole records behind", async () => {
      const run = startHexlog(["parse", "-t", "Hex.Audit", ...workers], { env: { HEXLOG_PARALLEL_MIN_BYTES: "0" } });
      const block = `${HEX_LINES.join("\n")}\n`.repeat(200);
      let writing = true;
      void run.done.then(() => (writing = false));
      const feed = async (): Promise<void> => {
        while (writing) {
          if (!run.stdin.write(block)) await new Promise((r) => run.stdin.once("drain", r));
        }
      };
      void feed();
      await run.waitForStdout((s) => s.length > 100_000);
      run.child.kill("SIGINT");
      const r = await run.done;
      expect(r.code).toBe(130);
      const lines = r.stdout.split("\n");
      expect(lines.pop()).toBe("");
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(r.stderr).toMatch(/^hexlog: interrupted after [\d,]+ events \(partial output\)\n$/);
    });

    it("stops quietly when piped into head", () => {
      const big = `${HEX_LINES.join("\n")}\n`.repeat(2000);
      const r = spawnSync("bash", ["-c", `HEXLOG_PARALLEL_MIN_BYTES=0 node ${BIN} parse -t Hex.Audit ${workers.join(" ")} | head -n 2; echo "exit=\${PIPESTATUS[0]}"`], { input: big, encoding: "utf8" });
      expect(r.stdout.split("\n").filter((l) => l.startsWith("{"))).toHaveLength(2);
      expect(r.stdout).toContain("exit=0");
      expect(r.stderr).toBe("");
    });
  });
}
