/**
 * Node built-ins that cost start-up time (each loads several of Node's internal modules) and
 * that only some runs use, loaded on first use: a one-event parse of a JSON log without IP
 * fields or regex schemas never pays for them.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

let net: typeof import("node:net") | undefined;
let v8: typeof import("node:v8") | undefined;

/**
 * Set on globalThis once V8's flags have changed at run time: V8 code caches made after that
 * carry the new flags and a fresh process would reject them, so the command line's code cache
 * (cli/code-cache.ts, another bundle: hence a registered symbol, not a variable) writes none.
 */
export const V8_FLAGS_CHANGED = Symbol.for("hexlog.v8-flags-changed");

/** net.isIP: 4, 6, or 0 for anything else. */
export function isIP(s: string): number {
  net ??= require("node:net") as typeof import("node:net");
  return net.isIP(s);
}

export function setV8Flags(flags: string): void {
  v8 ??= require("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString(flags);
  (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED] = true;
}
