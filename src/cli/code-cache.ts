/**
 * Start-up of the command line (bin/hexlog → dist/bin/boot.cjs): the bundle's CommonJS chunks
 * compiled with a V8 code cache, so that a run after the first neither parses nor compiles the
 * ~0.5 MB of code a `parse` loads (Node 20 has no compile cache of its own for modules).
 *
 * One file per chunk under `<cache dir>/code/<build>-<node version>-<arch>/`, written when the
 * process exits, so that it holds the functions the run compiled, not only the top level. An
 * entry is used only when its header names the chunk file as it is now (size and modification
 * time: the build id in the directory name already hashes every chunk) and its payload matches
 * the header's checksum: V8 in a release build checks only the source's length and its own
 * version and flags, and would run bytecode from a damaged file. (The checksum finds damage, not
 * malice: who can write the cache directory can change what the user runs anyway.) Anything
 * else — absent, truncated, corrupt, stale, rejected by V8 — is a miss: the chunk compiles as
 * usual and the entry is written again at exit. A cache that cannot be read or written costs
 * nothing but the miss; `--no-cache` turns it off with the schema cache.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { buildId, schemaCacheDir } from "../catalog/cache-dir.js";
import type { StartContext } from "./main.js";
import { startEarlyWorkers } from "./thread-start.js";

/** Changed with the header's layout: 24 bytes, then checksum, length, source size and mtime. */
const MAGIC = Buffer.from("hexlog-v8-code-cache 01\n", "latin1");
const HEADER_BYTES = MAGIC.length + 24;
/** This module's own file in dist/bin (scripts/bundle-cli.mjs): compiled by Node, never from the cache, as its import() must work. */
const BOOT = "boot.cjs";
/** Set by engine/lazy-builtins.ts once V8's flags changed at run time (a registered symbol: that module is in another bundle). */
export const V8_FLAGS_CHANGED = Symbol.for("hexlog.v8-flags-changed");
/** Build directories kept side by side (two installed versions must not evict each other). */
const KEEP_BUILDS = 4;

export interface CodeCacheOptions {
  /** The directory whose `.cjs` files are compiled with the cache (dist/bin). */
  codeDir: string;
  /** Where this build's entries go: one directory per build, Node version and architecture. */
  entryDir: string;
  /** CommonJS packages whose `.js` files are compiled with the cache too (they load at every start). */
  packages?: readonly string[];
}

/** An installed code cache: what it found so far, and how to stop it. */
export interface CodeCache {
  /** Files compiled from their entry. */
  readonly hits: string[];
  /** Files compiled without one (absent, damaged, stale or rejected by V8). */
  readonly misses: string[];
  /** Removes the hook and writes the entries of the misses (what the process's exit does). */
  stop(): void;
}

/** What an entry says of the source it was made from. */
export interface SourceStamp {
  size: number;
  mtimeMs: number;
}

type Compile = (this: Module, content: string, filename: string) => unknown;
type WrappedModule = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => unknown;

/**
 * A 32-bit checksum of the bytes (a multiply-xorshift over 32-bit words, so that a change in any
 * bit reaches every bit of the result, plus a running sum), for a Node without zlib's crc32
 * (before 20.15). Loading node:crypto for SHA-256 would cost more start-up time than that.
 */
export function checksum(bytes: Uint8Array): number {
  const words = bytes.length >>> 2;
  // Words where the bytes lie when aligned, else from a copy (a Buffer's slice() is no copy).
  const view = bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, words) : new Int32Array(new Uint8Array(bytes.subarray(0, words * 4)).buffer);
  let a = 0x811c9dc5 | 0;
  let b = bytes.length | 0;
  for (let i = 0; i < words; i++) {
    a = Math.imul(a ^ view[i]!, 0x5bd1e995);
    a ^= a >>> 13;
    b = (b + a) | 0;
  }
  for (let i = words * 4; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x5bd1e995);
    a ^= a >>> 13;
    b = (b + a) | 0;
  }
  return (a ^ Math.imul(b ^ (b >>> 16), 0x85ebca6b)) >>> 0;
}

let crc32: ((data: Uint8Array) => number) | null | undefined;

/**
 * The payload's checksum: zlib's CRC-32 where Node has it (native: a one-event parse spends 2.5 %
 * of its instructions on the JavaScript checksum of a 0.3 MB payload, 0.6 % on loading zlib and
 * this), else `checksum`. An entry directory is per Node version, so one directory has one kind.
 */
export function payloadChecksum(bytes: Uint8Array): number {
  if (crc32 === undefined) {
    const zlib = createRequire("/")("node:zlib") as { crc32?: (data: Uint8Array) => number };
    crc32 = typeof zlib.crc32 === "function" ? zlib.crc32 : null;
  }
  return crc32 === null ? checksum(bytes) : crc32(bytes) >>> 0;
}

/** This build's entry directory under the cache directory. */
export function codeCacheEntryDir(cacheDir: string, build: string): string {
  return join(cacheDir, "code", `${build.slice(0, 16)}-${process.version}-${process.arch}`);
}

/** The stored code cache of a source, or undefined when absent, damaged or made from another. */
export function readEntry(entry: string, source: SourceStamp): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(entry);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const at = MAGIC.length;
  const payload = bytes.subarray(HEADER_BYTES);
  if (bytes.readUInt32LE(at + 4) !== payload.length || bytes.readDoubleLE(at + 8) !== source.size || bytes.readDoubleLE(at + 16) !== source.mtimeMs) return undefined;
  return payloadChecksum(payload) === bytes.readUInt32LE(at) ? payload : undefined;
}

/** Writes an entry whole or not at all (a temporary file renamed into place); false when it could not. */
export function writeEntry(entry: string, source: SourceStamp, payload: Uint8Array): boolean {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32LE(payloadChecksum(payload), MAGIC.length);
  header.writeUInt32LE(payload.length, MAGIC.length + 4);
  header.writeDoubleLE(source.size, MAGIC.length + 8);
  header.writeDoubleLE(source.mtimeMs, MAGIC.length + 16);
  const tmp = `${entry}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(entry), { recursive: true });
    writeFileSync(tmp, Buffer.concat([header, payload]));
    renameSync(tmp, entry);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written there.
    }
    return false;
  }
}

/** Removes the oldest build directories beyond KEEP_BUILDS, so that rebuilds do not pile up. */
function pruneBuilds(entryDir: string): void {
  const root = dirname(entryDir);
  try {
    const builds = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && join(root, d.name) !== entryDir)
      .map((d) => ({ path: join(root, d.name), mtime: statSync(join(root, d.name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of builds.slice(KEEP_BUILDS - 1)) rmSync(old.path, { recursive: true, force: true });
  } catch {
    // Another process pruned first, or the directory is not ours to clean: no matter.
  }
}

/**
 * From now on, compiles each `.cjs` file directly in `codeDir` (and each file of `packages`) that
 * is required with the cache, and stores what was compiled without one when the process exits.
 */
export function installCodeCache(options: CodeCacheOptions): CodeCache {
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  const prefix = options.codeDir.endsWith("/") ? options.codeDir : `${options.codeDir}/`;
  const packages = (options.packages ?? []).map((p) => `/node_modules/${p}/`);
  /** The entry's file name for a file compiled with the cache, or undefined for any other. */
  const entryName = (filename: string): string | undefined => {
    if (filename.startsWith(prefix)) {
      return filename.endsWith(".cjs") && !filename.includes("/", prefix.length) && basename(filename) !== BOOT ? `${basename(filename)}.v8` : undefined;
    }
    if (!filename.endsWith(".js")) return undefined;
    for (const p of packages) {
      const at = filename.lastIndexOf(p);
      // node_modules!yaml!dist!index.js.v8: the path from the package's folder on.
      if (at !== -1) return `node_modules${filename.slice(at + "/node_modules".length).replaceAll("/", "!")}.v8`;
    }
    return undefined;
  };
  const pending: Array<{ script: Script; entry: string; source: SourceStamp }> = [];
  const hits: string[] = [];
  const misses: string[] = [];
  proto._compile = function compile(this: Module, content: string, filename: string): unknown {
    const name = entryName(filename);
    if (name === undefined) return original.call(this, content, filename);
    let source: SourceStamp;
    try {
      const { size, mtimeMs } = statSync(filename);
      source = { size, mtimeMs };
    } catch {
      return original.call(this, content, filename);
    }
    const entry = join(options.entryDir, name);
    const cachedData = readEntry(entry, source);
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected === true) {
      pending.push({ script, entry, source });
      misses.push(filename);
    } else {
      hits.push(filename);
    }
    const fn = script.runInThisContext({ displayErrors: true }) as WrappedModule;
    return fn.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    if (proto._compile === compileHook) proto._compile = original;
    // A cache made under flags set at run time (the regex guard's) would be rejected by the next
    // process, which starts without them: that run stores nothing.
    if ((globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED] === true) return;
    let wrote = false;
    for (const p of pending.splice(0)) {
      let payload: Buffer;
      try {
        payload = p.script.createCachedData();
      } catch {
        continue;
      }
      wrote = writeEntry(p.entry, p.source, payload) || wrote;
    }
    if (wrote) pruneBuilds(options.entryDir);
  };
  const compileHook = proto._compile;
  process.once("exit", finish);
  return {
    hits,
    misses,
    stop() {
      process.removeListener("exit", finish);
      finish();
    },
  };
}

/**
 * import() for the bundle's chunks (scripts/bundle-cli.mjs routes theirs here): code compiled from
 * a cache has none of its own on Node 20; this module's has, and resolves from the same directory.
 */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}

/**
 * bin/hexlog's way in: the worker threads of a large `parse --workers N` (thread-start.ts), the
 * code cache (unless `--no-cache`, or the build has no id), then the command line's main module
 * from `codeDir`.
 */
export function startCli(codeDir: string, argv: string[]): Promise<void> {
  // First, so that their boot overlaps the command line's loading (thread-start.ts).
  const earlyWorkers = startEarlyWorkers(argv);
  const end = argv.indexOf("--");
  const flags = end === -1 ? argv : argv.slice(0, end);
  const build = flags.includes("--no-cache") ? undefined : buildId();
  if (build !== undefined) installCodeCache({ codeDir, entryDir: codeCacheEntryDir(schemaCacheDir(), build), packages: ["yaml"] });
  const { main } = createRequire(join(codeDir, BOOT))("./main.cjs") as { main: (argv: string[], context: StartContext) => Promise<void> };
  return main(argv, { earlyWorkers });
}
