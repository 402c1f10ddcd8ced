/** The single-threaded reading loop: every event accounted for, the outputs flushed often. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildLogType } from "../../src/engine/logtype.js";
import { fixedClock, type Clock } from "../../src/pipeline/clock.js";
import { EventPipeline, type EventSink } from "../../src/pipeline/event-loop.js";
import { RowIds } from "../../src/engine/rowid.js";
import { runInputs } from "../../src/pipeline/run-inputs.js";

const { logType: HEX } = buildLogType(parse(readFileSync("schemas/Hex.Audit.yml", "utf8"), { version: "1.2" }), "x");

/** Runs `text` through Hex.Audit: the events and failures between each two flushes. */
async function flushes(text: string): Promise<{ failures: number; records: number; between: number[] }> {
  if (!HEX) throw new Error("Hex.Audit did not build");
  const file = join(mkdtempSync(join(tmpdir(), "hexlog-run-inputs-")), "input.ndjson");
  writeFileSync(file, text);
  const pipeline = new EventPipeline({ types: [HEX], clock: fixedClock("2026-03-04T05:06:07Z") as Clock });
  const out = { failures: 0, records: 0, between: [] as number[] };
  let since = 0;
  await runInputs({
    inputs: [file],
    pipeline,
    sink: { record: () => void (out.records++, since++), failure: () => void (out.failures++, since++), skipped: () => undefined },
    stopped: () => false,
    inputFailed: (e) => {
      throw e;
    },
    flush: async () => {
      out.between.push(since);
      since = 0;
    },
  });
  return out;
}

describe("runInputs", () => {
  it("flushes every 16 KiB of input once a chunk was mostly failures, so the errors of tiny failing events never pile up a whole chunk's worth", async () => {
    // 200 KiB of `{}` lines: three 64 KiB read chunks and a bit, every event a failure.
    const out = await flushes("{}\n".repeat(70_000));
    expect(out.failures).toBe(70_000);
    // The first chunk (21,845 lines) tells; after it, 16 KiB holds 5,461 three-byte lines (and one cut line).
    expect(out.between[0]).toBeGreaterThan(20_000);
    expect(Math.max(...out.between.slice(1))).toBeLessThanOrEqual(5462);
  });

  it("flushes once per read chunk while events become records (smaller writes would cost CPU)", async () => {
    const lines = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n").filter(Boolean);
    let text = "";
    while (text.length < 200 * 1024) text += `${lines.join("\n")}\n`;
    const out = await flushes(text);
    expect(out.records).toBe(text.split("\n").length - 1);
    // One flush per 64 KiB chunk and one at the end of the input.
    expect(out.between.length).toBe(Math.ceil(text.length / 65536) + 1);
  });

  it("makes the same records from a file read in reused chunks as from the whole text at once, characters split between chunks included", async () => {
    if (!HEX) throw new Error("Hex.Audit did not build");
    const lines = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n").filter(Boolean);
    // Multi-byte characters of every length at shifting offsets, so some straddle a 64 KiB boundary.
    const events = Array.from({ length: 900 }, (_, i) => lines[i % lines.length]!.replace('"workspace":"', `"workspace":"${"é€😀".repeat(1 + (i % 5))}`));
    const text = `${events.join("\n")}\n`;
    const file = join(mkdtempSync(join(tmpdir(), "hexlog-run-inputs-")), "input.ndjson");
    writeFileSync(file, text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 65536);
    const clock = fixedClock("2026-03-04T05:06:07Z") as Clock;
    const recordsOf = (collect: (pipeline: EventPipeline, sink: EventSink) => Promise<void>): Promise<string[]> => {
      const json: string[] = [];
      const pipeline = new EventPipeline({ types: [HEX], clock, rowIds: new RowIds(7) });
      const sink: EventSink = { record: (r) => void json.push(r.json), failure: (f) => void json.push(`failure ${f.message}`) };
      return collect(pipeline, sink).then(() => json);
    };
    const read = await recordsOf((pipeline, sink) =>
      runInputs({ inputs: [file], pipeline, sink, stopped: () => false, inputFailed: (e) => { throw e; }, flush: async () => undefined }),
    );
    const whole = await recordsOf(async (pipeline, sink) => {
      const run = pipeline.open(file);
      run.push(Buffer.from(text), sink);
      run.end(sink);
    });
    expect(read).toHaveLength(900);
    expect(read.filter((r) => r.includes("é€😀"))).toHaveLength(900);
    expect(read).toEqual(whole);
  });
});
