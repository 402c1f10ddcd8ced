/**
 * Fault injection (small sizes; `npm run stress` runs the big ones): every event decoded is a
 * record or a dead letter, no line is cut, and the exit code says what happened.
 */
import { spawnSync } from "node:child_process";
import { closeSync, linkSync, openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { connect } from "node:net";
import { BIN, FIXED, hexlog, readLines, records, startHexlog, tempDir, testdata } from "../helpers/cli.js";
import { send, startServer } from "../helpers/serve.js";

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
    for (const command of ["validate-schema", "test"]) {
      const zero = await hexlog([command, "/dev/zero"]);
      expect([zero.code, zero.stderr]).toEqual([2, "hexlog: cannot read /dev/zero: a character device, not a file\n"]);
    }
    const dir = tempDir();
    const schema = join(dir, "x.yml");
    writeFileSync(schema, readFileSync(testdata("schemas", "text", "syslog.yml")));
    // After -s, a device is an input (as a non-YAML file is), never a schema.
    const r = await hexlog(["parse", "-s", schema, "/dev/null"], { input: "" });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
  });

  it("refuses --errors, or stdout, that is the same file as an input, also through a symbolic or hard link", async () => {
    const dir = tempDir();
    const input = join(dir, "x.ndjson");
    writeFileSync(input, hexText);
    symlinkSync(input, join(dir, "soft.ndjson"));
    linkSync(input, join(dir, "hard.ndjson"));
    for (const name of ["x.ndjson", "soft.ndjson", "hard.ndjson"]) {
      const errors = join(dir, name);
      const r = await hexlog(["parse", "-t", "Hex.Audit", input, "--errors", errors]);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toBe(`hexlog: --errors ${errors} is the input ${input}: writing it would destroy what is being read; write somewhere else\n`);
    }
    // -o, the records' file, likewise.
    const viaO = await hexlog(["parse", "-t", "Hex.Audit", input, "-o", join(dir, "hard.ndjson")]);
    expect([viaO.code, viaO.stdout, viaO.stderr]).toEqual([2, "", `hexlog: -o ${join(dir, "hard.ndjson")} is the input ${input}: writing it would destroy what is being read; write somewhere else\n`]);
    // stdout appended to the input (`>> x.ndjson`): reading it would never end.
    const out = openSync(input, "a");
    const r = spawnSync(process.execPath, [BIN, "parse", "-t", "Hex.Audit", input], { stdio: ["ignore", out, "pipe"], encoding: "utf8" });
    closeSync(out);
    expect([r.status, r.stderr]).toEqual([2, `hexlog: stdout is the input ${input}: writing it would destroy what is being read; write somewhere else\n`]);
    expect(readFileSync(input, "utf8")).toBe(hexText);
  });

  it("refuses an --errors path that cannot be written before reading any input", async () => {
    const dir = tempDir();
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--errors", dir, HEX]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", `hexlog: cannot write ${dir}: is a directory\n`]);
    const missing = join(dir, "no", "such", "dir.ndjson");
    const r2 = await hexlog(["parse", "-t", "Hex.Audit", "--errors", missing, HEX]);
    expect([r2.code, r2.stdout, r2.stderr]).toEqual([2, "", `hexlog: cannot write ${missing}: no such file or directory\n`]);
  });
});

describe("faults in the outputs (exit 3)", () => {
  it("exits 3 with one line when stdout is a full disk (/dev/full)", () => {
    const full = openSync("/dev/full", "w");
    const r = spawnSync(process.execPath, [BIN, "parse", "-t", "Hex.Audit", HEX], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
    closeSync(full);
    expect([r.status, r.stderr]).toEqual([3, "hexlog: cannot write output: no space left on device\n"]);
  });

  it("exits 3 when the dead-letter file is a full disk, after writing every record", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "-q", "--errors", "/dev/full", testdata("bad", "malformed-json.ndjson")]);
    expect(r.code).toBe(3);
    // -q keeps the events' error lines; the run ends on the one about the output.
    expect(r.stderr.trimEnd().split("\n").pop()).toBe("hexlog: cannot write /dev/full: no space left on device");
    const whole = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "-q", testdata("bad", "malformed-json.ndjson")]);
    expect(r.stdout).toBe(whole.stdout);
  });
});

describe("signals mid-run", () => {
  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
    it(`stops on ${signal} like Ctrl-C: whole lines flushed, dead letters and records add up, exit 130`, async () => {
      const dir = tempDir();
      const errors = join(dir, "dead.ndjson");
      const run = startHexlog(["parse", "-t", "Hex.Audit", ...FIXED, "--errors", errors]);
      const lines = hexText.trim().split("\n");
      // Events, one malformed, then a line left unfinished: stdin stays open.
      run.stdin.write(`${lines.slice(0, 5).join("\n")}\n{"broken\n${lines[5]?.slice(0, 40)}`);
      await run.waitForStdout((out) => out.split("\n").length > 5);
      await new Promise((resolve) => setTimeout(resolve, 100));
      run.child.kill(signal);
      const r = await run.done;
      expect(r.code).toBe(130);
      expect(r.stdout.endsWith("\n")).toBe(true);
      expect(records(r.stdout)).toHaveLength(5);
      expect(readLines(errors).map((d) => d.line)).toEqual([6]);
    });
  }
});

describe("serve under faults", () => {
  it("refuses to listen beyond loopback without authentication unless --no-auth is given", async () => {
    const r = await hexlog(["serve", "-t", "Hex.Audit", "--host", "0.0.0.0", "--port", "0"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      "hexlog: no authentication on 0.0.0.0, which other machines can reach: give --secret-header or --bearer, or --no-auth to allow anyone\n",
    ]);
    const s = await startServer(["-t", "Hex.Audit", "--host", "0.0.0.0", "--no-auth", "-q"]);
    const done = await s.stop("SIGTERM");
    expect(done.code).toBe(0);
  });

  it("refuses -o and --errors naming the same file, before listening", async () => {
    const dir = tempDir();
    const out = join(dir, "out.ndjson");
    writeFileSync(out, "");
    const r = await hexlog(["serve", "-t", "Hex.Audit", "--port", "0", "-o", out, "--errors", out]);
    expect([r.code, r.stderr]).toEqual([2, `hexlog: --errors ${out} is the input ${out}: writing it would destroy what is being read; write somewhere else\n`]);
  });

  it("answers 503 with Retry-After beyond --max-connections bodies at once, and 200 again once one is done", async () => {
    const s = await startServer(["-t", "Hex.Audit", "-q", "--max-connections", "1", ...FIXED]);
    try {
      const { port } = new URL(s.url);
      // One body that never finishes holds the only slot.
      const sock = connect(Number(port), "127.0.0.1");
      sock.on("error", () => undefined);
      await new Promise<void>((resolve) => sock.on("connect", () => resolve()));
      sock.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${hexText.length}\r\n\r\n{`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const busy = await send(s.url, { body: hexText });
      expect([busy.status, busy.headers["retry-after"], busy.json.error]).toEqual([503, "1", "too many requests in flight; retry later"]);
      sock.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const ok = await send(s.url, { body: hexText });
      expect([ok.status, ok.json.records]).toEqual([200, hexEvents]);
    } finally {
      const done = await s.stop("SIGTERM");
      expect(records(done.stdout)).toHaveLength(hexEvents);
    }
  });

  it("exits 130 at the --shutdown-timeout deadline when stdout is not read, instead of waiting forever", async () => {
    const s = await startServer(["-t", "Hex.Audit", "-q", "--shutdown-timeout", "1", ...FIXED]);
    // Nobody reads stdout: once the pipe is full, requests wait for it.
    s.child.stdout.pause();
    s.child.stdout.removeAllListeners("data");
    const big = Buffer.from(hexText.repeat(40));
    const replies = Array.from({ length: 20 }, () => send(s.url, { body: big }).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    s.child.kill("SIGTERM");
    const done = await s.exited;
    expect(done.code).toBe(130);
    expect(done.stderr).toMatch(/shutdown deadline \(1 s, --shutdown-timeout\) passed/);
    // The output stalled, so not every request could be acknowledged; the deadline still held.
    const answered = (await Promise.all(replies)).filter((r) => r?.status === 200).length;
    expect(answered).toBeLessThan(20);
  });
});
