/**
 * Keeps the batches of `parse --workers` in input order (run-parallel.ts): sends them out
 * speculatively, accepts or redoes their results in order, and bounds what waits to be written
 * by count and by bytes.
 */
import type { Batch } from "../../input/batches.js";
import { packedBytes } from "./failure-pack.js";
import type { BatchResult } from "./messages.js";

/** One framing of a batch, by a worker or by the main thread. */
export interface Run {
  id: number;
  /** Where it runs: a worker's index, or the number of workers for the main thread. */
  lane: number;
  batch: Batch;
  /** The run whose framer this one continues, or null for a fresh framer. */
  chainTo: Run | null;
  /** A run continuing this one's framer was sent. */
  continued: boolean;
  /** Its result has come. */
  done: boolean;
  /** Once done: the bytes its result holds (resultBytes). */
  held: number;
  result: Promise<BatchResult>;
}

/** Where runs go (the pool of run-parallel.ts). */
export interface Lanes {
  /** Sends a batch to be framed fresh, or continuing `chainTo` where its framer is. */
  send(batch: Batch, chainTo: Run | null): Run;
  /** Lets a lane drop the framer it kept for a run nobody will continue. */
  release(run: Run): void;
}

/** What a result holds in memory until it is written: its records and its failures. */
export function resultBytes(r: BatchResult): number {
  return (r.records?.length ?? 0) + packedBytes(r.failures);
}

export interface InOrderLimits {
  /** Batches sent and not yet written. */
  batches: number;
  /** Bytes of results waiting to be written or still to come (projectedBytes); past it, the oldest is waited for. */
  bytes: number;
  /** Tighter bounds, used while the last result written held more failures than records (in bytes). */
  failing?: { batches: number; bytes: number } | undefined;
}

interface Slot {
  input: number;
  batch: Batch;
  run: Run;
}

export class InOrder {
  private readonly queue: Slot[] = [];
  private last: Slot | undefined;
  /** The last accepted run, its input, and whether it ended cleanly. */
  private accepted: { run: Run; input: number; clean: boolean } | undefined;
  /** An input whose framing is crossing batch cuts: its batches go on one chain. */
  private chainedInput = -1;
  /** The last result written held more bytes of failures than of records. */
  private failing = false;
  /** Batches written, by the lane that ran them. */
  readonly perLane: number[] = [];

  constructor(
    private readonly lanes: Lanes,
    private readonly limits: InOrderLimits,
    /** A result thrown away (its batch is framed again): its buffers can be reused. */
    private readonly discard: (r: BatchResult) => void,
    private readonly write: (input: number, r: BatchResult) => Promise<void>,
  ) {}

  /** The largest result so far, in bytes: what a result still to come is taken to hold. */
  private largest = 0;

  /** Bytes of the results come back and waiting to be written. */
  get heldBytes(): number {
    let n = 0;
    for (const s of this.queue) if (s.run.done) n += s.run.held;
    return n;
  }

  /**
   * The results waiting, with those still out counted as large as the largest so far: results
   * keep coming while the oldest is waited for, so the bound must count them before they come.
   */
  private projectedBytes(): number {
    let n = 0;
    for (const s of this.queue) {
      if (s.run.done) this.largest = Math.max(this.largest, s.run.held);
      n += s.run.done ? s.run.held : Math.max(this.largest, s.batch.bytes.length);
    }
    return n;
  }

  async submit(input: number, batch: Batch): Promise<void> {
    // Takes in the results workers sent meanwhile, so that one with room gets this batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const prev = this.last?.input === input ? this.last.run : null;
    const chain = prev && (batch.midLine || this.chainedInput === input) ? prev : null;
    const slot: Slot = { input, batch, run: this.lanes.send(batch, chain) };
    this.queue.push(slot);
    this.last = slot;
    // Results ready in order are written now; past either bound, the oldest is waited for.
    for (;;) {
      const limits = (this.failing && this.limits.failing) || this.limits;
      if (this.queue.length === 0 || !((this.queue[0] as Slot).run.done || this.queue.length >= limits.batches || this.projectedBytes() > limits.bytes)) break;
      await this.settleOldest();
    }
  }

  async settleAll(): Promise<void> {
    while (this.queue.length > 0) await this.settleOldest();
  }

  private async settleOldest(): Promise<void> {
    const slot = this.queue[0] as Slot;
    let result = await slot.run.result;
    const prev = this.accepted;
    const sameInput = prev !== undefined && prev.input === slot.input;
    if (prev && !sameInput && !prev.clean && !prev.run.continued) this.lanes.release(prev.run);
    // The first batch of an input starts a fresh framer at line 1: always right.
    const valid = !sameInput || (slot.run.chainTo === null ? prev.clean : slot.run.chainTo === prev.run);
    if (!valid) {
      if (!result.clean && !slot.run.continued) this.lanes.release(slot.run);
      this.discard(result);
      slot.run = this.lanes.send(slot.batch, (prev as { run: Run }).run);
      result = await slot.run.result;
    }
    this.accepted = { run: slot.run, input: slot.input, clean: result.clean };
    this.perLane[slot.run.lane] = (this.perLane[slot.run.lane] ?? 0) + 1;
    this.failing = packedBytes(result.failures) > (result.records?.length ?? 0);
    if (!result.clean) this.chainedInput = slot.input;
    else if (this.chainedInput === slot.input) this.chainedInput = -1;
    // Counted as held until written (the slot leaves the queue after).
    await this.write(slot.input, result);
    this.queue.shift();
  }
}
