/** `hexlog validate-schema` end to end: the real CLI on the schema corpora in testdata/schemas. */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, tempDir, testdata } from "../helpers/cli.js";

interface Finding {
  file: string;
  line: number;
  col?: number;
  severity: string;
  rule: string;
  message: string;
  path: string;
}

interface Report {
  version: number;
  valid: boolean;
  summary: { schemas: number; valid: number; errors: number; warnings: number };
  schemas: Array<{ file: string; name: string | null; valid: boolean }>;
  findings: Finding[];
  samples?: { events: number; matched: number; unmatched: number; skipped: number; perType: Record<string, number>; listed: number };
}

async function validateJson(args: string[], input?: string): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await hexlog(["validate-schema", "--format", "json", ...args], input === undefined ? {} : { input });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const INVALID = testdata("schemas", "invalid");

/** `# expect: <rule> <line>:<col>` lines at the top of each corpus file. */
function expectations(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)].map((m) => `${m[1]} ${m[2]}:${m[3]}`).sort();
}

/** Files validated together with a corpus file (a duplicate needs its first definition). */
const COMPANIONS: Record<string, string[]> = {
  "duplicate-log-type-b.yml": [join(INVALID, "duplicate-log-type-a.yml")],
};

describe("validate-schema on valid schemas", () => {
  it("finds the built-in schemas valid and exits 0", async () => {
    const r = await hexlog(["validate-schema", "schemas/"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^✓ 3 schemas valid in \d+\.\d\ds\n$/);
  });

  it("finds the large realistic schemas valid, and parse loads them", async () => {
    const { code, report } = await validateJson([testdata("schemas", "large")]);
    expect(code).toBe(0);
    expect(report.schemas.map((s) => [s.name, s.valid])).toEqual([
      ["Custom.CloudAudit", true],
      ["Custom.EndpointTelemetry", true],
      ["Custom.IdentityEvents", true],
    ]);
    expect(report.findings).toEqual([]);
    const list = await hexlog(["list-types", "--schemas", testdata("schemas", "large")]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("Custom.EndpointTelemetry");
  });

  it("finds the test schemas valid, the native parser a warning only (exit 0), and such a schema parses", async () => {
    const files = readdirSync(testdata("schemas")).filter((f) => f.endsWith(".yml"));
    const r = await hexlog(["validate-schema", ...files.map((f) => testdata("schemas", f))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${testdata("schemas", "native.yml")}:6:5: warning: parser.native (AWS.GuardDuty) names a parser built into Panther that hexlog does not emulate; it reads this schema as JSON, keys matched case-insensitively as Panther's decoder does [native-parser]\n`);
    expect(r.stderr).toMatch(new RegExp(`^✓ ${files.length} schemas valid \\(1 warning\\) in `));
    const parsed = await hexlog(["parse", "-q", "--schemas", testdata("schemas", "native.yml"), "-t", "Custom.Native"], { input: '{"eventTime":"2026-01-01T00:00:00Z","sourceIPAddress":"192.0.2.1"}\n' });
    expect(parsed.code).toBe(0);
  });
});

describe("validate-schema on the invalid corpus (one file per rule; each file alone in test/tools/validate-corpus.test.ts)", () => {
  // Files without `# expect:` lines belong to other tests (transformations).
  const files = readdirSync(INVALID).filter((f) => f.endsWith(".yml") && expectations(join(INVALID, f)).length > 0);

  it("validates the whole corpus in one run: every file once, exit 1", async () => {
    const companions = Object.values(COMPANIONS).flat();
    const r = await hexlog(["validate-schema", ...[...companions, ...files.map((f) => join(INVALID, f))].sort()]);
    expect(r.code).toBe(1);
    const expected = files.flatMap((f) => expectations(join(INVALID, f)).map((e) => `${join(INVALID, f)} ${e}`)).sort();
    const got = r.stdout
      .trim()
      .split("\n")
      .map((l) => /^(.*?):(\d+):(\d+): (?:error|warning): .* \[(.+)\]$/.exec(l))
      .map((m) => (m ? `${m[1]} ${m[4]} ${m[2]}:${m[3]}` : "unparsed line"))
      .sort();
    expect(got).toEqual(expected);
  });
});

describe("validate-schema output", () => {
  it("has --help with examples and the exit codes", async () => {
    const r = await hexlog(["validate-schema", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: hexlog validate-schema");
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("--format github");
    expect(r.stdout).toContain("Exit codes: 0 valid (warnings allowed), 1 findings, 2 usage error");
  });

  const bad = join(INVALID, "unknown-key.yml");

  it("writes text findings to stdout and the summary to stderr", async () => {
    const r = await hexlog(["validate-schema", bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${bad}:9:5: error: unknown key "indicator" (did you mean "indicators"?) [unknown-key]\n`);
    expect(r.stderr).toMatch(/^✗ 1 error in 1 file \(1 schema checked, 0 valid\) in \d+\.\d\ds\n$/);
  });

  it("colours text only when asked to, and --quiet drops the summary", async () => {
    const plain = await hexlog(["validate-schema", bad]);
    expect(plain.stdout).not.toContain("\u001b[");
    const forced = await hexlog(["validate-schema", bad], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[31merror\u001b[39m");
    const quiet = await hexlog(["validate-schema", "-q", bad]);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toBe(plain.stdout);
  });

  it("writes GitHub workflow commands with --format github", async () => {
    const r = await hexlog(["validate-schema", "--format", "github", bad, join(INVALID, "native-parser.yml"), join(INVALID, "invalid-time-format.yml")]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      `::error file=${bad},line=9,col=5,title=unknown-key::unknown key "indicator" (did you mean "indicators"?)`,
      `::warning file=${join(INVALID, "native-parser.yml")},line=6,col=5,title=native-parser::parser.native (Juniper.Access is a text format whose Panther parser hexlog does not emulate; no event matches this log type (write a fastmatch, regex or csv schema for it))`,
      // `%` is escaped as %25 in workflow commands.
      `::error file=${join(INVALID, "invalid-time-format.yml")},line=6,col=17,title=invalid-time-format::unknown strftime directive %25Q in time format "%25Y-%25m-%25d %25Q"`,
      "",
    ]);
    expect(r.stderr).toBe("");
  });

  it("writes one JSON report with --format json", async () => {
    const { code, report, stderr } = await validateJson([bad, testdata("schemas", "types.yml")]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(report).toEqual({
      version: 1,
      valid: false,
      summary: { schemas: 2, valid: 1, errors: 1, warnings: 0 },
      schemas: [
        { file: bad, name: "Custom.InvalidUnknownKey", valid: false },
        { file: testdata("schemas", "types.yml"), name: "Custom.Types", valid: true },
      ],
      findings: [
        {
          file: bad,
          line: 9,
          col: 5,
          severity: "error",
          rule: "unknown-key",
          message: 'unknown key "indicator" (did you mean "indicators"?)',
          path: "fields[0].indicator",
        },
      ],
    });
  });
});

describe("validate-schema inputs", () => {
  it("reads one or more YAML documents from stdin, with lines counted over the whole stream", async () => {
    const input = "schema: Custom.One\nfields:\n  - name: a\n    type: string\n---\nschema: Custom.Two\nfields:\n  - name: b\n    type: strin\n";
    const r = await hexlog(["validate-schema"], { input });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('<stdin>:9:11: error: unknown type "strin" (did you mean "string"?); expected one of string, int, smallint, bigint, float, boolean, timestamp, array, object, json, ref [unknown-type]\n');
    expect(r.stderr).toContain("(2 schemas checked, 1 valid)");
    const dash = await hexlog(["validate-schema", "-"], { input });
    expect(dash.stdout).toBe(r.stdout);
  });

  it("validates stdin next to files, and finds a log type defined in both", async () => {
    const input = readFileSync(join(INVALID, "duplicate-log-type-a.yml"), "utf8");
    const { code, report } = await validateJson([join(INVALID, "duplicate-log-type-a.yml"), "-"], input);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.rule}`)).toEqual(["<stdin>:2:9 duplicate-log-type"]);
  });

  it("exits 2 for an empty stdin, a missing path, an empty directory and a bad --format", async () => {
    const empty = await hexlog(["validate-schema"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe("hexlog: no schema on stdin: pipe YAML in, or give files or directories\n");
    const missing = await hexlog(["validate-schema", "nope/"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("hexlog: cannot read nope/: no such file or directory\n");
    const dir = tempDir();
    const none = await hexlog(["validate-schema", dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`hexlog: no schema files (.yml, .yaml) in ${dir}\n`);
    const format = await hexlog(["validate-schema", "--format", "xml", "schemas/"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid");
  });

  it("recurses into directories, skipping pantherlog test files", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "nested", "deeper"), { recursive: true });
    copyFileSync(testdata("schemas", "types.yml"), join(dir, "nested", "deeper", "types.yaml"));
    writeFileSync(join(dir, "nested", "types_tests.yml"), "name: not a schema\nlogType: Custom.Types\ninput: '{}'\n");
    writeFileSync(join(dir, "notes.txt"), "not yaml: [\n");
    const { code, report } = await validateJson([dir]);
    expect(code).toBe(0);
    expect(report.schemas).toEqual([{ file: join(dir, "nested", "deeper", "types.yaml"), name: "Custom.Types", valid: true }]);
  });
});

describe("validate-schema --samples", () => {
  it("parses the samples with the valid schemas and lists the first failures", async () => {
    const r = await hexlog(["validate-schema", "schemas/Hex.Audit.yml", "--samples", testdata("hex", "audit.ndjson"), testdata("bad", "missing-required.ndjson")]);
    expect(r.code).toBe(1);
    const file = testdata("bad", "missing-required.ndjson");
    expect(r.stdout).toBe(
      [
        `${file}:2: error: Hex.Audit: event.occurred_at: required field is missing [sample-unmatched]`,
        `${file}:4: error: Hex.Audit: event.action: required field is missing [sample-unmatched]`,
        `${file}:6: error: Hex.Audit: event.occurred_at: required field is missing [sample-unmatched]`,
        `${file}:8: error: Hex.Audit: event: required field is missing [sample-unmatched]`,
        `${file}:10: error: Hex.Audit: event.occurred_at: required field is missing [sample-unmatched]`,
        "samples: 29 events, 24 matched (Hex.Audit 24), 5 unmatched",
        "",
      ].join("\n"),
    );
  });

  it("classifies samples among several schemas; schema files and directories after --samples still count", async () => {
    // Hex.Audit.yml is named twice, as a file and in its directory: it is validated once.
    const { code, report } = await validateJson(["--samples", testdata("mixed", "all-types.ndjson"), "schemas/Hex.Audit.yml", "schemas/"]);
    expect(code).toBe(0);
    expect(report.schemas.map((s) => s.name)).toEqual(["Hex.Audit", "Auth0.Events", "Panther.Audit"]);
    expect(report.samples).toEqual({
      files: [testdata("mixed", "all-types.ndjson")],
      events: 17,
      matched: 17,
      unmatched: 0,
      skipped: 0,
      perType: { "Hex.Audit": 6, "Auth0.Events": 6, "Panther.Audit": 5 },
      listed: 0,
    });
  });

  it("exits 0 when every sample matches", async () => {
    const { code, report } = await validateJson(["schemas/Auth0.Events.yml", "--samples", testdata("auth0", "events.ndjson")]);
    expect(code).toBe(0);
    expect(report.samples).toMatchObject({ events: 13, matched: 13, unmatched: 0, listed: 0 });
  });

  it("lists at most ten failing samples but counts them all", async () => {
    const dir = tempDir();
    const sample = join(dir, "garbage.ndjson");
    writeFileSync(sample, Array.from({ length: 12 }, (_, i) => `{"n":${i}}`).join("\n") + "\n");
    const { code, report } = await validateJson(["schemas/Hex.Audit.yml", "--samples", sample]);
    expect(code).toBe(1);
    expect(report.samples).toMatchObject({ events: 12, matched: 0, unmatched: 12, listed: 10 });
    expect(report.findings.map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report.findings[0]).toMatchObject({ rule: "sample-unmatched", message: "Hex.Audit: event: required field is missing", path: "event" });
  });

  it("reads samples line by line for a text schema, counting header and comment lines as skipped", async () => {
    const { code, report } = await validateJson([testdata("schemas", "text", "logins-csv.yml"), "--samples", testdata("text", "csv", "logins-a.csv")]);
    expect(code).toBe(1);
    expect(report.samples).toMatchObject({ matched: 3, unmatched: 2, skipped: 2 });
    expect(report.findings.map((f) => `${f.line} ${f.message}`)).toEqual([
      "6 Custom.Logins: success: expected a boolean, got \"maybe\"",
      "7 Custom.Logins: expected 7 values (one per column), got 3",
    ]);
  });

  it("exits 2 when a sample file is missing", async () => {
    const r = await hexlog(["validate-schema", "schemas/Hex.Audit.yml", "--samples", "missing.ndjson"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hexlog: cannot read sample missing.ndjson: no such file or directory\n");
  });
});

describe("validate-schema with the schema cache", () => {
  it("reports the same findings from the cache as from the files, and --no-cache leaves it alone", async () => {
    const cache = tempDir();
    const run = (flags: string[]) => hexlog([...flags, "validate-schema", "--format", "json", INVALID, "schemas/"], { env: { HEXLOG_CACHE_DIR: cache } });
    const fresh = await run(["--no-cache"]);
    expect(readdirSync(cache)).toEqual([]);
    const filling = await run([]);
    const entries = readdirSync(cache, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    expect(entries.length).toBe(readdirSync(INVALID).length + 3);
    const cached = await run([]);
    for (const r of [filling, cached]) {
      expect(r.code).toBe(fresh.code);
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(fresh.stdout));
    }
    expect((JSON.parse(cached.stdout) as Report).findings.length).toBeGreaterThan(40);
  });
});
