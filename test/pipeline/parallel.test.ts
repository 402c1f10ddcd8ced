/**
 * The parallel runtime in this process: a batch runner on cut batches, the row-id filler, and
 * parseInParallel with real worker threads (from the build the test run made).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileLogType, deadLetter, fixedClock, normalizeStream, type Clock } from "../../src/index.js";
import { RowIds } from "../../src/engine/rowid.js";
import { BatchRunner } from "../../src/pipeline/parallel/batch-runner.js";
import { FailureReader } from "../../src/pipeline/parallel/failure-pack.js";
import { ROW_ID_MARK, type RunRequest, type WorkerSetup } from "../../src/pipeline/parallel/messages.js";
import { RowIdFiller } from "../../src/pipeline/parallel/row-id-filler.js";
import { RunStats } from "../../src/pipeline/stats.js";
import type { EventFailure } from "../../src/pipeline/events.js";
import { ROOT } from "../helpers/cli.js";

const HEX = readFileSync("schemas/Hex.Audit.yml", "utf8");
const AUDIT = readFileSync("testdata/hex/audit.ndjson");
const NOW = { sec: 1767225600, ms: 1767225600000, text: "2026-01-01T00:00:00Z" };

async function setupFor(schemaText: string): Promise<WorkerSetup> {
  const { parse } = await import("yaml");
  return { types: [{ value: parse(schemaText, { version: "1.2" }), defaultName: "x" }], indicators: false, unknownFields: false, maxEventBytes: 1 << 20, now: NOW };
}

function request(id: number, bytes: Buffer, firstLine: number, chainTo: number | null, last: boolean): RunRequest {
  return { kind: "run", id, bytes: new Uint8Array(bytes), firstLine, last, chainTo, spare: null, idWidth: 2 };
}

describe("BatchRunner", () => {
  it("frames a batch cut inside a pretty-printed event by continuing the batch before it", async () => {
    const runner = new BatchRunner(await setupFor(HEX));
    const pretty = readFileSync("testdata/hex/audit-pretty.json");
    const cut = Math.floor(pretty.length / 2);
    const first = runner.run(request(1, pretty.subarray(0, cut), 1, null, false));
    expect(first.clean).toBe(false);
    const second = runner.run(request(2, pretty.subarray(cut), 1, 1, true));
    const records = Buffer.from(second.records ?? new Uint8Array()).toString("utf8").trim().split("\n");
    const whole = new BatchRunner(await setupFor(HEX)).run(request(3, pretty, 1, null, true));
    expect(first.recordCount + second.recordCount).toBe(whole.recordCount);
    expect(records.every((r) => r.includes(`"p_row_id":"${ROW_ID_MARK.repeat(2)}"`))).toBe(true);
  });

  it("reports failures with their line and how many records came before them", async () => {
    const runner = new BatchRunner(await setupFor(HEX));
    const [a, b] = AUDIT.toString("utf8").split("\n");
    const r = runner.run(request(1, Buffer.from(`${a}\n{"x":1}\n${b}\n`), 10, null, true));
    expect(r.recordCount).toBe(2);
    expect(r.failures.count).toBe(1);
    expect(new FailureReader(r.failures).next()).toMatchObject({ line: 11, logType: "Hex.Audit", path: "event", raw: '{"x":1}', at: 1 });
  });

  it("encodes every record into the spare buffer it is given, growing past it, multi-byte characters whole", async () => {
    const lines = AUDIT.toString("utf8").split("\n").filter(Boolean);
    // Non-ASCII text in a string field the schema keeps: 2-, 3- and 4-byte UTF-8.
    const wide = lines.map((l, i) => l.replace('"Acme Analytics"', `"Acme ${"é€😀".repeat(i * 40)}"`));
    const input = Buffer.from(`${wide.join("\n")}\n`);
    const want = new BatchRunner(await setupFor(HEX)).run(request(1, input, 1, null, true));
    for (const spareBytes of [0, 1, 700, 5000, 1 << 20]) {
      const spare = spareBytes === 0 ? null : new Uint8Array(spareBytes);
      const got = new BatchRunner(await setupFor(HEX)).run({ ...request(1, input, 1, null, true), spare });
      expect(got.recordCount).toBe(wide.length);
      expect(Buffer.from(got.records ?? new Uint8Array()).toString("utf8")).toBe(Buffer.from(want.records ?? new Uint8Array()).toString("utf8"));
      // The spare is used when it holds them all; else it is handed back.
      if (spare && spareBytes >= (want.records?.length ?? 0)) expect(got.records?.buffer).toBe(spare.buffer);
      else if (spare) expect(got.spare).toBe(spare);
    }
    const text = Buffer.from(want.records ?? new Uint8Array()).toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n").slice(0, -1).map((l) => (JSON.parse(l.replaceAll(ROW_ID_MARK, "x")) as { event: { actor: { metadata: { workspace: string } } } }).event.actor.metadata.workspace)).toEqual(
      wide.map((_, i) => `Acme ${"é€😀".repeat(i * 40)}`),
    );
  });
});

describe("RowIdFiller", () => {
  it("writes ids in place of marks of the same length, and splices them in when lengths differ", () => {
    let n = 0;
    const filler = new RowIdFiller({ next: () => String(n++ * 50) });
    const alloc = (size: number): Uint8Array => new Uint8Array(size);
    const marks = (w: number): string => ROW_ID_MARK.repeat(w);
    const text = `{"id":"${marks(1)}"}\n{"id":"${marks(1)}"}\n{"id":"${marks(1)}"}\n`;
    const out = filler.fill(Buffer.from(text), 3, 1, alloc).toString("utf8");
    expect(out).toBe('{"id":"0"}\n{"id":"50"}\n{"id":"100"}\n');
    expect(filler.width).toBe(3);
    expect(() => filler.fill(Buffer.from(text), 4, 1, alloc)).toThrow(/fewer row id marks/);
  });

  it("writes the ids of a seeded generator as bytes over the marks, the same ids in the same order as one thread, as the counter grows", () => {
    const expected = new RowIds(7, 0);
    const filler = new RowIdFiller(new RowIds(7, 0));
    const alloc = (size: number): Uint8Array => new Uint8Array(size);
    const want: string[] = [];
    const got: string[] = [];
    // Batches of 1 to 400 records: ids grow by two hex digits at 128 and 16,384 records, inside some batches and at the cut of others.
    for (let batch = 0, total = 0; total < 17_000; batch++) {
      const count = 1 + ((batch * 97) % 400);
      const marks = ROW_ID_MARK.repeat(filler.width);
      const text = Array.from({ length: count }, (_, i) => `{"n":${total + i},"p_row_id":"${marks}"}\n`).join("");
      const out = filler.fill(Buffer.from(text), count, filler.width, alloc).toString("utf8");
      for (const line of out.split("\n").filter(Boolean)) got.push((JSON.parse(line) as { p_row_id: string }).p_row_id);
      for (let i = 0; i < count; i++) want.push(expected.next());
      total += count;
    }
    expect(got).toEqual(want);
    expect(new Set(got).size).toBe(got.length);
  });
});

/** parseInParallel on two worker threads of the build, its outputs kept in memory. */
async function runInParallel(inputs: string[], batchBytes: number, setup: WorkerSetup): Promise<{ records: string[]; failures: EventFailure[]; stats: RunStats }> {
  const { parseInParallel } = (await import(join(ROOT, "dist", "pipeline", "parallel", "run-parallel.js"))) as typeof import("../../src/pipeline/parallel/run-parallel.js");
  const records: string[] = [];
  const failures: EventFailure[] = [];
  const stats = new RunStats();
  await parseInParallel({
    inputs,
    workers: 2,
    batchBytes,
    setup,
    outputs: {
      stdout: { writeLine: (l) => void records.push(l), writeBytes: (b, done) => (records.push(...b.toString("utf8").split("\n").filter((l) => l !== "")), done()) },
      stats,
      rowIds: new RowIds(7, 0),
      // Failures are the caller's to count, as parse counts them.
      fail: (f) => {
        stats.count(f.logType, false);
        failures.push(f);
      },
      flush: async () => undefined,
    },
    signal: new AbortController().signal,
    stopped: () => false,
    discarding: () => false,
    inputFailed: (e) => {
      throw e;
    },
  });
  return { records, failures, stats };
}

describe("parseInParallel", () => {
  it("gives the records, failures and counts one thread gives, in input order", async () => {
    const input = join(ROOT, "testdata", "bad", "malformed-json.ndjson");
    const { records: lines, failures, stats } = await runInParallel([join(ROOT, "testdata", "hex", "audit.ndjson"), input], 512, await setupFor(HEX));
    const ids = new RowIds(7, 0);
    expect(lines.map((l) => (JSON.parse(l) as { p_row_id: string }).p_row_id)).toEqual(lines.map(() => ids.next()));
    expect(stats.records).toBe(lines.length);
    expect(lines.length).toBeGreaterThanOrEqual(18);
    expect(failures.map((f) => [f.file, f.line])).toEqual([2, 4, 6, 7, 9].map((l) => [input, l]));
  }, 60_000);
});

describe("parseInParallel on generated streams", () => {
  const good = AUDIT.toString("utf8").split("\n").filter(Boolean);
  const pretty = JSON.stringify(JSON.parse(readFileSync("testdata/hex/audit-array.json", "utf8"))[0], null, 2);
  const piece = fc.oneof(
    fc.constantFrom(...good),
    fc.constant(pretty),
    fc.constant(`[${good[0]},\n${good[1]}]`),
    fc.constantFrom('{"event":{"action":"X"}}', "not json", '{"source":', "[", "]", "", "null", '"str"', "{}"),
    // A BOM at a line start (files concatenated), and events over maxEventBytes below.
    fc.constant(`\uFEFF${good[2]}`),
    fc.constant(`{"pad":"${"x".repeat(3000)}"}`),
    fc.constant(`${"y".repeat(2500)}`),
    fc.string({ maxLength: 30 }).map((s) => s.replace(/\n/g, "")),
  );

  it("accounts for every event (records + dead letters = events) and matches one thread", async () => {
    const { logType } = await compileLogType(HEX);
    const setup = { ...(await setupFor(HEX)), maxEventBytes: 2048 };
    const dir = mkdtempSync(join(tmpdir(), "hexlog-parallel-"));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 25 }), fc.integer({ min: 1, max: 400 }), async (pieces, batch) => {
        const file = join(dir, `input-${run++}.ndjson`);
        writeFileSync(file, `${pieces.join("\n")}\n`);
        // One thread: the pipeline parse runs without --workers.
        const one = { records: [] as string[], dead: [] as string[] };
        for await (const o of normalizeStream(Readable.from([readFileSync(file)]), { types: [logType!], clock: fixedClock(NOW.text) as Clock, rowIds: new RowIds(7, 0), maxEventBytes: 2048, label: file })) {
          if (o.ok) one.records.push(o.json);
          else one.dead.push(deadLetter(o));
        }
        const run2 = await runInParallel([file], batch, setup);
        const { stats } = run2;
        const two = { records: run2.records, dead: run2.failures.map((f) => deadLetter(f)) };
        expect(two.records.length + two.dead.length).toBe(stats.events);
        expect(stats).toMatchObject({ records: one.records.length, errors: one.dead.length });
        expect(two).toEqual(one);
        // Every good NDJSON line given is among the records.
        expect(two.records.length).toBeGreaterThanOrEqual(pieces.filter((p) => good.includes(p)).length);
      }),
      { numRuns: 12 },
    );
  }, 180_000);
});
