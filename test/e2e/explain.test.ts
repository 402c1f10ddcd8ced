/**
 * `hexlog explain` as a user runs it: argv, exit codes, stdout/stderr, a terminal. What a trace
 * holds is tested in-process (test/tools/explain.test.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, startHexlog, tempDir, testdata } from "../helpers/cli.js";
import { hexlogOnTty } from "../helpers/tty.js";

const NOW = ["--now", "2026-12-06T00:00:00Z"];
/** Control characters, DEL, C1 controls, bidi controls and line separators: none may reach a terminal raw. */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const LOGIN = ["-s", testdata("explain", "Custom.Login.yml")];

describe.concurrent("hexlog explain", () => {
  it("shows every candidate's error when no log type reads the event, the closest marked, and exits 1", async () => {
    const r = await hexlog(["explain", ...NOW, "--line", "2", testdata("bad", "missing-required.ndjson")]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("── testdata/bad/missing-required.ndjson:2 · 728 bytes · one JSON value");
    expect(lines.slice(1, 5)).toEqual([
      "classification (3 candidates, in order; the first that reads the event wins):",
      "  ✗ Hex.Audit      event.occurred_at: required field is missing  ← came closest",
      "  ✗ Auth0.Events   log_id: required field is missing",
      "  ✗ Panther.Audit  actionName: required field is missing",
    ]);
    expect(r.stdout).toContain("  event.occurred_at  timestamp required\n      isEventTime: no value here\n      ✗ required field is missing\n");
    expect(lines.at(-2)).toBe("result: error: Hex.Audit: event.occurred_at: required field is missing (matches none of 3 log types; Hex.Audit came closest)");
    expect(r.stderr).toBe("");
  });

  it("explains the first n events and exits 0 when each became a record", async () => {
    const r = await hexlog(["explain", ...NOW, "-n", "2", testdata("hex", "audit.ndjson")]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^── /gm)).toHaveLength(2);
    expect(r.stdout).toContain("  ✓ Hex.Audit      matched");
    expect(r.stdout).toContain("p_event_time: 2024-05-14T08:57:12.204Z (isEventTime field event.occurred_at)");
  });

  it("writes one JSON object per event with --format json, values as JSON", async () => {
    const r = await hexlog(["explain", ...NOW, ...LOGIN, "-t", "Custom.Login", "--format", "json", testdata("explain", "logins.ndjson")]);
    expect(r.code).toBe(1);
    const traces = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { framing: { line: number }; winner: string | null; outcome: { kind: string } });
    expect(traces.map((t) => [t.framing.line, t.winner, t.outcome.kind])).toEqual([
      [1, "Custom.Login", "record"],
      [2, "Custom.Login", "record"],
      [3, null, "error"],
      [4, null, "error"],
    ]);
    expect(r.stdout).toContain('"raw":9007199254740993');
  });

  it("explains text lines with the captures of their pattern, from stdin", async () => {
    const r = await hexlog(["explain", ...NOW, "-s", testdata("schemas", "text"), "-t", "Custom.Syslog", "-n", "1"], {
      input: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8\n",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("── <stdin>:1 · 76 bytes · one line");
    expect(r.stdout).toContain("regex captures:\n  priority   \"34\"\n");
    expect(r.stdout).toContain("  pid        (took no part)");
  });

  it("escapes hostile keys, values and file names in text and JSON, on a pipe and on a terminal", async () => {
    const dir = tempDir();
    const file = join(dir, "evil\u001b[31m\u202e.ndjson");
    const event = {
      id: "x\u001b]0;pwned\u0007y",
      kind: "log\u202eout",
      seq: "\u009b2J\u2028",
      client: { ip: "192.0.2.1", "user-name": "bob\u0000\u007f" },
      "\u001b[2Jkey": "dropped",
    };
    writeFileSync(file, `${JSON.stringify(event)}\n`);
    const text = await hexlog(["explain", ...NOW, ...LOGIN, "-t", "Custom.Login", file]);
    expect(text.code).toBe(1);
    expect(text.stdout).not.toMatch(RAW_UNSAFE);
    expect(text.stdout).toContain("evil\\u001b[31m\\u202e.ndjson:1");
    expect(text.stdout).toContain('"log\\u202eout" is not one of the allowed values');
    expect(text.stdout).toContain("dropped (in the input, not in the schema): \\u001b[2Jkey");
    expect(text.stdout).toContain('"\\u009b2J\\u2028"');
    const json = await hexlog(["explain", ...NOW, ...LOGIN, "-t", "Custom.Login", "--format", "json", file]);
    expect(json.stdout).not.toMatch(RAW_UNSAFE);
    const trace = JSON.parse(json.stdout) as { framing: { file: string }; candidates: Array<{ dropped: string[]; fields: Array<{ path: string; output?: unknown }> }> };
    // Escaped for the terminal, yet the same values for a program.
    expect(trace.framing.file).toBe(file);
    expect(trace.candidates[0]?.dropped).toEqual(["\u001b[2Jkey"]);
    expect(trace.candidates[0]?.fields.find((f) => f.path === "id")?.output).toBe("x\u001b]0;pwned\u0007y");
    const tty = await hexlogOnTty(["explain", ...NOW, ...LOGIN, "-t", "Custom.Login", file], { NO_COLOR: "1" });
    expect(tty.stdout).toContain("evil\\u001b[31m\\u202e.ndjson:1");
    expect(tty.stdout).not.toMatch(RAW_UNSAFE);
  });

  it("colours the trace on a terminal", async () => {
    const r = await hexlogOnTty(["explain", ...NOW, "-n", "1", testdata("hex", "audit.ndjson")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\u001b[32m✓\u001b[39m Hex.Audit");
  });

  it("refuses bad usage with exit 2 before reading input", async () => {
    const both = await hexlog(["explain", "-n", "1", "--line", "2", testdata("hex", "audit.ndjson")]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("-n and --line cannot be used together");
    const unknown = await hexlog(["explain", "-t", "No.Such", testdata("hex", "audit.ndjson")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown log type "No.Such"');
    const missing = await hexlog(["explain", "nope.ndjson"]);
    expect(missing.code).toBe(2);
    const format = await hexlog(["explain", "--format", "yaml", testdata("hex", "audit.ndjson")]);
    expect(format.code).toBe(2);
  });

  it("says so when no event is at the line asked for, with exit 1", async () => {
    const r = await hexlog(["explain", "--line", "999", testdata("hex", "audit.ndjson")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no event at line 999");
  });

  it("finds a pretty-printed event by a line inside it", async () => {
    const r = await hexlog(["explain", ...NOW, "--line", "50", testdata("hex", "audit-pretty.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^── testdata\/hex\/audit-pretty\.json:42 · /);
  });

  it("explains events as they arrive on a pipe and exits 130 on Ctrl-C", async () => {
    const run = startHexlog(["explain", ...NOW, "-t", "Hex.Audit"]);
    run.stdin.write(readFileSync(testdata("hex", "audit.ndjson"), "utf8").split("\n")[0] + "\n");
    await run.waitForStdout((out) => out.includes("result: a Hex.Audit record"));
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stdout.match(/^── /gm)).toHaveLength(1);
  });

  it("is also parse --explain, which refuses parse's flags about records", async () => {
    const r = await hexlog(["parse", "--explain", ...NOW, "-t", "Hex.Audit", testdata("bad", "missing-required.ndjson")]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^── /gm)).toHaveLength(11);
    expect(r.stdout).toContain("  ✗ Hex.Audit  event.occurred_at: required field is missing");
    const clash = await hexlog(["parse", "--explain", "--pretty", "--workers", "2", testdata("hex", "audit.ndjson")]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("--explain cannot be combined with --pretty, --workers");
  });

  it("has examples in --help", async () => {
    const r = await hexlog(["explain", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("$ hexlog explain -n 1 testdata/hex/audit.ndjson");
    expect(r.stdout).toContain("--format <format>");
  });
});
