/**
 * The in-order writer of `parse --workers` with fake lanes: results come back out of order and
 * the writer is slow, and what waits to be written stays under the byte bound.
 */
import { describe, expect, it } from "vitest";
import type { Batch } from "../../src/input/batches.js";
import { FailurePacker, noFailures } from "../../src/pipeline/parallel/failure-pack.js";
import { InOrder, resultBytes, type Lanes, type Run } from "../../src/pipeline/parallel/in-order.js";
import type { BatchResult } from "../../src/pipeline/parallel/messages.js";

const MiB = 1024 * 1024;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function result(id: number, records: number, failures = 0): BatchResult {
  const packer = new FailurePacker();
  for (let i = 0; i < failures; i++) packer.add({ line: i + 1, logType: "T", path: "", message: "bad", raw: "{}" }, 0);
  return {
    kind: "result",
    id,
    input: new Uint8Array(0),
    clean: true,
    records: records > 0 ? new Uint8Array(records) : null,
    idWidth: 1,
    spare: null,
    recordCount: 0,
    skipped: 0,
    perType: [],
    failures: failures > 0 ? packer.take() : noFailures(),
    indicators: null,
    unknown: null,
  };
}

/** Lanes whose every tenth run takes 50 event-loop turns and the others one, each result `size(id)` bytes. */
class SlowLanes implements Lanes {
  private nextId = 1;
  send(batch: Batch, chainTo: Run | null): Run {
    const id = this.nextId++;
    const r = result(id, id % 3 === 0 ? 0 : MiB, id % 3 === 0 ? 20_000 : 0);
    const run: Run = { id, lane: 0, batch, chainTo, continued: false, done: false, held: 0, result: Promise.resolve(r) };
    run.result = (async () => {
      for (let i = id % 10 === 1 ? 50 : 1; i > 0; i--) await tick();
      run.done = true;
      run.held = resultBytes(r);
      return r;
    })();
    return run;
  }
  release(): void {}
}

const batch = (): Batch => ({ bytes: new Uint8Array(0), firstLine: 1, midLine: false, last: false });

describe("InOrder", () => {
  it("never holds more than its byte bound (plus one result) of results waiting for a slow writer, and writes them in order", async () => {
    const limit = 4 * MiB;
    let most = 0;
    const written: number[] = [];
    const order: InOrder = new InOrder(new SlowLanes(), { batches: 1000, bytes: limit }, () => undefined, async (_input, r) => {
      most = Math.max(most, order.heldBytes);
      written.push(r.id);
      for (let i = 0; i < 3; i++) await tick();
    });
    for (let i = 0; i < 200; i++) {
      await order.submit(0, batch());
      most = Math.max(most, order.heldBytes);
    }
    await order.settleAll();
    expect(written).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(most).toBeGreaterThan(limit / 2);
    expect(most).toBeLessThanOrEqual(limit + MiB);
  });

  it("counts packed failures as held bytes like records", () => {
    const r = result(1, 0, 50_000);
    expect(resultBytes(r)).toBeGreaterThan(50_000 * 4);
    expect(resultBytes(result(2, 3 * MiB))).toBe(3 * MiB);
  });
  it("sends fewer batches ahead while the results are mostly failures, and the usual number for records", async () => {
    /** Lanes whose runs each take five event-loop turns; `failures` picks what a result holds. */
    const lanes = (failures: boolean): Lanes & { sent: number } => {
      const l = {
        sent: 0,
        send(b: Batch, chainTo: Run | null): Run {
          const id = ++l.sent;
          const r = failures ? result(id, 0, 100) : result(id, 1000);
          const run: Run = { id, lane: 0, batch: b, chainTo, continued: false, done: false, held: 0, result: Promise.resolve(r) };
          run.result = (async () => {
            for (let i = 0; i < 5; i++) await tick();
            run.done = true;
            run.held = resultBytes(r);
            return r;
          })();
          return run;
        },
        release(): void {},
      };
      return l;
    };
    const mostAhead = async (failures: boolean): Promise<number> => {
      const l = lanes(failures);
      let written = 0;
      let most = 0;
      const order = new InOrder(l, { batches: 8, bytes: 64 * MiB, failing: { batches: 2, bytes: 64 * MiB } }, () => undefined, async () => {
        // From the tenth on: the bound changes once the first result shows what results hold.
        if (written >= 10) most = Math.max(most, l.sent - written);
        written++;
        await tick();
      });
      for (let i = 0; i < 50; i++) await order.submit(0, batch());
      await order.settleAll();
      expect(written).toBe(50);
      return most;
    };
    expect(await mostAhead(true)).toBeLessThanOrEqual(2);
    expect(await mostAhead(false)).toBeGreaterThan(2);
  });
});
