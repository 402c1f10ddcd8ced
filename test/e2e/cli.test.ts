/** The command line as users meet it: flags, exit codes, help, streams, colours, pipes. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BIN, FIXED, hexlog, readLines, records, ROOT, tempDir, testdata } from "../helpers/cli.js";

const HEX = testdata("hex", "audit.ndjson");

describe("global behaviour", () => {
  it("prints the version and exits 0", async () => {
    const r = await hexlog(["--version"]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  for (const cmd of [[], ["parse"], ["list-types"]]) {
    it(`shows help with examples for "hexlog ${cmd.join(" ")}"`, async () => {
      const r = await hexlog([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage: hexlog");
      expect(r.stdout).toContain("Examples:");
    });
  }

  it("exits 2 with a one-line message on an unknown flag", async () => {
    const r = await hexlog(["parse", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("exits 2 listing the available types for an unknown --type", async () => {
    const r = await hexlog(["parse", "--type", "Nope.Type", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hexlog: unknown log type "Nope.Type"');
    expect(r.stderr).toContain("Hex.Audit, Auth0.Events, Panther.Audit");
  });

  it("exits 2 when an input file does not exist", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "missing.ndjson"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("hexlog: cannot read missing.ndjson: no such file or directory");
  });

  it("exits 2 with file:line:column when --type names an invalid schema", async () => {
    const dir = tempDir();
    const schema = join(dir, "bad.yml");
    writeFileSync(schema, "schema: Custom.Bad\nfields:\n  - name: a\n    type: strng\n  - name: b\n    type: string\n    indicator: [ip]\n");
    const r = await hexlog(["parse", "--schemas", schema, "-t", "Custom.Bad", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${schema}:4:11: unknown type "strng" (did you mean "string"?)`);
    expect(r.stderr).toContain(`${schema}:7:5: unknown key "indicator" (did you mean "indicators"?) [unknown-key]`);
  });

  it("lists the built-in log types with descriptions and shows a schema", async () => {
    const r = await hexlog(["list-types"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Hex\.Audit +Audit log events from the Hex analytics platform webhook +\(built-in\)$/m);
    expect(r.stdout).toMatch(/^Auth0\.Events /m);
    expect(r.stdout).toMatch(/^Panther\.Audit /m);
    const show = await hexlog(["list-types", "--show", "Auth0.Events"]);
    expect(show.stdout).toContain("schema: Auth0.Events");
  });
});

describe("parse flags", () => {
  it("reads stdin when no file or - is given, and accepts --type before the file", async () => {
    const input = readFileSync(HEX);
    const a = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { input });
    const b = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, "-"], { input });
    const c = await hexlog(["parse", "--type", "Hex.Audit", HEX, ...FIXED]);
    expect(records(a.stdout)).toHaveLength(18);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });

  it("reads stdin redirected from a plain or a gzip file like the file itself", async () => {
    const gz = join(tempDir(), "audit.ndjson.gz");
    writeFileSync(gz, gzipSync(readFileSync(HEX)));
    const fromFile = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, HEX]);
    const plain = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { stdinFile: HEX });
    const zipped = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { stdinFile: gz });
    const zippedArg = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED, gz]);
    expect(records(fromFile.stdout)).toHaveLength(18);
    expect(plain.stdout).toBe(fromFile.stdout);
    expect(zipped.stdout).toBe(fromFile.stdout);
    expect(zippedArg.stdout).toBe(fromFile.stdout);
  });

  it("stamps p_source_id and p_source_label after p_parse_time", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--source-id", "src-1", "--source-label", "Hex prod", ...FIXED, HEX]);
    const rec = records(r.stdout)[0] as Record<string, unknown>;
    const keys = Object.keys(rec);
    expect(keys.indexOf("p_source_id")).toBe(keys.indexOf("p_parse_time") + 1);
    expect(rec).toMatchObject({ p_source_id: "src-1", p_source_label: "Hex prod" });
  });

  it("prints distinct indicators with counts instead of records", async () => {
    const r = await hexlog(["parse", "-t", "Auth0.Events", "--indicators", testdata("auth0", "events.ndjson")]);
    expect(r.code).toBe(0);
    const rows = records(r.stdout);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(Object.keys(row)).toEqual(["kind", "value", "count"]);
    const spray = rows.find((x) => x.kind === "ip" && x.value === "203.0.113.45");
    expect(spray?.count).toBe(4);
    expect(rows.some((x) => x.kind === "username")).toBe(true);
  });

  it("reports unknown input fields with their counts", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--unknown-fields", HEX]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/event\.context\.session_id +2/);
    expect(r.stderr).toMatch(/event\.metadata\.durationMs +1/);
    expect(r.stderr).toMatch(/^ +attempt +1$/m);
  });

  it("prints indented records with --pretty, coloured only when asked", async () => {
    const plain = await hexlog(["parse", "-t", "Hex.Audit", "--pretty", ...FIXED, HEX]);
    expect(plain.stdout.startsWith('{\n  "source": "Hex",')).toBe(true);
    expect(plain.stdout).not.toContain("\u001b[");
    const forced = await hexlog(["parse", "-t", "Hex.Audit", "--pretty", ...FIXED, HEX], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[");
    const noColor = await hexlog(["parse", "-t", "Hex.Audit", "--pretty", "--no-color", ...FIXED, HEX], { env: { FORCE_COLOR: "1" } });
    expect(noColor.stdout).not.toContain("\u001b[");
  });

  it("shows errors inline at the record's position with --pretty", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--pretty", ...FIXED, testdata("bad", "missing-required.ndjson")]);
    expect(r.code).toBe(1);
    const idx = r.stdout.indexOf("✗ testdata/bad/missing-required.ndjson:2: Hex.Audit: event.occurred_at: required field is missing");
    expect(idx).toBeGreaterThan(0);
    expect(r.stdout.indexOf("✗", idx + 1)).toBeGreaterThan(idx);
  });

  it("reports an event larger than --max-event-bytes and parses the next one", async () => {
    const dir = tempDir();
    const errors = join(dir, "dead.ndjson");
    const lines = readFileSync(HEX, "utf8").split("\n");
    const big = JSON.stringify({ event: { action: "X", pad: "x".repeat(5000) } });
    const input = `${lines[0]}\n${big}\n${lines[1]}\n`;
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--max-event-bytes", "4096", "--errors", errors], { input });
    expect(r.code).toBe(1);
    expect(records(r.stdout)).toHaveLength(2);
    const [d] = readLines(errors);
    expect(d).toMatchObject({ line: 2, truncated: true });
    expect(String(d?.error)).toContain("exceeds the maximum size of 4096 bytes");
  });

  it("does not crash when piped into head", () => {
    const big = readFileSync(HEX, "utf8").repeat(400);
    const r = spawnSync("bash", ["-c", `node ${BIN} parse -t Hex.Audit | head -n 2; echo "exit=\${PIPESTATUS[0]}"`], { input: big, encoding: "utf8" });
    expect(r.stdout.split("\n").filter((l) => l.startsWith("{"))).toHaveLength(2);
    expect(r.stdout).toContain("exit=0");
    expect(r.stderr).not.toContain("EPIPE");
  });

  it("does not crash when help or other commands' output is piped into head", () => {
    for (const cmd of ["--help", "parse --help", "list-types", "list-types --show Hex.Audit", "infer testdata/hex/audit.ndjson"]) {
      const r = spawnSync("bash", ["-c", `node ${BIN} ${cmd} | head -n 1; echo "exit=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: "utf8" });
      expect(r.stdout, cmd).toMatch(/exit=0\n$/);
      expect(r.stderr, cmd).toBe("");
    }
  });

  it("keeps data on stdout and nothing else there", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", testdata("bad", "missing-required.ndjson")]);
    for (const line of r.stdout.split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.stderr).toContain("required field is missing");
  });
});
