/**
 * Which thread of `parse --workers N` parses the next fresh batch (run-parallel.ts's pool).
 *
 * The main thread reads, writes and fills row ids besides parsing, so it must parse less than a
 * worker: when it took a batch whenever the worker had two out, it parsed as many as the
 * worker on top of its I/O, and the worker sat idle for a fifth of the run. So it parses a batch
 * only while it has been busy for less time than the workers; otherwise the worker gets the
 * batch while it has room, and when it has none the main thread waits for a result.
 */

/** Below this many runs out, a ready worker always gets the batch: it must not run dry while the main thread parses one. */
export const FED = 2;
/** Runs a worker holds at most; past it, the main thread parses or waits. */
export const MAX_PER_WORKER = 4;

export interface LaneState {
  /** Per worker: it has built its engine and takes batches. */
  ready: readonly boolean[];
  /** Per worker: runs sent and not yet back. */
  out: readonly number[];
  /** Milliseconds the main thread has been busy (event loop not idle) since the pool started. */
  mainBusyMs: number;
  /** Per worker: milliseconds until it was ready plus those it spent running batches. */
  workerBusyMs: readonly number[];
}

/** A worker's index, `ready.length` for the main thread, or -1: wait for a worker's result. */
export function chooseLane(s: LaneState): number {
  const main = s.ready.length;
  let best = -1;
  for (let i = 0; i < main; i++) {
    if (s.ready[i] && (best < 0 || (s.out[i] as number) < (s.out[best] as number))) best = i;
  }
  // No worker has booted yet: the main thread parses at once (a small input is not held up).
  if (best < 0) return main;
  const out = s.out[best] as number;
  if (out < FED) return best;
  let workers = 0;
  for (const ms of s.workerBusyMs) workers += ms;
  if (s.mainBusyMs <= workers / main) return main;
  return out < MAX_PER_WORKER ? best : -1;
}
