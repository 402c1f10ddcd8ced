/**
 * The three built-in log types on their bundled samples, in process: loaded as parse loads them,
 * normalized by the pipeline parse runs (test/helpers/parse-in-process.ts). Inputs, flags and
 * dead-letter files are in test/e2e/parse-builtin.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BundledSchema } from "../../src/catalog/files.js";
import { parseInProcess } from "../helpers/parse-in-process.js";

/** `hexlog parse -t TYPE FILE --now 2026-11-21T12:00:00Z --seed 7`, in process. */
function builtin(type: string, file: string) {
  return parseInProcess({ schemas: [], type, file });
}

describe("the built-in Hex.Audit", () => {
  it("turns every webhook delivery into a record with the schema's fields in order", async () => {
    const r = await builtin("Hex.Audit", "testdata/hex/audit.ndjson");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const recs = r.recs;
    expect(recs).toHaveLength(18);
    const first = recs[0] as Record<string, unknown>;
    expect(Object.keys(first).slice(0, 4)).toEqual(["source", "keySuffix", "timestamp", "event"]);
    expect(Object.keys(first).slice(4, 8)).toEqual(["p_log_type", "p_row_id", "p_event_time", "p_parse_time"]);
    expect(first.p_log_type).toBe("Hex.Audit");
    expect(first.p_parse_time).toBe("2026-11-21T12:00:00Z");
    const event = first.event as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(Object.keys(event).filter((k) => ["actor", "action", "context", "targets", "version", "metadata", "occurred_at"].includes(k)));
  });

  it("takes p_event_time from event.occurred_at in UTC, not from the delivery timestamp", async () => {
    const r = await builtin("Hex.Audit", "testdata/hex/audit.ndjson");
    const recs = r.recs;
    // line 2: 2024-05-14T10:58:40.61+02:00
    expect(recs[1]?.p_event_time).toBe("2024-05-14T08:58:40.61Z");
    expect((recs[1]?.event as Record<string, unknown>).occurred_at).toBe("2024-05-14T08:58:40.61Z");
    // line 12 keeps its nanoseconds; line 8 drops a zero fraction
    expect(recs[11]?.p_event_time).toBe("2024-05-14T12:00:00.000123456Z");
    expect(String(recs[7]?.p_event_time)).toMatch(/T10:05:33Z$/);
    for (const rec of recs) expect(rec.p_event_time).not.toBe(rec.timestamp);
  });

  it("extracts actor ids, emails, IPs and trace ids into sorted p_any fields", async () => {
    const r = await builtin("Hex.Audit", "testdata/hex/audit.ndjson");
    const recs = r.recs;
    const line = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n")[0] as string;
    const input = JSON.parse(line) as { event: { actor: { id: string; metadata: { email: string } }; context: { location: string }; metadata?: { hexTraceId?: string } } };
    const rec = recs[0] as Record<string, unknown>;
    expect(rec.p_any_actor_ids).toEqual([input.event.actor.id]);
    expect(rec.p_any_emails).toEqual([input.event.actor.metadata.email]);
    expect(rec.p_any_ip_addresses).toEqual([input.event.context.location]);
    if (input.event.metadata?.hexTraceId) expect(rec.p_any_trace_ids).toEqual([input.event.metadata.hexTraceId]);
    const keys = Object.keys(rec).filter((k) => k.startsWith("p_any_"));
    const order = ["p_any_ip_addresses", "p_any_trace_ids", "p_any_emails", "p_any_actor_ids"];
    expect(keys).toEqual(order.filter((k) => keys.includes(k)));
  });
});

describe("the built-in Auth0.Events and Panther.Audit", () => {
  it("parses Auth0 log-stream events of every kind, event time from data.date", async () => {
    const r = await builtin("Auth0.Events", "testdata/auth0/events.ndjson");
    expect(r.code).toBe(0);
    const recs = r.recs;
    expect(recs).toHaveLength(13);
    for (const rec of recs) {
      const data = rec.data as Record<string, unknown>;
      expect(rec.p_event_time).toBe(data.date);
      expect(rec.p_any_ip_addresses).toEqual([data.ip]);
    }
    const types = recs.map((x) => (x.data as Record<string, unknown>).type);
    expect(types).toEqual(expect.arrayContaining(["s", "f", "fp", "fu", "sapi", "slo"]));
  });

  it("parses Panther audit records in RFC 3339 and in the data-lake time form", async () => {
    const r = await builtin("Panther.Audit", "testdata/panther/audit.ndjson");
    expect(r.code).toBe(0);
    const recs = r.recs;
    expect(recs).toHaveLength(14);
    expect(recs[9]?.p_event_time).toBe("2024-05-14T21:02:58Z");
    expect(String(recs[5]?.p_event_time)).toMatch(/T10:30:17\.9Z$/);
    expect(recs[0]?.errors).toBeUndefined(); // null
    expect(recs[3]?.errors).toBeUndefined(); // []
    for (const rec of recs) expect(rec.p_event_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });
});

describe("failures of the built-in types", () => {
  it("names the file, line, log type and field path of a missing required field", async () => {
    const r = await builtin("Hex.Audit", "testdata/bad/missing-required.ndjson");
    expect(r.stderr).toContain("testdata/bad/missing-required.ndjson:2: Hex.Audit: event.occurred_at: required field is missing");
    expect(r.stderr).toContain("testdata/bad/missing-required.ndjson:4: Hex.Audit: event.action: required field is missing");
    expect(r.stderr).toContain("testdata/bad/missing-required.ndjson:8: Hex.Audit: event: required field is missing");
  });
});

describe("the bundled built-ins", () => {
  it("carry exactly what the schema check makes of each, so a run compiles them without checking again", async () => {
    const { checkSchema } = await import("../../src/language/check.js");
    // The build's bundle (vitest's global setup builds before each run).
    const bundled = JSON.parse(readFileSync("dist/builtin-schemas.json", "utf8")) as BundledSchema[];
    expect(bundled.map((b) => b.name).sort()).toEqual(["Auth0.Events", "Hex.Audit", "Panther.Audit"]);
    for (const b of bundled) {
      expect(b.checked, b.file).toEqual(checkSchema(b.value, b.file.replace(/\.ya?ml$/, "")).schema);
    }
  });
});
