import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLogTypes, pickTypes } from "../../src/catalog/load-types.js";
import { fixedClock, type Clock } from "../../src/pipeline/clock.js";
import type { LogType } from "../../src/engine/logtype.js";
import { RowIds } from "../../src/engine/rowid.js";
import { renderJson, renderText } from "../../src/tools/explain/render.js";
import { explainInputs } from "../../src/tools/explain/run.js";
import type { CandidateTrace, EventTrace, FieldTrace } from "../../src/tools/explain/trace.js";
import type { Palette } from "../../src/output/color.js";

const id = (s: string): string => s;
const PLAIN: Palette = { red: id, green: id, yellow: id, cyan: id, magenta: id, gray: id, dimCyan: id };

const NOW = { sec: 1_796_515_200, text: "2026-12-06T00:00:00Z" };

async function types(schemas: string[], names: string[] = []): Promise<LogType[]> {
  const loaded = await loadLogTypes(schemas);
  return pickTypes(loaded.types, names).types.map((t) => t.logType);
}

async function explain(logTypes: LogType[], file: string, options: { limit?: number; line?: number } = {}): Promise<EventTrace[]> {
  const traces: EventTrace[] = [];
  await explainInputs({
    inputs: [file],
    types: logTypes,
    ...options,
    maxEventBytes: 10 * 1024 * 1024,
    clock: fixedClock(NOW.text) as Clock,
    rowIds: new RowIds(1, 0),
    emit: (t) => {
      traces.push(t);
    },
    inputError: (e) => {
      throw e;
    },
  });
  return traces;
}

/** A file holding `text`, for inputs made up in a test. */
function input(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "hexlog-explain-")), "input.ndjson");
  writeFileSync(file, text);
  return file;
}

function winner(t: EventTrace): CandidateTrace {
  const w = t.candidates.find((c) => c.outcome === "matched");
  if (!w) throw new Error(`no candidate matched line ${t.framing.line}`);
  return w;
}

function field(c: CandidateTrace, path: string): FieldTrace {
  const f = c.fields.find((x) => x.path === path);
  if (!f) throw new Error(`no trace for ${path}`);
  return f;
}

/**
 * The trace must say what the engine did: the same winner, the record's schema fields as the
 * same text, the same p_event_time and p_any lists, and the engine's error as the first failure.
 */
function expectAgreement(t: EventTrace): void {
  const o = t.outcome;
  if (o.kind === "record") {
    const w = winner(t);
    expect(w.logType).toBe(o.logType);
    const body = w.record as string;
    expect(o.record.startsWith(body === "{}" ? '{"p_log_type"' : `${body.slice(0, -1)},"p_log_type"`), `line ${t.framing.line}: ${body} vs ${o.record}`).toBe(true);
    const real = JSON.parse(o.record) as Record<string, unknown>;
    expect(w.eventTime?.value).toBe(real.p_event_time);
    const anys = Object.fromEntries(Object.entries(real).filter(([k]) => k.startsWith("p_any_")));
    expect(w.indicators).toEqual(anys);
  } else if (o.kind === "error") {
    expect(t.winner).toBeNull();
    if (t.framing.error !== undefined) return;
    const blamed = t.candidates.length === 1 ? t.candidates[0] : t.candidates.find((c) => c.closest);
    if (!blamed) {
      // Not an object: every candidate fails the same way.
      expect(t.candidates.every((c) => c.error?.message === o.message)).toBe(true);
      return;
    }
    expect(blamed.logType).toBe(o.logType);
    expect(blamed.error?.path).toBe(o.path);
    expect(o.message.startsWith(blamed.error?.message as string)).toBe(true);
  } else {
    expect(t.candidates.some((c) => c.outcome === "skipped")).toBe(true);
  }
}

describe("explain traces agree with the engine", () => {
  const builtinFiles = [
    "testdata/hex/audit.ndjson",
    "testdata/hex/audit-array.json",
    "testdata/hex/audit-pretty.json",
    "testdata/auth0/events.ndjson",
    "testdata/panther/audit.ndjson",
    "testdata/mixed/all-types.ndjson",
    "testdata/bad/malformed-json.ndjson",
    "testdata/bad/missing-required.ndjson",
    "testdata/bad/bad-timestamp.ndjson",
    "testdata/bad/wrong-type.ndjson",
    "testdata/bad/not-an-object.ndjson",
    "testdata/bad/mixed-garbage.ndjson",
    "testdata/bad/crlf-bom.ndjson",
  ];
  for (const file of builtinFiles) {
    it(`on every event of ${file}, classified among the built-in types`, async () => {
      const traces = await explain(await types([]), file);
      expect(traces.length).toBeGreaterThan(0);
      traces.forEach(expectAgreement);
    });
  }

  it("on the bad samples read as Hex.Audit alone, where the first failure is the engine's error", async () => {
    const hex = await types([], ["Hex.Audit"]);
    for (const file of builtinFiles.filter((f) => f.includes("/bad/"))) (await explain(hex, file)).forEach(expectAgreement);
  });

  it("on every transformation sample", async () => {
    for (const name of ["composed", "concat", "copy", "mask", "rename", "split"]) {
      const traces = await explain(await types([`testdata/schemas/transform/${name}.yml`], []), `testdata/transform/${name}.ndjson`);
      traces.forEach(expectAgreement);
    }
  });

  it("on text logs: fastmatch, regex, csv with a header, and text mixed with JSON", async () => {
    const text = await types(["testdata/schemas/text"]);
    for (const file of ["apache/common.log", "apache/combined.log", "syslog/messages.log", "csv/logins-a.csv", "vpcflow/flow.log", "mixed/access-and-syslog.log", "mixed/json-and-syslog.log"]) {
      (await explain(text, `testdata/text/${file}`)).forEach(expectAgreement);
    }
    (await explain(await types(["testdata/schemas/text-lines"], ["Custom.FirewallCsv"]), "testdata/text/firewall/connections.csv")).forEach(expectAgreement);
  });

  it("on the explain sample, every step of which differs", async () => {
    const traces = await explain(await types(["testdata/explain/Custom.Login.yml"], ["Custom.Login"]), "testdata/explain/logins.ndjson");
    expect(traces).toHaveLength(4);
    traces.forEach(expectAgreement);
  });
});

describe("an explain trace", () => {
  const login = (): Promise<LogType[]> => types(["testdata/explain/Custom.Login.yml"], ["Custom.Login"]);

  it("gives framing: file, line, bytes and framer", async () => {
    const [t] = await explain(await login(), "testdata/explain/logins.ndjson", { line: 2 });
    expect(t?.framing).toEqual({ file: "testdata/explain/logins.ndjson", line: 2, bytes: 93, framer: "json" });
  });

  it("shows coercions, number literals and exact big integers after a lossless re-read", async () => {
    const [t] = await explain(await login(), "testdata/explain/logins.ndjson", { limit: 1 });
    const w = winner(t as EventTrace);
    expect(w.lossless).toMatch(/json fields/);
    expect(field(w, "seq")).toMatchObject({ raw: "12.50", output: '"12.50"', coercion: "number → string (its literal text)" });
    expect(field(w, "big")).toMatchObject({ output: "9007199254740993", coercion: "kept exact (beyond 2^53)" });
    expect(field(w, "ratio")).toMatchObject({ raw: '"0.25"', output: "0.25", coercion: "string → float" });
    expect(field(w, "extra").output).toBe('{"n":123456789012345678901}');
  });

  it("lists each time format tried, the one that matched, and which isEventTime field set p_event_time", async () => {
    const [first, second] = await explain(await login(), "testdata/explain/logins.ndjson", { limit: 2 });
    const at1 = field(winner(first as EventTrace), "at");
    expect(at1.timeFormats?.map((f) => f.result)).toEqual(["matched", "not tried", "not tried"]);
    expect(at1.eventTime).toBe("chosen");
    expect(field(winner(first as EventTrace), "logged").eventTime).toBe("earlier field chose");
    const at2 = field(winner(second as EventTrace), "at");
    expect(at2.timeFormats).toEqual([
      { format: "%d/%b/%Y:%H:%M:%S %z", result: "no match", message: "reads strings only" },
      { format: "rfc3339", result: "no match", message: "reads strings only" },
      { format: "unix_ms", result: "matched" },
    ]);
    expect(winner(second as EventTrace).eventTime).toEqual({ value: "2025-12-06T05:46:40.123Z", field: "at" });
  });

  it("says why p_event_time fell back to the parse time", async () => {
    const traces = await explain(await types(["testdata/schemas/transform/composed.yml"], ["Custom.Composed"]), "testdata/transform/composed.ndjson", { limit: 1 });
    const w = winner(traces[0] as EventTrace);
    expect(w.eventTime).toEqual({ value: NOW.text, fallback: "the schema marks no field isEventTime, so p_event_time is p_parse_time" });
  });

  it("records validate rules, transformations from where to where, and indicators with their field", async () => {
    const [t] = await explain(await login(), "testdata/explain/logins.ndjson", { limit: 1 });
    const w = winner(t as EventTrace);
    expect(field(w, "kind").validate).toEqual([{ rule: "allow (2 values)", ok: true }]);
    const user = field(w, "client.user");
    expect(user.input).toBe("client.user-name");
    expect(user.transformations).toEqual([{ kind: "rename", detail: 'from key "user-name" to "user"', result: '"alice"' }]);
    expect(user.indicators).toEqual([{ indicator: "username", field: "p_any_usernames", value: "alice" }]);
    const domain = field(w, "email_domain");
    expect(domain.transformations?.map((s) => s.kind)).toEqual(["copy", "split"]);
    expect(domain.output).toBe('"example.com"');
    expect(field(w, "who").transformations?.[0]?.result).toBe('"alice@acme"');
    expect(field(w, "secret").transformations?.[0]).toMatchObject({ kind: "mask", detail: "sha256 hash" });
    expect(field(w, "detail").transformations?.[0]).toMatchObject({ kind: "embedded JSON" });
    expect(field(w, "detail.count")).toMatchObject({ raw: '"3"', output: "3", coercion: "string → int" });
    expect(field(w, "tags[1]").indicators).toEqual([{ indicator: "hostname", field: "p_any_domain_names", value: "db-2.example.org" }]);
    expect(w.dropped).toEqual(["client.device", "unexpected"]);
  });

  it("goes on after a failure, so every problem shows, with the engine's error first", async () => {
    const [t] = await explain(await login(), "testdata/explain/logins.ndjson", { line: 3 });
    const c = (t as EventTrace).candidates[0] as CandidateTrace;
    expect(c.outcome).toBe("failed");
    expect(c.error).toEqual({ path: "kind", message: '"sudo" is not one of the allowed values (login, logout)' });
    expect(c.fields.filter((f) => f.status === "error").map((f) => f.path)).toEqual(["kind", "at", "client.ip"]);
    expect(field(c, "at").timeFormats?.every((f) => f.result === "no match")).toBe(true);
    expect(field(c, "client.ip").validate).toEqual([{ rule: "ip: any", ok: false, message: '"not-an-ip" is not a valid IP address' }]);
  });

  it("does not re-read an event for a number's literal after a failure, as the engine stops there", async () => {
    const [t] = await explain(await login(), input('{"id":"x","kind":"sudo","seq":12.50}\n'));
    const c = (t as EventTrace).candidates[0] as CandidateTrace;
    expect(c.lossless).toBeUndefined();
    expect(c.error?.path).toBe("kind");
    expect(field(c, "seq")).toMatchObject({ status: "not-reached", raw: "12.5" });
    expectAgreement(t as EventTrace);
  });

  it("fails a json value too deep to write as the engine does, without a crash", async () => {
    const deep = `{"id":"x","extra":${"[".repeat(100_000)}${"]".repeat(100_000)}}\n`;
    const [t] = await explain(await login(), input(deep));
    const c = (t as EventTrace).candidates[0] as CandidateTrace;
    expect(c.error?.message).toMatch(/^cannot serialize the record: /);
    expect(t?.outcome).toMatchObject({ kind: "error", path: "", message: c.error?.message });
    expectAgreement(t as EventTrace);
  });

  it("shows the value of a field of the wrong kind", async () => {
    const [t] = await explain(await login(), input('{"id":"x","client":[1,2],"seq":{"a":1}}\n'));
    const c = (t as EventTrace).candidates[0] as CandidateTrace;
    expect(field(c, "seq")).toMatchObject({ status: "error", raw: '{"a":1}', error: "expected a string, got an object" });
    expect(field(c, "client")).toMatchObject({ status: "error", raw: "[1,2]", error: "expected an object, got an array" });
    expectAgreement(t as EventTrace);
  });

  it("lists every candidate of a failed classification with its first error, and marks the closest", async () => {
    const [t] = await explain(await types([]), "testdata/bad/missing-required.ndjson", { line: 2 });
    const trace = t as EventTrace;
    expect(trace.candidates.map((c) => [c.logType, c.outcome, c.error?.path, c.closest ?? false])).toEqual([
      ["Hex.Audit", "failed", "event.occurred_at", true],
      ["Auth0.Events", "failed", "log_id", false],
      ["Panther.Audit", "failed", "actionName", false],
    ]);
    expect(trace.winner).toBeNull();
  });

  it("marks the candidates after the winner as not tried", async () => {
    const [t] = await explain(await types([]), "testdata/mixed/all-types.ndjson", { line: 2 });
    const outcomes = (t as EventTrace).candidates.map((c) => c.outcome);
    expect(outcomes.indexOf("matched")).toBeGreaterThanOrEqual(0);
    expect(outcomes.slice(outcomes.indexOf("matched") + 1).every((o) => o === "not-tried")).toBe(true);
  });

  it("shows a text parser's captures per placeholder, group and column", async () => {
    const text = await types(["testdata/schemas/text"]);
    const [apache] = await explain([text.find((x) => x.name === "Custom.ApacheCommon") as LogType], "testdata/text/apache/common.log", { limit: 1 });
    const p = winner(apache as EventTrace).parser;
    expect(p?.kind).toBe("fastmatch");
    expect(p?.pattern).toBe(0);
    expect(p?.captures?.slice(0, 3)).toEqual([
      { name: "remote_ip", value: "192.0.2.10" },
      { name: "identity", value: "-", kept: false },
      { name: "user", value: "frank" },
    ]);
    const [syslog] = await explain([text.find((x) => x.name === "Custom.Syslog") as LogType], "testdata/text/syslog/messages.log", { limit: 1 });
    expect(winner(syslog as EventTrace).parser?.captures).toContainEqual({ name: "pid", value: null });
    const csv = await explain([text.find((x) => x.name === "Custom.Logins") as LogType], "testdata/text/csv/logins-a.csv", { limit: 3 });
    expect(csv.map((t) => t.outcome.kind)).toEqual(["skipped", "skipped", "record"]);
    expect(csv[1]?.candidates[0]?.error?.message).toMatch(/header line: columns "time", "user"/);
    const cols = winner(csv[2] as EventTrace).parser;
    expect(cols?.captures?.[1]).toEqual({ name: "user", value: "alice" });
    expect(cols?.expanded).toEqual([{ name: "login", value: "alice@example.com" }]);
  });

  it("shows how far each fastmatch pattern got on a line none matches", async () => {
    const apache = await types(["testdata/schemas/text"], ["Custom.ApacheCommon"]);
    const [t] = await explain(apache, "testdata/text/apache/common.log", { line: 7 });
    expect(t?.candidates[0]?.parser?.attempts).toEqual([
      { pattern: 0, result: 'no " [" after field "user"' },
      { pattern: 1, result: 'no " [" after field "user"' },
    ]);
    expect(renderText(t as EventTrace, PLAIN)).toContain('fastmatch patterns, in order (the first that matches wins):\n  match[0] ✗ no " [" after field "user"\n');
  });

  it("keeps a CSV header read when only a later line is explained", async () => {
    const logins = (await types(["testdata/schemas/text"], ["Custom.Logins"]));
    const [t] = await explain(logins, "testdata/text/csv/logins-a.csv", { line: 4 });
    expect(t?.outcome.kind).toBe("record");
    expectAgreement(t as EventTrace);
  });

  it("explains a framing error without candidates", async () => {
    const [t] = await explain(await types([]), "testdata/bad/malformed-json.ndjson", { line: 2 });
    expect(t?.framing.error).toMatch(/unterminated string/);
    expect(t?.candidates).toEqual([]);
  });

  it("renders as text with values quoted, and as one JSON object per event with values as JSON", async () => {
    const [t] = await explain(await login(), "testdata/explain/logins.ndjson", { limit: 1 });
    const text = renderText(t as EventTrace, PLAIN);
    expect(text).toContain("  seq  string  12.50 → \"12.50\"");
    expect(text).toContain("time formats: %d/%b/%Y:%H:%M:%S %z ✓, rfc3339 (not tried), unix_ms (not tried)");
    expect(text).toContain("dropped (in the input, not in the schema): client.device, unexpected");
    const json = renderJson(t as EventTrace);
    expect(json).not.toContain("\n");
    expect(json).toContain('"raw":9007199254740993');
    expect(json).toContain('"output":{"n":123456789012345678901}');
    const parsed = JSON.parse(json) as { candidates: Array<{ fields: Array<{ path: string; output?: unknown }> }> };
    expect(parsed.candidates[0]?.fields.find((f) => f.path === "seq")?.output).toBe("12.50");
  });
});
