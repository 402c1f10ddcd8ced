/**
 * The guard against catastrophic backtracking: no regex in a schema can hang a run.
 *
 * V8 (Node 20) has a second, linear-time regex engine. With the flags below, a regex that
 * backtracks more than BACKTRACKS_BEFORE_FALLBACK times in one match is re-run on that engine,
 * so ordinary patterns keep the fast backtracking engine and pathological ones cost linear time.
 * The linear engine cannot take every pattern (backreferences and lookaround, which RE2 lacks
 * anyway, and counted repetition beyond 16 copies, nesting multiplied, such as `[0-9a-f]{32}`);
 * V8 says which through its `l` flag. Those patterns run on hexlog's own linear-time matcher
 * (pike.ts) instead. A one-time self-test checks that the fallback really happens; if it does
 * not (a future Node without these flags), every pattern runs on the Pike matcher.
 *
 * The flags are V8-wide and apply to regexes created after they are set, so they are set only
 * when the first schema regex is compiled: runs without regex schemas (the JSON hot path) are
 * untouched, and the schema's own regexes are always created under them. Being process-wide,
 * they are set only once the program that owns the process allows it
 * (`enableRegexBacktrackingGuard`: the CLI does; a library user may). Without it, every schema
 * regex runs on the Pike matcher: linear too, only slower.
 */
import { setV8Flags as setFlagsFromString } from "../../lazy-builtins.js";

export const BACKTRACKS_BEFORE_FALLBACK = 10_000;

let fallbackWorks: boolean | undefined;
let allowed = false;

/**
 * Allows hexlog to set V8's process-wide regex flags (see above) when it first compiles a
 * schema regex, so that regex schemas run on V8's fast engine with a linear-time fallback.
 */
export function enableRegexBacktrackingGuard(): void {
  allowed = true;
}

/** Sets the flags, then checks that V8 really falls back. */
function enableGuard(): boolean {
  setFlagsFromString("--enable-experimental-regexp-engine");
  setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");
  setFlagsFromString(`--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_FALLBACK}`);
  // Straight to machine code on first use: V8 otherwise interprets a regex once first, and the
  // bytecode's peephole pass is slow on large patterns (grok's IPORHOST: ~0.2 s before the first
  // line, ~20 ms compiled directly). The self-test below runs under this flag too.
  setFlagsFromString("--no-regexp-tier-up");
  try {
    new RegExp("a", "l");
  } catch {
    return false;
  }
  const evil = new RegExp("^(a+)+$");
  return fallbackObserved((n) => {
    const started = process.cpuUsage();
    evil.test(`${"a".repeat(n)}b`);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  });
}

/**
 * Whether V8 fell back to its linear engine, from the CPU milliseconds `run(n)` takes to match
 * `^(a+)+$` against n a's and a b: about 2^n steps without the fallback (24 a's: a fifth of a
 * second), well under a millisecond with it. CPU time, not wall time, so a busy machine does not
 * stretch it; and a slow first run (an instrumented process, the regex's compile) is not taken
 * as no fallback until two more a's, four times the steps without it, also cost more.
 */
export function fallbackObserved(run: (n: number) => number): boolean {
  const first = run(24);
  if (first < 50) return true;
  return run(26) < 2 * first;
}

/**
 * A RegExp for `source` (flag-free JavaScript syntax) that V8 guards as above, or null when the
 * pattern must run on the Pike matcher. Throws SyntaxError if V8 cannot compile it at all.
 */
export function guardedRegExp(source: string): RegExp | null {
  if (!allowed) {
    new RegExp(source);
    return null;
  }
  fallbackWorks ??= enableGuard();
  const re = new RegExp(source);
  if (!fallbackWorks) return null;
  try {
    new RegExp(source, "l");
  } catch {
    return null;
  }
  return re;
}
