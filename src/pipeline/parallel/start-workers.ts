/**
 * Starts the N - 1 worker threads of `parse --workers N` first thing, before the rest of `parse` loads:
 * a worker needs tens of milliseconds to boot and load the engine, and that now overlaps the
 * main thread's own start-up. Workers wait for their setup message (parse-parallel.ts sends it).
 */
import { createRequire } from "node:module";
import type { ResourceLimits, Worker } from "node:worker_threads";
import { DEFAULT_MAX_EVENT_BYTES } from "../limits.js";

const MIB = 1024 * 1024;

/**
 * A worker's heap limits. Its young generation is kept small: its garbage is short-lived (one
 * slice of a batch at a time), and the default would let each worker grow by tens of MiB. Its
 * old generation gets a bound too, generous (room for the largest event many times over), because
 * under 2 GiB V8 grows an old generation by a smaller factor past what is live: on 2 M failing
 * events the worker's heap then stays about 10 MiB smaller, at the same speed.
 */
export function workerLimits(maxEventBytes: number): ResourceLimits {
  return { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 + 16 * Math.ceil(maxEventBytes / MIB) };
}

/** A started worker, and what happened to it before anyone listened. */
export interface StartedWorker {
  worker: Worker;
  early?: Error;
  /** Started by boot.cjs, before the command line loaded (shown by HEXLOG_STATS). */
  fromBoot?: boolean;
}

export function startParseWorkers(count: number, maxEventBytes = DEFAULT_MAX_EVENT_BYTES): StartedWorker[] {
  const resourceLimits = workerLimits(maxEventBytes);
  // Loaded here, not with this module: boot.cjs holds this module, and every run loads that.
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  return Array.from({ length: count }, () => {
    const started: StartedWorker = { worker: new Worker(new URL("./worker.js", import.meta.url), { resourceLimits }) };
    started.worker.once("error", (e) => (started.early ??= e));
    started.worker.once("exit", (code) => (started.early ??= new Error(`a parse worker stopped (exit code ${code})`)));
    // Until a pool takes them, they must not keep a run that ends early (a usage error) alive.
    started.worker.unref();
    return started;
  });
}

/** Stops workers that will not be used. */
export async function stopParseWorkers(workers: readonly StartedWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.worker.terminate()));
}
