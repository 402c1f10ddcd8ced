/** Runs the real hexlog binary (bin/hexlog → dist/) the way a user would. */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: "true", ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const stdinFd = options.stdinFile === undefined ? undefined : openSync(resolve(options.cwd ?? ROOT, options.stdinFile), "r");
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: [stdinFd ?? "pipe", "pipe", "pipe"] });
    if (stdinFd !== undefined) closeSync(stdinFd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
    if (child.stdin) {
      child.stdin.on("error", () => undefined);
      if (options.input !== undefined) child.stdin.end(options.input);
      else child.stdin.end();
    }
  });
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
