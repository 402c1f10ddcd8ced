/** `hexlog test` end to end: the real CLI on the test suites in testdata/ and on broken copies. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, tempDir, testdata } from "../helpers/cli.js";
import { parseXml } from "../helpers/xml.js";

const HEX_TESTS = testdata("hex", "audit_tests.yml");
const WEB_SCHEMA = testdata("pantherlog", "webaccess.yml");
const WEB_TESTS = testdata("pantherlog", "webaccess_tests.yml");

/** A temp copy of the Hex suite with one wrong expectation (line 20: the actor's email). */
function brokenHexSuite(): { dir: string; file: string; original: string } {
  const dir = tempDir();
  const file = join(dir, "audit_tests.yml");
  const original = readFileSync(HEX_TESTS, "utf8");
  const broken = original.replace('"email": "priya.raman@example.com",', '"email": "priya@example.com",');
  expect(broken).not.toBe(original);
  writeFileSync(file, broken);
  return { dir, file, original };
}

describe("the suites in testdata pass", () => {
  for (const [dir, count] of [["hex", 15], ["auth0", 12], ["panther", 9], ["pantherlog", 5]] as const) {
    it(`passes every test in testdata/${dir}/`, async () => {
      const r = await hexlog(["test", testdata(dir)]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain("FAIL");
      expect(r.stdout).toContain(`${count} tests in 1 file: ${count} passed, 0 failed`);
    });
  }

  it("runs a test file of built-in log types without a schema path", async () => {
    const r = await hexlog(["test", HEX_TESTS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS +testdata\/hex\/audit_tests\.yml:6 +login from the web app \(Hex\.Audit\)$/m);
  });

  it("runs a pantherlog suite in pantherlog's form: schema file, then test file", async () => {
    const r = await hexlog(["test", WEB_SCHEMA, WEB_TESTS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("5 tests in 1 file: 5 passed, 0 failed");
  });

  it("tells a test file from a schema by its content when the name does not say", async () => {
    const dir = tempDir();
    copyFileSync(WEB_SCHEMA, join(dir, "gateway.yml"));
    copyFileSync(WEB_TESTS, join(dir, "checks.yaml"));
    const r = await hexlog(["test", join(dir, "gateway.yml"), join(dir, "checks.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("5 passed, 0 failed");
  });

  it("fails when the schema the tests need is not given", async () => {
    const r = await hexlog(["test", WEB_TESTS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${WEB_TESTS}:8: unknown log type "Custom.WebAccess" (and 4 more tests)`);
    expect(r.stderr).toContain("available: Hex.Audit, Auth0.Events, Panther.Audit");
  });
});

describe("failures", () => {
  it("exits 1 on a wrong expectation and names the field, file and line in the diff", async () => {
    const { dir, file } = brokenHexSuite();
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL    ${file}:6  login from the web app (Hex.Audit)`);
    expect(r.stdout).toContain(
      ["          event.actor.metadata.email: differs", '            - expected  "priya@example.com"', '            + actual    "priya.raman@example.com"'].join("\n"),
    );
    expect(r.stdout).toContain("15 tests in 1 file: 14 passed, 1 failed");
  });

  it("colours the diff when colours are forced, and not under NO_COLOR", async () => {
    const { dir } = brokenHexSuite();
    const forced = await hexlog(["test", dir], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain('\u001b[31mFAIL');
    expect(forced.stdout).toContain('          \u001b[31m  - expected  "priya@example.com"');
    expect(forced.stdout).toContain('          \u001b[32m  + actual    "priya.raman@example.com"');
    const plain = await hexlog(["test", dir], { env: { NO_COLOR: "1" } });
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("fails a test whose input does not parse, showing the parse error", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x_tests.yml"), 'name: broken input\nlogType: Hex.Audit\ninput: |\n  {"event":{"actor":{"id":"a"},"action":"X","occurred_at":"soon"}}\nresults: []\n');
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('input line 1 does not parse: event.occurred_at: expected RFC 3339 time like 2006-01-02T15:04:05Z, got "soon"');
  });

  it("fails an error test whose input parses, or fails differently", async () => {
    const dir = tempDir();
    const good = '{"event":{"actor":{"id":"a"},"action":"X","occurred_at":"2024-01-01T00:00:00Z"}}';
    writeFileSync(
      join(dir, "x_tests.yml"),
      `name: parses after all\nlogType: Hex.Audit\ninput: '${good}'\nerror: required\n---\nname: other error\nlogType: Hex.Audit\ninput: '{"event":{}}'\nerror: occurred_at\n`,
    );
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('expected the input to fail with an error containing "required", but it parsed');
    expect(r.stdout).toContain('input line 1 fails with "event.actor: required field is missing", which does not contain "occurred_at"');
  });

  it("fails when the number of records differs, showing the record that is too many", async () => {
    const dir = tempDir();
    const ev = (n: number) => `{"event":{"actor":{"id":"a"},"action":"X${n}","occurred_at":"2024-01-01T00:00:0${n}Z"}}`;
    writeFileSync(join(dir, "x_tests.yml"), `name: two events\nlogType: Hex.Audit\ninput: |\n  ${ev(1)}\n  ${ev(2)}\nresult: '${ev(1).slice(0, -1)},"p_log_type":"Hex.Audit","p_event_time":"2024-01-01T00:00:01Z","p_any_actor_ids":["a"]}'\n`);
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("expected 1 record, got 2");
    expect(r.stdout).toContain("results[1]: a record the test does not expect");
    expect(r.stdout).not.toContain("results[0]");
  });
});

describe("--update", () => {
  it("rewrites the wrong expectation from the actual record, keeping comments and the other tests", async () => {
    const { dir, file, original } = brokenHexSuite();
    const r = await hexlog(["test", dir, "--update"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`UPDATED ${file}:6  login from the web app (Hex.Audit)`);
    expect(r.stdout).toContain("14 passed, 0 failed, 1 updated");
    const updated = readFileSync(file, "utf8");
    // Every comment line of the suite survives.
    const comments = original.split("\n").filter((l) => l.trimStart().startsWith("#"));
    for (const c of comments) expect(updated).toContain(c);
    // Only the first test's document changed.
    const secondDoc = original.indexOf("---\n# Every field");
    expect(updated.endsWith(original.slice(secondDoc))).toBe(true);
    expect(updated).toContain('"email": "priya.raman@example.com"');
    expect(updated).toContain('"p_log_type": "{{ .LogType }}"');
    const again = await hexlog(["test", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("15 passed, 0 failed");
  });

  it("fills in the expectation of a new test that has none yet, as a YAML mapping", async () => {
    const dir = tempDir();
    const file = join(dir, "new_tests.yml");
    writeFileSync(file, '# draft\nname: draft\nlogType: Auth0.Events\ninput: \'{"log_id":"l1","data":{"ip":"192.0.2.9"}}\'\n');
    const r = await hexlog(["test", file, "--update"]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      [
        "# draft",
        "name: draft",
        "logType: Auth0.Events",
        'input: \'{"log_id":"l1","data":{"ip":"192.0.2.9"}}\'',
        "result:",
        "  log_id: l1",
        "  data:",
        "    ip: 192.0.2.9",
        "  p_log_type: Auth0.Events",
        "  p_any_ip_addresses: [192.0.2.9]",
        "",
      ].join("\n"),
    );
    expect((await hexlog(["test", file])).code).toBe(0);
  });

  it("leaves tests whose input does not parse failing and their file untouched", async () => {
    const dir = tempDir();
    const file = join(dir, "x_tests.yml");
    const text = "name: bad\nlogType: Hex.Audit\ninput: '{\"event\":{}}'\nresults: []\n";
    writeFileSync(file, text);
    const r = await hexlog(["test", file, "--update"]);
    expect(r.code).toBe(1);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});

describe("--filter", () => {
  it("runs the tests whose name contains the text", async () => {
    const r = await hexlog(["test", testdata("hex"), "--filter", "must be"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 tests in 1 file: 3 passed");
    expect(r.stdout).toContain("occurred_at must be rfc3339");
  });

  it("takes /regex/flags", async () => {
    const r = await hexlog(["test", testdata("hex"), testdata("auth0"), "--filter", "/^(LOGIN|log_id) .*(FROM|REQUIRED)/i"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("PASS")).map((l) => l.replace(/^PASS +\S+ +/, ""))).toEqual([
      "login from the web app (Hex.Audit)",
      "log_id is required (Auth0.Events)",
    ]);
  });

  it("exits 2 when nothing matches or the regex is invalid", async () => {
    const none = await hexlog(["test", testdata("hex"), "--filter", "no such test"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("hexlog: no test name matches --filter no such test (15 tests in 1 file)");
    const bad = await hexlog(["test", testdata("hex"), "--filter", "/(/"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--filter /(/ is not a valid regular expression");
  });
});

describe("discovery", () => {
  it("loads every schema of a directory tree and runs every *_tests.yml and *_tests.yaml in it", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "web", "more"), { recursive: true });
    copyFileSync(WEB_SCHEMA, join(dir, "web", "webaccess.yml"));
    copyFileSync(WEB_TESTS, join(dir, "web", "more", "webaccess_tests.yaml"));
    copyFileSync(HEX_TESTS, join(dir, "hex_tests.yml"));
    writeFileSync(join(dir, "notes.txt"), "not yaml");
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("20 tests in 2 files: 20 passed, 0 failed");
    expect(r.stdout).toContain(join(dir, "web", "more", "webaccess_tests.yaml"));
  });

  it("skips, with a note, a file in a schema directory that holds tests under another name", async () => {
    const dir = tempDir();
    copyFileSync(WEB_SCHEMA, join(dir, "webaccess.yml"));
    copyFileSync(WEB_TESTS, join(dir, "webaccess_tests.yml"));
    copyFileSync(HEX_TESTS, join(dir, "hex-checks.yml"));
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`note: ${join(dir, "hex-checks.yml")} holds tests but is not named *_tests.yml; skipped (rename it, or name it after the schema path)`);
    expect(r.stdout).toContain("5 tests in 1 file: 5 passed");
  });

  it("runs only the named test files when some are given after a directory", async () => {
    const r = await hexlog(["test", testdata("pantherlog"), HEX_TESTS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("15 tests in 1 file");
  });

  it("exits 2 when a directory holds no test files", async () => {
    const r = await hexlog(["test", testdata("schemas")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no test files: give them after the schema path, or keep *_tests.yml files in ${testdata("schemas")}`);
  });
});

describe("--format", () => {
  it("junit: well-formed XML with one testcase per test and the diff in <failure>", async () => {
    const { dir, file } = brokenHexSuite();
    const r = await hexlog(["test", dir, "--format", "junit"]);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.attrs).toMatchObject({ name: "hexlog test", tests: "15", failures: "1" });
    const suite = root.children[0];
    expect(suite?.attrs).toMatchObject({ name: file, tests: "15", failures: "1" });
    const failed = suite?.children.filter((c) => c.children.some((x) => x.name === "failure")) ?? [];
    expect(failed.map((t) => [t.attrs.name, t.attrs.classname, t.attrs.line])).toEqual([["login from the web app", "Hex.Audit", "6"]]);
    expect(failed[0]?.children[0]?.attrs.message).toBe("event.actor.metadata.email: differs");
    expect(failed[0]?.children[0]?.text).toContain('+ actual    "priya.raman@example.com"');
  });

  it("json: one document with every test, its status and problems", async () => {
    const { dir } = brokenHexSuite();
    const r = await hexlog(["test", dir, "--format", "json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { tests: Array<{ name: string; status: string; line: number; problems: unknown[] }>; summary: Record<string, number> };
    expect(doc.summary).toMatchObject({ tests: 15, passed: 14, failed: 1, updated: 0, files: 1 });
    const failed = doc.tests.filter((t) => t.status === "failed");
    expect(failed.map((t) => [t.name, t.line])).toEqual([["login from the web app", 6]]);
    expect(failed[0]?.problems).toContainEqual({ path: "event.actor.metadata.email", message: "differs", expected: "priya@example.com", actual: "priya.raman@example.com" });
  });

  it("github: an error annotation at the failing test's line", async () => {
    const { dir, file } = brokenHexSuite();
    const r = await hexlog(["test", dir, "--format", "github"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^::error file=${file.replace(/[.]/g, "\\.")},line=6,title=login from the web app \\(Hex\\.Audit\\)::event\\.actor\\.metadata\\.email: differs%0A`));
    expect(lines[1]).toMatch(/^15 tests in 1 file: 14 passed, 1 failed/);
  });

  it("text is the default and -q keeps only failures", async () => {
    const { dir } = brokenHexSuite();
    const r = await hexlog(["-q", "test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("PASS");
    expect(r.stdout).not.toContain("tests in");
    expect(r.stdout).toContain("FAIL");
  });

  it("rejects an unknown format", async () => {
    const r = await hexlog(["test", testdata("hex"), "--format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid");
  });
});

describe("usage errors exit 2 with file:line", () => {
  it("a missing path", async () => {
    const r = await hexlog(["test", "nope/"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("hexlog: cannot read nope/: no such file or directory");
  });

  it("no arguments at all", async () => {
    const r = await hexlog(["test"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("example: hexlog test schemas/");
  });

  it("a test file that is not valid YAML", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x_tests.yml"), "name: a\nlogType: Hex.Audit\ninput: x\nname: again\n");
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "x_tests.yml")}:4:1: Map keys must be unique`);
  });

  it("a test without its required keys, or with an unknown one", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x_tests.yml"), "name: a\ninput: x\n---\nname: b\nlogType: Hex.Audit\ninput: x\nreslts: []\n");
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("2 test file problems are in the way:");
    expect(r.stderr).toContain(`${join(dir, "x_tests.yml")}:1:1: test is missing "logType"`);
    expect(r.stderr).toContain(`${join(dir, "x_tests.yml")}:7:1: unknown key "reslts" (did you mean "results"?)`);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("an invalid schema next to the tests is reported, and does not keep the other tests from running", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.yml"), "schema: Custom.Bad\nfields:\n  - name: a\n    type: strng\n");
    copyFileSync(HEX_TESTS, join(dir, "hex_tests.yml"));
    const r = await hexlog(["test", dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`error: ${join(dir, "bad.yml")}:4:11: unknown type "strng"`);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
  });

  it("a test file named after the directory compiles only the log types it uses", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.yml"), "schema: Custom.Bad\nfields:\n  - name: a\n    type: strng\n");
    const r = await hexlog(["test", dir, HEX_TESTS]);
    expect(r.stderr).not.toContain("bad.yml");
    expect(r.code).toBe(0);
  });

  it("shows help with examples", async () => {
    const r = await hexlog(["test", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: hexlog test");
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("--update");
  });
});
