/** The public API (src/index.ts) as a program uses it: load, compile, normalize, stream. */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline as pump } from "node:stream/promises";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { compileLogType, createNormalizeTransform, fixedClock, loadLogTypes, normalizeStream, Normalizer, RowIds, type Clock, type StreamOutcome } from "../../src/index.js";

const CLOCK = fixedClock("2026-01-02T03:04:05Z") as Clock;
const AUDIT = readFileSync("testdata/hex/audit.ndjson", "utf8");
const APP_SCHEMA = `schema: Custom.App
fields:
  - name: ts
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
  - name: user
    type: string
    indicators: [email]
  - name: n
    type: bigint
`;

describe("the library", () => {
  it("loads the built-in log types with no problems", async () => {
    const { types, problems } = await loadLogTypes();
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(["Hex.Audit", "Auth0.Events", "Panther.Audit"]));
    expect(problems).toEqual([]);
  });

  it("returns schema problems as values located at file:line:col, never throwing", async () => {
    const { logType, problems } = await compileLogType("schema: Custom.Bad\nfields:\n  - name: x\n    type: strin\n", { file: "bad.yml" });
    expect(logType).toBeUndefined();
    expect(problems[0]).toMatchObject({ file: "bad.yml", line: 4 });
    expect(problems[0]?.message).toMatch(/strin/);
    const loaded = await loadLogTypes({ schemas: ["testdata/no-such-dir"] });
    expect(loaded.problems[0]?.message).toMatch(/no such file/);
  });

  it("normalizes one event to a record as JSON text and as an object, indicators by p_any name", async () => {
    const { logType } = await compileLogType(APP_SCHEMA);
    expect(logType).toBeDefined();
    const n = new Normalizer({ types: [logType!], clock: CLOCK, rowIds: new RowIds(7) });
    const out = n.normalize({ ts: "2026-01-01T00:00:00Z", user: "ana@example.com", n: 1 });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.record).toMatchObject({ user: "ana@example.com", p_log_type: "Custom.App", p_event_time: "2026-01-01T00:00:00Z", p_parse_time: "2026-01-02T03:04:05Z" });
    expect(out.indicators).toEqual({ p_any_emails: ["ana@example.com"] });
    expect(JSON.parse(out.json)).toEqual(out.record);
  });

  it("keeps integers beyond 2^53 exact in the JSON text of an event given as text", async () => {
    const { logType } = await compileLogType(APP_SCHEMA);
    const n = new Normalizer({ types: [logType!], clock: CLOCK });
    const out = n.normalize('{"ts":"2026-01-01T00:00:00Z","n":1234567890123456789}');
    expect(out.ok && out.json).toContain('"n":1234567890123456789');
  });

  it("reports a failure with its field path and message", async () => {
    const { types } = await loadLogTypes();
    const n = new Normalizer({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK });
    const out = n.normalize({ nope: 1 });
    expect(out).toEqual({ ok: false, logType: "Hex.Audit", path: "event", message: "required field is missing" });
  });

  it("never writes an empty parse time: the system clock is the default", async () => {
    const { types } = await loadLogTypes();
    const n = new Normalizer({ types: types.filter((t) => t.name === "Hex.Audit") });
    const out = n.normalize(AUDIT.split("\n")[0]);
    expect(out.ok && out.record.p_parse_time).toMatch(/^20\d\d-\d\d-\d\dT/);
  });

  it("streams events from an async iterable of chunks, with their lines", async () => {
    const { types } = await loadLogTypes();
    const chunks = (async function* () {
      for (let i = 0; i < AUDIT.length; i += 100) yield AUDIT.slice(i, i + 100);
      yield "\n{oops}\n";
    })();
    const outcomes: StreamOutcome[] = [];
    for await (const o of normalizeStream(chunks, { types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, label: "audit" })) outcomes.push(o);
    expect(outcomes.filter((o) => o.ok).length).toBe(18);
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ file: "audit", raw: "{oops}" });
    expect(outcomes[0]).toMatchObject({ file: "audit", line: 1 });
  });

  it("runs as a Node Transform, honouring a slow reader", async () => {
    const { types } = await loadLogTypes();
    const seen: StreamOutcome[] = [];
    const slow = new Writable({
      objectMode: true,
      highWaterMark: 1,
      write(o: StreamOutcome, _e, done) {
        seen.push(o);
        setImmediate(done);
      },
    });
    await pump(Readable.from([Buffer.from(AUDIT)]), createNormalizeTransform({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK }), slow);
    expect(seen.filter((o) => o.ok)).toHaveLength(18);
  });
});
