/**
 * A flood of refused requests leaves each socket's first read (up to 64 KiB, outside V8's heap)
 * waiting for a collection that V8 schedules only after ~64 MiB of such memory: 1000 senders of
 * 1 MiB at once took serve to 141–159 MiB. Collecting the young generation every few dozen
 * refusals frees those reads as they die (a scavenge costs about a millisecond).
 */
import { setV8Flags } from "../engine/lazy-builtins.js";
import { runInNewContext } from "node:vm";

type Collect = (options?: { type: "minor" | "major"; execution: "sync" | "async" }) => void;

let collect: Collect | undefined;

/** The collector, exposed on first use (serve only: a library user's process is left alone). */
function collector(): Collect {
  if (!collect) {
    // Through lazy-builtins, which notes the change: the code cache then stores nothing (cli/code-cache.ts).
    setV8Flags("--expose-gc");
    collect = runInNewContext("gc") as Collect;
  }
  return collect;
}

/** A function to call once per refused request; every `every`-th call collects. */
export function reclaimAfter(every: number): () => void {
  let count = 0;
  return () => {
    if (++count % every === 0) collector()({ type: "minor", execution: "sync" });
  };
}
