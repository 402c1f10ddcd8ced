/**
 * Log data must never drive the terminal: control characters (an OSC title, a screen clear,
 * NUL, C1 CSI) and bidi overrides from values, keys, file names and YAML reach every
 * human-facing output as visible `\u001b` escapes. Terminal outputs run on a pseudo-terminal.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, tempDir, testdata } from "../helpers/cli.js";
import { send, startServer } from "../helpers/serve.js";
import { hexlogOnTty } from "../helpers/tty.js";

/** Retitles and clears a terminal, reverses the text after it, and carries a NUL and a C1 CSI. */
const EVIL = "\u001b]0;PWNED\u0007\u001b[2J\u202eevil\u0000\u009b31m";
/** How EVIL looks once escaped. */
const SHOWN = "\\u001b]0;PWNED\\u0007\\u001b[2J\\u202eevil\\u0000\\u009b31m";
/** Anything a terminal would act on (newlines are ours). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectSafe(text: string): void {
  const m = RAW.exec(text);
  expect(m ? `raw U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} in: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}` : "safe").toBe("safe");
}

const GOOD = (readFileSync(testdata("hex", "audit.ndjson"), "utf8").split("\n")[0] as string);
/** A Hex.Audit event whose actor id (an actor_id indicator) is EVIL. */
const EVIL_EVENT = GOOD.replace('"id":"6c186144-a0f5-4faf-9867-6e3e51367072"', `"id":${JSON.stringify(EVIL)}`);
const NO_COLOR = { NO_COLOR: "1" };

function file(name: string, content: string | Buffer): string {
  const dir = tempDir();
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("hostile data on a terminal", () => {
  it("escapes an indicator value in the --indicators table", async () => {
    expect(EVIL_EVENT).not.toBe(GOOD);
    const r = await hexlogOnTty(["parse", "-t", "Hex.Audit", "--indicators", file("e.ndjson", `${EVIL_EVENT}\n`)], NO_COLOR);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`actor_id  ${"1".padStart(5)}  ${SHOWN}`);
    expectSafe(r.stdout);
  });

  it("escapes C1 and bidi characters in --pretty records, which JSON leaves raw", async () => {
    const r = await hexlogOnTty(["parse", "-t", "Hex.Audit", "--pretty", ...FIXED, file("e.ndjson", `${EVIL_EVENT}\n`)], NO_COLOR);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"id": "\\u001b]0;PWNED\\u0007\\u001b[2J\\u202eevil\\u0000\\u009b31m"');
    expectSafe(r.stdout);
  });

  it("keeps the NDJSON records on stdout exact: the value comes back byte for byte", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", ...FIXED], { input: `${EVIL_EVENT}\n` });
    expect(r.code).toBe(0);
    expect((records(r.stdout)[0]?.event as { actor: { id: string } }).actor.id).toBe(EVIL);
    expect(r.stdout).not.toContain("\u001b");
  });

  it("escapes raw bytes of invalid JSON, values quoted in errors, and file names in error lines", async () => {
    // The parser's message quotes the unexpected character.
    const broken = `${EVIL}\n`;
    const badTime = GOOD.replace('"occurred_at":"2024-05-14T08:57:12.204Z"', `"occurred_at":${JSON.stringify(EVIL)}`);
    const path = file(`logs${EVIL.replace("\u0000", "")}.ndjson`, `${broken}${badTime}\n`);
    const r = await hexlog(["parse", "-t", "Hex.Audit", path]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("logs\\u001b]0;PWNED\\u0007\\u001b[2J\\u202eevil\\u009b31m.ndjson:1: Hex.Audit: invalid JSON: Unexpected token '\\u001b'");
    expect(lines[1]).toContain(`:2: Hex.Audit: event.occurred_at:`);
    expect(lines[1]).toContain(SHOWN);
    expectSafe(r.stderr);
  });

  it("escapes the same lines written inline with --pretty on a terminal", async () => {
    const r = await hexlogOnTty(["parse", "-t", "Hex.Audit", "--pretty", file("e.ndjson", `${EVIL}\n`)], NO_COLOR);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("invalid JSON: Unexpected token '\\u001b'");
    expectSafe(r.stdout);
  });

  it("escapes labels and ids in the sources table", async () => {
    const sources = file("sources.yml", `- id: ${JSON.stringify(EVIL)}\n  label: ${JSON.stringify(`L${EVIL}`)}\n  logTypes: [Hex.Audit, ${JSON.stringify(`Custom.${EVIL}`)}]\n`);
    const r = await hexlogOnTty(["sources", sources], NO_COLOR);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`L${SHOWN}`);
    expectSafe(r.stdout);
  });

  it("escapes test names, paths and values in test diffs", async () => {
    const dir = tempDir();
    const test = [
      `name: ${JSON.stringify(`evil ${EVIL}`)}`,
      "logType: Hex.Audit",
      `input: ${JSON.stringify(EVIL_EVENT)}`,
      `result: ${JSON.stringify(JSON.stringify({ event: { actor: { id: "plain" } } }))}`,
      "",
    ].join("\n");
    writeFileSync(join(dir, "evil_tests.yml"), test);
    for (const run of [() => hexlogOnTty(["test", dir], NO_COLOR), () => hexlog(["test", dir, "--format", "github"])]) {
      const r = await run();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(SHOWN);
      expectSafe(r.stdout);
      expectSafe(r.stderr);
    }
  });

  it("escapes YAML quoted in validate-schema messages, in text and github formats", async () => {
    const schema = file("s.yml", `schema: Custom.Evil\nfields:\n  - name: a\n    type: string\n    ${JSON.stringify(`indicator${EVIL}`)}: [ip]\n`);
    for (const format of ["text", "github"]) {
      const r = await hexlog(["validate-schema", "--format", format, schema]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("indicator\\u001b]0;PWNED");
      expectSafe(r.stdout);
      expectSafe(r.stderr);
    }
  });

  it("escapes schema descriptions in list-types, and the schema shown by --show on a terminal", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "s"));
    writeFileSync(join(dir, "s", "evil.yml"), `schema: Custom.Evil\ndescription: ${JSON.stringify(`about ${EVIL}`)}\nfields:\n  - name: a\n    type: string\n`);
    const list = await hexlogOnTty(["list-types", "--schemas", join(dir, "s")], NO_COLOR);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`about ${SHOWN}`);
    expectSafe(list.stdout);
    const show = await hexlogOnTty(["list-types", "--schemas", join(dir, "s"), "--show", "Custom.Evil"], NO_COLOR);
    expect(show.code).toBe(0);
    expectSafe(show.stdout);
  });

  it("escapes values and keys in hexlog explain on a terminal", async () => {
    const withKey = EVIL_EVENT.replace('{"source":"Hex"', `{"source":"Hex",${JSON.stringify(`k${EVIL}`)}:1`);
    const r = await hexlogOnTty(["explain", "-t", "Hex.Audit", file("e.ndjson", `${withKey}\n`)], NO_COLOR);
    expect(r.stdout).toContain("\\u001b]0;PWNED");
    expectSafe(r.stdout);
  });

  it("escapes serve's log lines: failed events of a request body", async () => {
    const server = await startServer(["-t", "Hex.Audit"]);
    try {
      const badTime = GOOD.replace('"occurred_at":"2024-05-14T08:57:12.204Z"', `"occurred_at":${JSON.stringify(EVIL)}`);
      const reply = await send(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: `${badTime}\n` });
      expect(reply.status).toBe(200);
    } finally {
      const r = await server.stop();
      expect(r.stderr).toContain(`event.occurred_at: expected RFC 3339 time like 2006-01-02T15:04:05Z, got "${SHOWN}"`);
      expectSafe(r.stderr);
    }
  });

  it("escapes hostile key names in the --unknown-fields report", async () => {
    const withKey = EVIL_EVENT.replace('{"source":"Hex"', `{"source":"Hex",${JSON.stringify(`k${EVIL}`)}:1`);
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--unknown-fields", ...FIXED], { input: `${withKey}\n` });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`k${SHOWN}  1`);
    expectSafe(r.stderr);
  });

  it("escapes words the command line did not understand", async () => {
    // argv cannot carry a NUL.
    const word = EVIL.replace("\u0000", "");
    const option = await hexlog(["parse", `--${word}`]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("\\u001b]0;PWNED");
    expectSafe(option.stderr);
    const missing = await hexlog(["parse", "-t", "Hex.Audit", `no-such${word}.ndjson`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no-such${SHOWN.replace("\\u0000", "")}`);
    expectSafe(missing.stderr);
  });

  it("escapes keys and values in infer's notes and skipped-event lines", async () => {
    const input = `${JSON.stringify({ [`k${EVIL}`]: "a", ts: "2024-01-01T00:00:00Z" })}\n${JSON.stringify(EVIL)}\n`;
    const r = await hexlog(["infer"], { input });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("<stdin>:2:");
    expectSafe(r.stderr);
  });
});
