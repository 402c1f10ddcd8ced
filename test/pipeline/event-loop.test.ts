/** The one pipeline: framing chosen by the log types, the clock, row ids and failure mapping. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import "../../src/engine/all-modules.js";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import type { RecordOutcome } from "../../src/engine/process.js";
import { fixedClock, isClock, type Clock } from "../../src/pipeline/clock.js";
import { EventPipeline, type EventSink } from "../../src/pipeline/event-loop.js";
import type { EventFailure } from "../../src/pipeline/events.js";

function typeFrom(file: string): LogType {
  const { logType, issues } = buildLogType(parse(readFileSync(file, "utf8"), { version: "1.2" }), "x");
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

const HEX = typeFrom("schemas/Hex.Audit.yml");
const APACHE = typeFrom("testdata/schemas/text/apache-common.yml");
const CLOUDTRAIL = typeFrom("testdata/native/schemas/AWS.CloudTrail.yml");
const CLOCK = fixedClock("2026-03-04T05:06:07.5Z") as Clock;

function collect(): { sink: EventSink; records: RecordOutcome[]; failures: EventFailure[]; skipped: number } {
  const out = { records: [] as RecordOutcome[], failures: [] as EventFailure[], skipped: 0, sink: undefined as unknown as EventSink };
  out.sink = { record: (r) => void out.records.push(r), failure: (f) => void out.failures.push(f), skipped: () => void out.skipped++ };
  return out;
}

describe("EventPipeline", () => {
  it("frames JSON for JSON log types and stamps the clock's parse time on every record", () => {
    const pipeline = new EventPipeline({ types: [HEX], clock: CLOCK, rowIds: { next: () => "id" } });
    const out = collect();
    const input = pipeline.open("audit.ndjson");
    input.push(readFileSync("testdata/hex/audit.ndjson"), out.sink);
    input.end(out.sink);
    expect(out.records.length).toBe(18);
    expect(out.failures).toEqual([]);
    for (const r of out.records) expect(JSON.parse(r.json)).toMatchObject({ p_parse_time: "2026-03-04T05:06:07.5Z", p_row_id: "id", p_log_type: "Hex.Audit" });
  });

  it("hands each event to the sink as soon as it is framed, and a sink's exception stops the chunk without framing the event again", () => {
    const pipeline = new EventPipeline({ types: [HEX], clock: CLOCK });
    const seen: number[] = [];
    const sink: EventSink = {
      record: (_r, _file, line) => {
        seen.push(line);
        if (line === 2) throw new Error("sink broke");
      },
      failure: (f) => void seen.push(-f.line),
    };
    const event = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n")[0] as string;
    const input = pipeline.open("in.ndjson");
    expect(() => input.push(Buffer.from(`${event}\n${event}\n${event}\n`), sink)).toThrow("sink broke");
    expect(seen).toEqual([1, 2]);
  });

  it("hands the events of a file of events (CloudTrail's Records) to the sink one at a time too: a sink's exception leaves none of them to be handled again", () => {
    const pipeline = new EventPipeline({ types: [CLOUDTRAIL], clock: CLOCK });
    const [a, b] = readFileSync("testdata/native/cloudtrail/events.ndjson", "utf8").split("\n") as [string, string];
    const seen: number[] = [];
    let broken = false;
    const sink: EventSink = {
      record: (_r, _file, line) => {
        seen.push(line);
        if (!broken) {
          broken = true;
          throw new Error("sink broke");
        }
      },
      failure: (f) => void seen.push(-f.line),
    };
    const input = pipeline.open("trail.ndjson");
    expect(() => input.push(Buffer.from(`{"Records":[${a},${b}]}\n${a}\n`), sink)).toThrow("sink broke");
    expect(seen).toEqual([1]);
    // The next chunk's event is the only one handled after that (in batches, the rest of the
    // first chunk's events had waited in the batch and came again).
    input.push(Buffer.from(`${b}\n`), sink);
    input.end(sink);
    expect(seen).toHaveLength(2);
  });

  it("lets a sink inspect each event before the engine coerces it in place, then gives its outcome", () => {
    const pipeline = new EventPipeline({ types: [HEX], clock: CLOCK });
    const seen: string[] = [];
    const sink: EventSink = {
      inspect: (ev, file, lines) => {
        // With one log type the engine rewrites the event object; here it is still as read.
        const occurred = (ev.value as { event?: { occurred_at?: string } } | undefined)?.event?.occurred_at;
        seen.push(`inspect ${file}:${ev.line} ${occurred} ${lines === undefined ? "json" : "lines"}`);
      },
      record: (r) => void seen.push(`record ${r.logType}`),
      failure: (f) => void seen.push(`failure ${f.line}`),
    };
    const input = pipeline.open("in.ndjson");
    input.push(Buffer.from('{"event":{"action":"A","actor":{},"occurred_at":"2026-01-01T00:00:00.000Z"}}\n{"event":{}}\n'), sink);
    input.end(sink);
    expect(seen).toEqual([
      "inspect in.ndjson:1 2026-01-01T00:00:00.000Z json",
      "record Hex.Audit",
      "inspect in.ndjson:2 undefined json",
      "failure 2",
    ]);
  });

  it("frames lines when a candidate log type is a text schema", () => {
    const pipeline = new EventPipeline({ types: [APACHE], clock: CLOCK });
    const out = collect();
    const input = pipeline.open("common.log");
    input.push(readFileSync("testdata/text/apache/common.log"), out.sink);
    input.end(out.sink);
    const lines = readFileSync("testdata/text/apache/common.log", "utf8").split("\n").filter((l) => l.trim() !== "");
    expect(out.records.length + out.failures.length + out.skipped).toBe(lines.length);
    expect(out.records.length).toBeGreaterThan(0);
  });

  it("names the input, the line and the single log type in a failure, with the raw text", () => {
    const pipeline = new EventPipeline({ types: [HEX], clock: CLOCK });
    const out = collect();
    const input = pipeline.open("bad.ndjson");
    input.push(Buffer.from('{"not":"hex"}\n{"a":tru}\n'), out.sink);
    input.end(out.sink);
    expect(out.failures.map((f) => [f.file, f.line, f.logType, f.raw])).toEqual([
      ["bad.ndjson", 1, "Hex.Audit", '{"not":"hex"}'],
      ["bad.ndjson", 2, "Hex.Audit", "{\"a\":tru}"],
    ]);
    expect(out.failures[1]?.message).toMatch(/invalid JSON/);
  });

  it("keeps an event cut across chunks whole, and its line number", () => {
    const pipeline = new EventPipeline({ types: [HEX], clock: CLOCK });
    const out = collect();
    const text = readFileSync("testdata/hex/audit.ndjson");
    const input = pipeline.open("x");
    for (let i = 0; i < text.length; i += 7) input.push(text.subarray(i, i + 7), out.sink);
    input.end(out.sink);
    expect(out.records.length).toBe(18);
  });

  it("reads the clock again for each chunk", () => {
    let now = 0;
    const clock: Clock = { now: () => ({ sec: now, ms: now * 1000, text: `T${now}` }) };
    const pipeline = new EventPipeline({ types: [HEX], clock });
    const out = collect();
    const [a, b] = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n");
    const input = pipeline.open("x");
    now = 1;
    input.push(Buffer.from(`${a}\n`), out.sink);
    now = 2;
    input.push(Buffer.from(`${b}\n`), out.sink);
    expect(out.records.map((r) => (JSON.parse(r.json) as { p_parse_time: string }).p_parse_time)).toEqual(["T1", "T2"]);
  });

  it("refuses to run without a log type", () => {
    expect(() => new EventPipeline({ types: [] })).toThrow(/at least one log type/);
  });
});

describe("fixedClock", () => {
  it("reads RFC 3339 and reports anything else as a problem", () => {
    const c = fixedClock("2026-01-01T00:00:01.640Z");
    expect(isClock(c) && c.now()).toEqual({ sec: 1767225601, ms: 1767225601640, text: "2026-01-01T00:00:01.64Z" });
    const bad = fixedClock("yesterday");
    expect(isClock(bad)).toBe(false);
  });
});
