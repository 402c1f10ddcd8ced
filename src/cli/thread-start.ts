/**
 * When `parse --workers N` starts its worker threads. A worker takes ~90 ms of its own to boot
 * (a new V8 isolate, Node's bootstrap, the engine's code), and the main thread parses meanwhile.
 * For a file known to be large, boot.cjs starts them before the command line is even loaded
 * (`startEarlyWorkers`, from a quick look at the arguments), so their boot overlaps the ~55 ms
 * the main thread spends loading it: on 100 MB of Hex.Audit the worker's first batch then comes
 * ~100 ms sooner after the main thread's. The command line, once it has read its options, keeps
 * them only if they are what it would have started (`workersForParse`), and stops them otherwise.
 */
import { createRequire } from "node:module";
import { knownInputBytes } from "../input/size.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import { startParseWorkers, stopParseWorkers, type StartedWorker } from "../pipeline/parallel/start-workers.js";

/**
 * Below this many input bytes, `--workers` runs on one thread: starting a worker costs about
 * 0.05–0.1 s, more than a second thread saves on a small input. HEXLOG_PARALLEL_MIN_BYTES
 * overrides it (0: always start them, as the tests of batch cuts need).
 */
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/**
 * An input of unknown size (a pipe, gzip) starts its workers once this much was read, so a small
 * one stays on one thread; a large one loses little, as the main thread parses while they boot.
 */
export const LATE_START_BYTES = 4 * 1024 * 1024;
/** The most `--workers` accepts (main.ts refuses more, with a message; the early start ignores them). */
export const MAX_WORKERS = 64;

function parallelMinBytes(): number {
  const env = process.env.HEXLOG_PARALLEL_MIN_BYTES;
  return env !== undefined && /^[0-9]+$/.test(env) ? Number(env) : PARALLEL_MIN_BYTES;
}

/** When to start worker threads: now (inputs known to be large), later (size unknown), or never (small). */
export function whenThreads(files: readonly string[]): "now" | "later" | "never" {
  const min = parallelMinBytes();
  if (min === 0) return "now";
  const bytes = knownInputBytes(files);
  if (bytes === undefined) return "later";
  return bytes >= min ? "now" : "never";
}

/**
 * The threads (the main one included) a command line would parse on from the start, judged from its words alone: a `parse`
 * with `--workers` of 2 or more, no `--max-event-bytes` (it sets the workers' heap limits), and
 * plain files of at least the threshold among its words (an option's value that is no file is
 * passed over). 0 when in doubt: main.ts starts them as before.
 */
export function earlyWorkerCount(argv: readonly string[]): number {
  const end = argv.indexOf("--", 2);
  const args = argv.slice(2, end === -1 ? undefined : end);
  const at = args.findIndex((a) => !a.startsWith("-"));
  if (args[at] !== "parse") return 0;
  let value: string | undefined;
  const files: string[] = [];
  for (let i = at + 1; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--workers") value = args[++i];
    else if (a.startsWith("--workers=")) value = a.slice("--workers=".length);
    else if (a === "--max-event-bytes" || a.startsWith("--max-event-bytes=")) return 0;
    else if (!a.startsWith("-")) files.push(a);
  }
  const count = value === "auto" ? availableParallelism() : value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : 0;
  if (count < 2 || count > MAX_WORKERS) return 0;
  const min = parallelMinBytes();
  if (min === 0) return count;
  let bytes = 0;
  for (const f of files) bytes += knownInputBytes([f]) ?? 0;
  return bytes >= min ? count : 0;
}

/** bin/hexlog's start (boot.cjs): the workers of a large `parse --workers N`, started before anything else. */
export function startEarlyWorkers(argv: readonly string[]): StartedWorker[] | undefined {
  const count = earlyWorkerCount(argv);
  if (count === 0) return undefined;
  const started = startParseWorkers(count - 1);
  // The same objects: their error handlers write to them.
  for (const w of started) w.fromBoot = true;
  return started;
}

/**
 * The workers parse starts now: the early ones if they are what it needs (as many, with the same
 * heap limits), else new ones; early ones it does not use are stopped.
 */
export function workersForParse(early: StartedWorker[] | undefined, when: "now" | "later" | "never", threads: number, maxEventBytes: number): StartedWorker[] | undefined {
  const fit = early !== undefined && when === "now" && early.length === threads - 1 && maxEventBytes === DEFAULT_MAX_EVENT_BYTES;
  if (early !== undefined && !fit) void stopParseWorkers(early);
  if (fit) return early;
  return when === "now" ? startParseWorkers(threads - 1, maxEventBytes) : undefined;
}

/** os.availableParallelism, loaded only for `--workers auto` (boot.cjs loads as little as it can). */
function availableParallelism(): number {
  return (createRequire(import.meta.url)("node:os") as typeof import("node:os")).availableParallelism();
}
