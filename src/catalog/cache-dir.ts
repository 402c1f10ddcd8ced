/**
 * Where hexlog keeps its caches and what keys them, in a module of its own (node:fs, node:os,
 * node:path only) because the command line's start-up (cli/code-cache.ts) needs both before it
 * loads anything else.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The cache directory as the environment gives it. */
export function schemaCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEXLOG_CACHE_DIR) return env.HEXLOG_CACHE_DIR;
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "hexlog");
}

/** The build's id: written by the build next to the compiled code (scripts/build-id.mjs); it keys the schema cache and the code cache (cli/code-cache.ts). */
export function buildId(): string | undefined {
  try {
    const id = readFileSync(new URL("../build-id.txt", import.meta.url), "utf8").trim();
    return /^[0-9a-f]{16,}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

