/** Runs the real hexlog binary (bin/hexlog → dist/) the way a user would. */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Writable } from "node:stream";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = join(ROOT, "bin", "hexlog");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  /** A file to redirect stdin from (`hexlog < file`), instead of a pipe. */
  stdinFile?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export function hexlog(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const run = launch(args, options);
  if (run.child.stdin) {
    if (options.input !== undefined) run.child.stdin.end(options.input);
    else run.child.stdin.end();
  }
  return run.done;
}

/** Parses NDJSON output into objects (one per non-empty line). */
export function records(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "hexlog-test-"));
}

export function readLines(file: string): Array<Record<string, unknown>> {
  return records(readFileSync(file, "utf8"));
}

export function testdata(...parts: string[]): string {
  return join("testdata", ...parts);
}

/** Options that make p_parse_time and p_row_id reproducible. */
export const FIXED = ["--now", "2026-11-21T12:00:00Z", "--seed", "7"];

/** A hexlog run to interact with while it runs: feed stdin, watch output, send signals. */
export interface LiveRun {
  child: ChildProcess;
  stdin: Writable;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout satisfies `ready` (rejects if hexlog exits first). */
  waitForStdout(ready: (stdout: string) => boolean): Promise<void>;
  /** Resolves once stderr satisfies `ready` (rejects if hexlog exits first). */
  waitForStderr(ready: (stderr: string) => boolean): Promise<void>;
  done: Promise<RunResult>;
}

export function startHexlog(args: string[], options: Omit<RunOptions, "input" | "stdinFile"> = {}): LiveRun {
  return launch(args, options) as LiveRun;
}

let cacheDir: string | undefined;

/** Starts hexlog; its stdin is a pipe unless `stdinFile` is given. */
function launch(args: string[], options: Omit<RunOptions, "input">): Omit<LiveRun, "stdin"> & { stdin: Writable | null } {
  // The schema cache of the runs of one test file goes to a directory of its own, not ~/.cache.
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: "true", HEXLOG_CACHE_DIR: (cacheDir ??= tempDir()), ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const stdinFd = options.stdinFile === undefined ? undefined : openSync(resolve(options.cwd ?? ROOT, options.stdinFile), "r");
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: [stdinFd ?? "pipe", "pipe", "pipe"] });
  if (stdinFd !== undefined) closeSync(stdinFd);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const watchers = new Set<() => void>();
  child.stdout?.on("data", (d: Buffer) => {
    out.push(d);
    for (const w of watchers) w();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err.push(d);
    for (const w of watchers) w();
  });
  child.stdin?.on("error", () => undefined);
  const stdout = (): string => Buffer.concat(out).toString("utf8");
  const stderr = (): string => Buffer.concat(err).toString("utf8");
  const done = new Promise<RunResult>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      for (const w of watchers) w();
      resolvePromise({ code, signal, stdout: stdout(), stderr: stderr() });
    });
  });
  const waitFor = (read: () => string, ready: (s: string) => boolean): Promise<void> =>
    new Promise((resolvePromise, reject) => {
      const check = (): void => {
        if (ready(read())) {
          watchers.delete(check);
          resolvePromise();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          watchers.delete(check);
          reject(new Error(`hexlog exited before its output was ready; stderr: ${stderr()}`));
        }
      };
      watchers.add(check);
      check();
    });
  const waitForStdout = (ready: (s: string) => boolean): Promise<void> => waitFor(stdout, ready);
  const waitForStderr = (ready: (s: string) => boolean): Promise<void> => waitFor(stderr, ready);
  return { child, stdin: child.stdin, stdout, stderr, waitForStdout, waitForStderr, done };
}
