/**
 * Which thread of `parse --workers N` parses the next fresh batch (run-parallel.ts's pool).
 *
 * A ready worker with fewer than MAX_PER_WORKER runs out gets it (the one with the fewest);
 * else the main thread parses it itself. A worker's queue is kept deep enough that it never runs
 * dry while the main thread parses a batch, reads, writes and fills row ids. With two runs per
 * worker (one working, one waiting), the main thread parsed half the batches of 100 MB of
 * Hex.Audit on top of its I/O and the worker sat idle 0.5–1.7 s of 2.6–4.3 s (a busy machine);
 * with four, the worker is idle 0.25–0.45 s, its boot included, and the main thread parses the
 * 37–45 % its spare time allows. The main thread never waits for a worker: it parses instead.
 */

/** Runs a worker holds at most: one it works on, three waiting. */
export const MAX_PER_WORKER = 4;
/**
 * Near the end of a regular file (its last MAX_PER_WORKER batches per thread), fewer: the main
 * thread, out of input, waits for the runs still queued on the workers, so it keeps more of the
 * last batches for itself. Its wait after its last batch, 100 MB, a busy machine, median of 3–4
 * runs: Hex.Audit 87 ms with 4, 74 with 2, 61 with 1; Apache common 66, 42 and 34 ms (1 spread
 * more: a worker holding one batch waits for the next while the main thread parses).
 */
export const MAX_PER_WORKER_AT_END = 2;

/** A worker's index, or `ready.length` for the main thread. */
export function chooseLane(ready: readonly boolean[], out: readonly number[], most = MAX_PER_WORKER): number {
  const main = ready.length;
  let best = -1;
  for (let i = 0; i < main; i++) {
    if (ready[i] && (out[i] as number) < most && (best < 0 || (out[i] as number) < (out[best] as number))) best = i;
  }
  // No worker has booted yet, or all are full: the main thread parses (a small input is not held up).
  return best < 0 ? main : best;
}
