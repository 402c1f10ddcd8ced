/** EventProcessor: an event no candidate type accepts is blamed on the type it got furthest with. */
import { describe, expect, it } from "vitest";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import { EventProcessor, type ErrorOutcome } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";

function type(schema: Record<string, unknown>, builtin = false): LogType {
  const { logType, issues } = buildLogType(schema, "x", builtin);
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

/** Shaped like a built-in envelope: nothing of the app's event in it, but a required object. */
const ENVELOPE = type({ schema: "Hex.Envelope", fields: [{ name: "event", type: "object", required: true, fields: [{ name: "action", type: "string" }] }] }, true);
const APP = type({
  schema: "Custom.MyApp",
  fields: [
    { name: "ts", type: "timestamp", timeFormat: "%Y-%m-%d %H:%M:%S", isEventTime: true },
    { name: "action", type: "string" },
  ],
});
const OTHER_BUILTIN = type({ schema: "Hex.Other", fields: [{ name: "id", type: "int", required: true }] }, true);
const OTHER_USER = type({ schema: "Custom.Other", fields: [{ name: "id", type: "int", required: true }] });

function fail(types: LogType[], event: Record<string, unknown>): ErrorOutcome {
  const p = new EventProcessor(types, { rowIds: new RowIds(1, 0) });
  p.setClock(0, "2026-01-01T00:00:00Z");
  const raw = JSON.stringify(event);
  const o = p.process(raw, JSON.parse(raw));
  if (o.ok) throw new Error(`expected a failure, got ${o.json}`);
  return o;
}

describe("blaming the closest log type", () => {
  it("blames the type that declares the event's fields, not the one whose error is deepest", () => {
    const o = fail([ENVELOPE, APP], { ts: "2024-06-01T12:00:01", action: "login" });
    expect(o.logType).toBe("Custom.MyApp");
    expect(o.path).toBe("ts");
    expect(o.message).toMatch(/\(matches none of 2 log types; Custom\.MyApp came closest\)$/);
  });

  it("lists every candidate's first error, the closest first", () => {
    const o = fail([ENVELOPE, APP], { ts: "2024-06-01T12:00:01", action: "login" });
    expect(o.candidates?.map((c) => c.logType)).toEqual(["Custom.MyApp", "Hex.Envelope"]);
    expect(o.candidates?.[1]).toEqual({ logType: "Hex.Envelope", path: "event", message: "required field is missing" });
    expect(o.candidates?.[0]?.message).not.toContain("came closest");
  });

  it("prefers the user's own schema when two types got equally far, whatever the declared order", () => {
    expect(fail([OTHER_BUILTIN, OTHER_USER], { id: "x" }).logType).toBe("Custom.Other");
    expect(fail([OTHER_USER, OTHER_BUILTIN], { id: "x" }).logType).toBe("Custom.Other");
  });

  it("keeps declared order between equally close types of the same origin", () => {
    const a = type({ schema: "Custom.A", fields: [{ name: "id", type: "int", required: true }] });
    const b = type({ schema: "Custom.B", fields: [{ name: "id", type: "int", required: true }] });
    expect(fail([a, b], { id: "x" }).logType).toBe("Custom.A");
    expect(fail([b, a], { id: "x" }).logType).toBe("Custom.B");
  });

  it("gives one type's error alone, without candidates, when there is a single type", () => {
    const o = fail([APP], { ts: "nope" });
    expect(o.candidates).toBeUndefined();
    expect(o.message).not.toContain("came closest");
  });
});
