/** The single-threaded reading loop: every event accounted for, the outputs flushed often. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildLogType } from "../../src/engine/logtype.js";
import { fixedClock, type Clock } from "../../src/pipeline/clock.js";
import { EventPipeline } from "../../src/pipeline/event-loop.js";
import { runInputs } from "../../src/pipeline/run-inputs.js";

const { logType: HEX } = buildLogType(parse(readFileSync("schemas/Hex.Audit.yml", "utf8"), { version: "1.2" }), "x");

describe("runInputs", () => {
  it("flushes the outputs every 16 KiB of input, so the errors of tiny failing events never pile up a whole chunk's worth", async () => {
    if (!HEX) throw new Error("Hex.Audit did not build");
    // 200 KiB of `{}` lines: three 64 KiB read chunks and a bit, every event a failure.
    const file = join(mkdtempSync(join(tmpdir(), "hexlog-run-inputs-")), "empty.ndjson");
    const events = 70_000;
    writeFileSync(file, "{}\n".repeat(events));
    const pipeline = new EventPipeline({ types: [HEX], clock: fixedClock("2026-03-04T05:06:07Z") as Clock });
    let failures = 0;
    let sinceFlush = 0;
    let mostBetweenFlushes = 0;
    await runInputs({
      inputs: [file],
      pipeline,
      sink: { record: () => undefined, failure: () => void (failures++, sinceFlush++), skipped: () => undefined },
      stopped: () => false,
      inputFailed: (e) => {
        throw e;
      },
      flush: async () => {
        mostBetweenFlushes = Math.max(mostBetweenFlushes, sinceFlush);
        sinceFlush = 0;
      },
    });
    expect(failures).toBe(events);
    // 16 KiB holds 5,461 three-byte lines (and one cut line finished by the next slice).
    expect(mostBetweenFlushes).toBeLessThanOrEqual(5462);
    expect(mostBetweenFlushes).toBeGreaterThan(5000);
  });
});
