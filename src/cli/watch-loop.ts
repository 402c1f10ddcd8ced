/**
 * `--watch` for test and validate-schema: run once, then again whenever a watched file is saved,
 * each run under a fresh screen (on a terminal) with what changed; Ctrl-C (or SIGTERM) stops
 * with exit code 130. A usage error on the first run ends the command as usual; later ones (a
 * half-written YAML file) are shown and the watch goes on.
 */
import { relative } from "node:path";
import { escapeForTerminal } from "../output/terminal-text.js";
import { watchPaths } from "../tools/watch.js";
import { EXIT_INTERRUPTED, UsageError } from "./errors.js";

/** `changed`: the files saved since the last run (undefined for the first run). */
export type WatchedRun = (changed: readonly string[] | undefined) => Promise<number>;

const CLEAR = "\x1b[2J\x1b[3J\x1b[H";

export async function runWatching(paths: readonly string[], accept: (file: string) => boolean, run: WatchedRun, quiet = false): Promise<number> {
  await run(undefined);
  const watcher = await watchPaths(paths, { accept });
  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    watcher.close();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const waiting = (): void => {
    if (!quiet) process.stderr.write(`watching ${paths.map((p) => escapeForTerminal(p)).join(", ")} for changes (Ctrl-C to stop)\n`);
  };
  waiting();
  for (;;) {
    const changed = await watcher.next();
    if (interrupted || changed.length === 0) break;
    if (process.stdout.isTTY) process.stdout.write(CLEAR);
    const names = changed.map((f) => {
      const rel = relative(process.cwd(), f);
      return escapeForTerminal(rel === "" || rel.startsWith("..") ? f : rel);
    });
    process.stderr.write(`[${new Date().toTimeString().slice(0, 8)}] changed: ${names.join(", ")}\n`);
    try {
      await run(changed);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      process.stderr.write(`hexlog: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join("")}`);
    }
    waiting();
  }
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (!quiet) process.stderr.write("interrupted\n");
  return EXIT_INTERRUPTED;
}
