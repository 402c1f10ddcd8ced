/**
 * Node built-ins that cost start-up time (each loads several of Node's internal modules) and
 * that only some runs use, loaded on first use: a one-event parse of a JSON log without IP
 * fields or regex schemas never pays for them.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

let net: typeof import("node:net") | undefined;
let v8: typeof import("node:v8") | undefined;

/** net.isIP: 4, 6, or 0 for anything else. */
export function isIP(s: string): number {
  net ??= require("node:net") as typeof import("node:net");
  return net.isIP(s);
}

export function setV8Flags(flags: string): void {
  v8 ??= require("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString(flags);
}
