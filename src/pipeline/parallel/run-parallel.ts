/**
 * `hexlog parse --workers N`: N threads parse, the main thread and N - 1 worker threads. The main
 * thread reads, cuts the input into batches of whole lines (src/input/batches.ts; a regular
 * uncompressed file is read straight into them, src/input/plain-file.ts), sends each
 * to a worker with room or else parses it itself (parse-batch.ts frames, parses, normalizes and
 * serializes a batch, on any thread), and writes results in input order.
 *
 * Batches are framed speculatively, each by a fresh framer, as if the batch before ended between
 * two events — true at almost every cut of NDJSON. A run reports whether its batch did end
 * so; when one did not (a multi-line value or an array runs across the cut), the result of the
 * batch after it is thrown away and that batch is framed again where the framer was kept,
 * continuing it. Until a batch ends cleanly again, batches are sent straight on that chain,
 * so arrays and pretty-printed values are parsed correctly at one thread's speed. The output is
 * therefore exactly that of one worker: same records, order, errors and line numbers.
 *
 * Row ids are handed out here, in input order, by the same generator one worker uses: runs
 * put marks (U+0001, which JSON text never holds raw) where the id goes (RowIdFiller).
 *
 * Bytes travel between threads by transfer, never by copy, and every large buffer is recycled
 * (batches, records, output), so the main thread's heap stays small and no garbage piles up
 * outside it. At most a few batches per thread wait to be written, and results are written with
 * back-pressure: memory stays flat whatever the input size.
 */
import type { Worker } from "node:worker_threads";
import type { RowIdSource } from "../../engine/rowid.js";
import { LineBatcher, type Batch } from "../../input/batches.js";
import { InputError, readInput } from "../../input/open.js";
import { PlainFile } from "../../input/plain-file.js";
import { knownInputBytes } from "../../input/size.js";
import type { EventFailure } from "../events.js";
import type { IndicatorTally } from "../indicator-tally.js";
import type { RunStats } from "../stats.js";
import { inputLabel } from "../run-inputs.js";
import { BatchRunner } from "./batch-runner.js";
import { FailureReader } from "./failure-pack.js";
import { InOrder, resultBytes, type Lanes, type Run } from "./in-order.js";
import { chooseLane, MAX_PER_WORKER, MAX_PER_WORKER_AT_END } from "./lane-choice.js";
import { RowIdFiller } from "./row-id-filler.js";
import { type BatchResult, type WorkerReply, type WorkerRequest, type WorkerSetup } from "./messages.js";
import { startParseWorkers, type StartedWorker } from "./start-workers.js";

/** Where parse writes and counts (what its single-threaded loop uses too). */
export interface ParseOutputs {
  stdout: RecordWriter;
  stats: RunStats;
  rowIds: RowIdSource;
  fail: (f: EventFailure) => void;
  tally?: IndicatorTally | undefined;
  unknown?: Map<string, number> | undefined;
  /** Set with --pretty: each record as shown (indented), failures between them. */
  formatRecord?: ((json: string) => string) | undefined;
  /** Waits until every output can take more. */
  flush: () => Promise<void>;
  /** Called after each batch is written (progress display), and with the bytes of each chunk read. */
  progress?: ((bytes?: number) => void) | undefined;
}

export interface ParallelOptions {
  inputs: string[];
  /** Threads that parse, the main thread included (at least 2). */
  workers: number;
  batchBytes: number;
  setup: WorkerSetup;
  /** The `workers - 1` worker threads, started early (parse-workers-start.ts); else the pool starts its own. */
  started?: StartedWorker[] | undefined;
  /**
   * Without `started`: the pool starts its workers once this many bytes were read (an input of
   * unknown size: a small one stays on the main thread), or at once if not given.
   */
  startAfterBytes?: number | undefined;
  outputs: ParseOutputs;
  /** Aborts on Ctrl-C: reading stops, what was read is still parsed and written. */
  signal: AbortSignal;
  /** Whether to stop reading (interrupted, or stdout closed). */
  stopped: () => boolean;
  /** Whether results no longer matter (stdout closed). */
  discarding: () => boolean;
  /** Reports an input that could not be read to the end. */
  inputFailed: (e: InputError) => void;
}

/** Where records go: whole lines, or bytes of whole lines released by `done` once written. */
export interface RecordWriter {
  writeLine(line: string): void;
  writeBytes(bytes: Buffer, done: () => void): void;
}

/**
 * Batches read ahead of the oldest unwritten one, per parsing thread (memory stays flat). A
 * worker's first batches run 5–15 times slower than later ones (its JIT is cold): 44, 17, 16,
 * 15, 8 ms against 3.4 ms on 256 KiB of Hex.Audit. With 4 per thread, the main thread then
 * waited for the oldest (the worker's) 80–270 ms of a 100 MB run; with 12 it keeps parsing
 * (under 10 ms of waiting), for 3–5 MiB more peak memory.
 */
const QUEUED_PER_THREAD = 12;
/**
 * Bytes of results (records and packed failures) waiting to be written or still to come, past
 * which the oldest batch is waited for: JSON records of all those batches stay under it, text
 * logs' (3.5 times their input) fill it at about 14 batches, while batches of failures are not
 * read as far ahead. (Text logs at 8 MiB: the main thread waited 160–190 ms of a 100 MB run, 70
 * at 16 MiB for 10 MiB more peak memory.)
 */
const HELD_BYTES = 12 * 1024 * 1024;
/**
 * The bounds while failures dominate the results: their error and dead-letter lines are built on
 * the main thread's heap, several times their packed size, so fewer batches wait (2 M failing
 * events: 15 MiB lower peak with both halved to a quarter of the bytes, same CPU time).
 */
const FAILING_QUEUED_PER_THREAD = 2;
const FAILING_HELD_BYTES = 2 * 1024 * 1024;
/** Failures (or records shown with --pretty) written between two flushes of the outputs. */
const FAILURES_PER_FLUSH = 256;
/** When input stalls this long, the complete lines held back are sent and written anyway. */
const IDLE_MS = 100;

/**
 * Parses every input with a pool of workers; resolves once all results are written, with the
 * number of batches each thread ran (the main thread first; only it if the workers never started).
 */
export async function parseInParallel(o: ParallelOptions): Promise<number[]> {
  const maxQueued = QUEUED_PER_THREAD * o.workers;
  const buffers = new BufferPool(3 * maxQueued + 2);
  const ids = new RowIdFiller(o.outputs.rowIds);
  // A run's records go into a spare buffer as large as the largest records so far, when one is free.
  const pool = new Pool(o.workers - 1, o.setup, () => buffers.take(Math.max(o.batchBytes, buffers.largestRecords), true), () => ids.width);
  if (o.started) pool.start(o.started);
  else if (o.startAfterBytes === undefined) pool.start(startParseWorkers(o.workers - 1, o.setup.maxEventBytes));
  let bytesRead = 0;
  // Regular uncompressed files: the end is known, and the last batches are shared differently.
  const totalBytes = knownInputBytes(o.inputs);
  const endBytes = MAX_PER_WORKER * o.batchBytes * o.workers;
  const order = new InOrder(pool, { batches: maxQueued, bytes: HELD_BYTES, failing: { batches: FAILING_QUEUED_PER_THREAD * o.workers, bytes: FAILING_HELD_BYTES } }, (r) => buffers.giveOutputs(r), async (input, r) => {
    if (!o.discarding()) {
      await writeBatch(inputLabel(o.inputs[input] as string), r, o.outputs, ids, buffers);
      o.outputs.progress?.();
      await o.outputs.flush();
    }
    buffers.give(r.input);
  });
  try {
    for (let input = 0; input < o.inputs.length && !o.stopped(); input++) {
      const batcher = new LineBatcher(o.batchBytes, (n) => buffers.take(n, false));
      const batches: Batch[] = [];
      const submit = async (): Promise<void> => {
        for (const b of batches) await order.submit(input, b);
        batches.length = 0;
      };
      const counted = (n: number): void => {
        o.outputs.progress?.(n);
        bytesRead += n;
        // An input of unknown size has proved large enough: the workers start (they boot while this thread parses).
        if (!pool.started && bytesRead >= (o.startAfterBytes ?? 0)) pool.start(startParseWorkers(o.workers - 1, o.setup.maxEventBytes));
      };
      const ended = async (): Promise<void> => {
        // Interrupted: the lines read so far are parsed and written, the unfinished tail is not.
        if (!o.stopped()) batcher.end(batches);
        else if (!o.discarding()) batcher.flushLines(batches);
        await submit();
      };
      const path = o.inputs[input] as string;
      // A regular file, uncompressed: read straight into the batches (no chunk copied into them).
      const plain = PlainFile.open(path);
      try {
        if (plain) {
          for (;;) {
            const n = batcher.read((into) => plain.read(into), batches);
            if (n === 0) break;
            counted(n);
            if (totalBytes !== undefined && totalBytes - bytesRead <= endBytes) pool.atEnd = true;
            await submit();
            if (o.stopped()) break;
          }
          await ended();
          continue;
        }
        // A regular file never goes quiet: no idle timer per chunk (1,600 per 100 MB) for it.
        const canStall = knownInputBytes([path]) === undefined;
        const chunks = readInput(path, o.signal, { reuse: true })[Symbol.asyncIterator]();
        for (;;) {
          const next = chunks.next();
          let r = canStall ? await settledWithin(next, IDLE_MS) : await next;
          if (r === undefined) {
            // A pipe gone quiet: send what is complete so its records appear now.
            batcher.flushLines(batches);
            await submit();
            await order.settleAll();
            r = await next;
          }
          if (r.done) break;
          counted(r.value.length);
          batcher.push(r.value, batches);
          await submit();
          if (o.stopped()) {
            await chunks.return?.();
            break;
          }
        }
        await ended();
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // The input ended there: its tail (an event cut short) is framed too, as a dead letter.
        batcher.end(batches);
        await submit();
        // Results before the failure come first, as with one worker.
        await order.settleAll();
        o.inputFailed(e);
      } finally {
        plain?.close();
      }
    }
    if (!o.discarding()) await order.settleAll();
  } finally {
    await pool.close();
  }
  const main = pool.mainLane;
  // Workers never started (an input of unknown size that stayed small) are not listed.
  if (!pool.started) return [order.perLane[main] ?? 0];
  return Array.from({ length: o.workers }, (_, i) => order.perLane[i === 0 ? main : i - 1] ?? 0);
}

function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Writes and counts one batch's results as the single-threaded loop would have, event by event.
 * The outputs are flushed every few thousand failures, as one thread flushes after each chunk
 * read: a batch of 87,000 failures would otherwise queue 6 MiB of error lines at once.
 */
async function writeBatch(file: string, r: BatchResult, out: ParseOutputs, ids: RowIdFiller, buffers: BufferPool): Promise<void> {
  for (const [logType, n] of r.perType) out.stats.addRecords(logType, n);
  out.stats.skipped += r.skipped;
  if (r.indicators) out.tally?.merge(r.indicators);
  if (r.unknown && out.unknown) for (const [path, n] of r.unknown) out.unknown.set(path, (out.unknown.get(path) ?? 0) + n);
  if (r.records) buffers.largestRecords = Math.max(buffers.largestRecords, r.records.length);
  const records = r.records ? ids.fill(r.records, r.recordCount, r.idWidth, (n) => buffers.take(n, false)) : undefined;
  if (r.spare) buffers.give(r.spare);
  if (r.records && records?.buffer !== r.records.buffer) buffers.give(r.records);
  const failures = new FailureReader(r.failures);
  let n = 0;
  if (!out.formatRecord) {
    for (let f = failures.next(); f; f = failures.next()) {
      out.fail({ file, ...f });
      if (++n % FAILURES_PER_FLUSH === 0) await out.flush();
    }
    if (records) out.stdout.writeBytes(records, () => buffers.give(records));
    return;
  }
  const lines = records ? records.toString("utf8", 0, records.length - 1).split("\n") : [];
  if (records) buffers.give(records);
  let f = failures.next();
  for (let i = 0; i < lines.length; i++) {
    for (; f && f.at <= i; f = failures.next()) out.fail({ file, ...f });
    out.stdout.writeLine(out.formatRecord(lines[i] as string));
    if (++n % FAILURES_PER_FLUSH === 0) await out.flush();
  }
  for (; f; f = failures.next()) {
    out.fail({ file, ...f });
    if (++n % FAILURES_PER_FLUSH === 0) await out.flush();
  }
}

/**
 * Large buffers, reused: the main thread allocates little on its heap, so discarded buffers
 * would pile up outside it until a rare full collection.
 */
class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  /** The most bytes of records a run gave so far. */
  largestRecords = 0;

  constructor(private readonly max: number) {}

  /** A buffer of at least `size` bytes (the smallest free one that fits, or a new one); `spare`: only a free one. */
  take(size: number, spare: true): Uint8Array | null;
  take(size: number, spare: false): Uint8Array;
  take(size: number, spare: boolean): Uint8Array | null {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const n = (this.free[i] as ArrayBuffer).byteLength;
      if (n >= size && (best < 0 || n < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    }
    if (best >= 0) return new Uint8Array(this.free.splice(best, 1)[0] as ArrayBuffer);
    // Not zero-filled: every byte of a batch or of records is written before it is read.
    return spare ? null : new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
  }

  /** Returns the buffer under `bytes` (it must no longer be used). */
  give(bytes: Uint8Array): void {
    if (this.free.length < this.max && bytes.buffer.byteLength > 0) this.free.push(bytes.buffer as ArrayBuffer);
  }

  /** Returns the buffers a worker handed back with its result, once the records are copied out. */
  giveOutputs(r: BatchResult): void {
    if (r.records) this.give(r.records);
    if (r.spare) this.give(r.spare);
  }
}

/**
 * Where batches are run: on the worker threads, or on the main thread itself with the time its
 * reading and writing leave (lane-choice.ts). So `--workers N` keeps N threads busy, not N + 1
 * on N cores. A worker has no room until it has booted (tens of milliseconds), so the main
 * thread starts parsing at once, and a small input is not held up waiting for a worker.
 */
class Pool implements Lanes {
  /** The worker threads, by lane, once started (start()). */
  private readonly workers: Worker[] = [];
  /** Runs sent to each worker and not yet back. */
  private readonly busy: number[];
  /** Which workers have built their engine. */
  private readonly ready: boolean[];
  /** The main thread's lane: after the workers', fixed whether or not they have started. */
  readonly mainLane: number;
  /** The last few batches of the input are being sent (lane-choice.ts). */
  atEnd = false;
  /** The main thread's own runner, built on first use. */
  private local: BatchRunner | undefined;
  private readonly pending = new Map<number, { run: Run; resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closing = false;
  private failure: Error | undefined;

  constructor(
    workerCount: number,
    private readonly setup: WorkerSetup,
    private readonly spare: () => Uint8Array | null,
    private readonly idWidth: () => number,
  ) {
    this.mainLane = workerCount;
    this.busy = new Array<number>(workerCount).fill(0);
    this.ready = new Array<boolean>(workerCount).fill(false);
  }

  /** Whether the workers were started. */
  get started(): boolean {
    return this.workers.length > 0 || this.mainLane === 0;
  }

  /** Takes the worker threads (as many as the pool was made for) and sends them their setup. */
  start(started: readonly StartedWorker[]): void {
    started.forEach(({ worker: w, early }, i) => {
      w.ref();
      w.on("message", (r: WorkerReply) => {
        if (r.kind === "ready") this.ready[i] = true;
        else this.received(i, r);
      });
      w.on("error", (e) => this.fail(e));
      w.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`a parse worker stopped (exit code ${code})`));
      });
      if (early) this.fail(early);
      const hello: WorkerRequest = { kind: "setup", setup: this.setup };
      w.postMessage(hello);
      this.workers.push(w);
    });
  }

  /**
   * Sends a batch to be framed fresh (on a worker with room, else here) or continuing `chainTo`
   * (where its framer is). A run here is done before this returns.
   */
  send(batch: Batch, chainTo: Run | null): Run {
    const lane = chainTo ? chainTo.lane : chooseLane(this.ready, this.busy, this.atEnd ? MAX_PER_WORKER_AT_END : MAX_PER_WORKER);
    if (chainTo) chainTo.continued = true;
    const id = this.nextId++;
    let resolve!: (r: BatchResult) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<BatchResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Awaited later, in input order; a failure is reported from there.
    result.catch(() => undefined);
    const run: Run = { id, lane, batch, chainTo, continued: false, done: false, held: 0, result };
    if (this.failure) {
      reject(this.failure);
      return run;
    }
    this.pending.set(id, { run, resolve, reject });
    const spare = this.spare();
    const message: WorkerRequest = { kind: "run", id, bytes: batch.bytes, firstLine: batch.firstLine, last: batch.last, chainTo: chainTo ? chainTo.id : null, spare, idWidth: this.idWidth() };
    if (lane === this.mainLane) {
      try {
        this.local ??= new BatchRunner(this.setup);
        this.received(lane, this.local.run(message));
      } catch (e) {
        // As a worker's failure would: every run, this one included, fails with it.
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
      return run;
    }
    this.busy[lane] = (this.busy[lane] as number) + 1;
    const transfer = [batch.bytes.buffer as ArrayBuffer];
    if (spare) transfer.push(spare.buffer as ArrayBuffer);
    (this.workers[lane] as Worker).postMessage(message, transfer);
    return run;
  }

  /** Lets a lane drop the framer it kept for a run nobody will continue. */
  release(run: Run): void {
    if (this.failure) return;
    if (run.lane === this.mainLane) {
      this.local?.release(run.id);
      return;
    }
    const message: WorkerRequest = { kind: "release", id: run.id };
    (this.workers[run.lane] as Worker).postMessage(message);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private received(lane: number, r: BatchResult): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (lane < this.mainLane) this.busy[lane] = (this.busy[lane] as number) - 1;
    // The bytes come back with the result, in case the batch must be framed again.
    p.run.batch.bytes = r.input;
    p.run.done = true;
    p.run.held = resultBytes(r);
    p.resolve(r);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
