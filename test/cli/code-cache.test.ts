/**
 * The command line's code cache (cli/code-cache.ts): a second start compiles from the first one's
 * entries, and an entry that is damaged, stale or cannot be written costs a miss, never a
 * different result.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checksum, installCodeCache, payloadChecksum, readEntry, V8_FLAGS_CHANGED, type CodeCache } from "../../src/cli/code-cache.js";
import { V8_FLAGS_CHANGED as ENGINE_V8_FLAGS_CHANGED } from "../../src/engine/lazy-builtins.js";

/** A chunk big enough for V8 to keep bytecode worth caching, that computes something checkable. */
function chunk(name: string, factor: number): string {
  const fns = Array.from({ length: 40 }, (_, i) => `function f${i}(x) { return x * ${factor} + ${i}; }`).join("\n");
  return `"use strict";\n${fns}\nexports.name = ${JSON.stringify(name)};\nexports.total = (x) => ${Array.from({ length: 40 }, (_, i) => `f${i}(x)`).join(" + ")};\n`;
}

let active: CodeCache | undefined;
/**
 * Test files share a process: one that ran the regex guard before this one has set the "flags
 * changed" mark, which would make every start here store nothing. Each test starts without it,
 * and the mark is put back after.
 */
let flagsChangedBefore: unknown;
beforeEach(() => {
  flagsChangedBefore = (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED];
  delete (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED];
});
afterEach(() => {
  active?.stop();
  active = undefined;
  delete (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED];
  if (flagsChangedBefore !== undefined) (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED] = flagsChangedBefore;
});

function setup(files: Record<string, string> = { "core-abc.cjs": chunk("core", 3) }): { codeDir: string; entryDir: string } {
  const root = mkdtempSync(join(tmpdir(), "hexlog-code-cache-"));
  const codeDir = join(root, "dist", "bin");
  mkdirSync(codeDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(codeDir, name, ".."), { recursive: true });
    writeFileSync(join(codeDir, name), text);
  }
  return { codeDir, entryDir: join(root, "cache", "code", "build-v20-x64") };
}

/** Requires a file afresh (out of Node's module cache) with the code cache installed. */
function load(options: Parameters<typeof installCodeCache>[0], file: string): { exports: { name: string; total: (x: number) => number }; cache: CodeCache } {
  const cache = installCodeCache(options);
  active = cache;
  const require = createRequire(file);
  delete require.cache[file];
  const exports = require(file) as { name: string; total: (x: number) => number };
  exports.total(1);
  return { exports, cache };
}

function run(options: Parameters<typeof installCodeCache>[0], file: string): { result: number; hit: boolean; miss: boolean } {
  const { exports, cache } = load(options, file);
  const result = exports.total(2);
  cache.stop();
  active = undefined;
  return { result, hit: cache.hits.includes(file), miss: cache.misses.includes(file) };
}

const expected = Array.from({ length: 40 }, (_, i) => 2 * 3 + i).reduce((a, b) => a + b, 0);

describe("the code cache", () => {
  it("compiles a chunk from the entry an earlier start wrote, with the same exports", () => {
    const o = setup();
    const file = join(o.codeDir, "core-abc.cjs");
    expect(run(o, file)).toEqual({ result: expected, hit: false, miss: true });
    expect(readdirSync(o.entryDir)).toEqual(["core-abc.cjs.v8"]);
    expect(run(o, file)).toEqual({ result: expected, hit: true, miss: false });
  });

  it("treats a corrupt, truncated or foreign entry as a miss, runs the same code and writes the entry again", () => {
    const o = setup();
    const file = join(o.codeDir, "core-abc.cjs");
    run(o, file);
    const entry = join(o.entryDir, "core-abc.cjs.v8");
    const good = readFileSync(entry);
    const flipped = (at: number) => {
      const b = Buffer.from(good);
      b[at] = b[at]! ^ 0x41;
      return b;
    };
    for (const broken of [Buffer.alloc(0), good.subarray(0, 60), good.subarray(0, good.length - 1), Buffer.alloc(good.length), flipped(good.length >> 1), flipped(good.length - 1), flipped(3), flipped(50), Buffer.from("not a cache at all")]) {
      writeFileSync(entry, broken);
      expect(run(o, file)).toEqual({ result: expected, hit: false, miss: true });
      expect(readEntry(entry, statSync(file))).toBeDefined();
    }
    expect(run(o, file).hit).toBe(true);
  });

  it("does not use an entry made from another version of the file, even one of the same length", () => {
    const o = setup();
    const file = join(o.codeDir, "core-abc.cjs");
    run(o, file);
    writeFileSync(file, chunk("core", 5));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const changed = run(o, file);
    expect(changed).toEqual({ result: Array.from({ length: 40 }, (_, i) => 2 * 5 + i).reduce((a, b) => a + b, 0), hit: false, miss: true });
    expect(run(o, file).hit).toBe(true);
  });

  it("runs as usual when its directory cannot be written, and writes nothing", () => {
    const o = setup();
    const file = join(o.codeDir, "core-abc.cjs");
    const blocker = join(o.codeDir, "..", "a-file");
    writeFileSync(blocker, "");
    const unwritable = { codeDir: o.codeDir, entryDir: join(blocker, "code", "build") };
    expect(run(unwritable, file)).toEqual({ result: expected, hit: false, miss: true });
    expect(run(unwritable, file)).toEqual({ result: expected, hit: false, miss: true });
  });

  it("leaves files outside the code directory, its boot file and its subdirectories to Node", () => {
    const o = setup({ "core-abc.cjs": chunk("core", 3), "boot.cjs": chunk("boot", 3), "sub/x.cjs": chunk("x", 3), "plain.js": chunk("plain", 3).replace('"use strict";', "") });
    for (const name of ["boot.cjs", "sub/x.cjs", "plain.js"]) {
      const { cache } = load(o, join(o.codeDir, name));
      expect([...cache.hits, ...cache.misses]).toEqual([]);
      cache.stop();
    }
    expect(() => readdirSync(o.entryDir)).toThrow();
  });

  it("caches the files of the packages it is given, under their path from node_modules", () => {
    const o = setup({ "core-abc.cjs": chunk("core", 3), "../../node_modules/some-pkg/lib/index.js": chunk("pkg", 3), "../../node_modules/other/index.js": chunk("other", 3) });
    const pkg = join(o.codeDir, "..", "..", "node_modules", "some-pkg", "lib", "index.js");
    const other = join(o.codeDir, "..", "..", "node_modules", "other", "index.js");
    const options = { ...o, packages: ["some-pkg"] };
    expect(run(options, pkg)).toEqual({ result: expected, hit: false, miss: true });
    expect(run(options, pkg)).toEqual({ result: expected, hit: true, miss: false });
    expect(run(options, other)).toEqual({ result: expected, hit: false, miss: false });
    expect(readdirSync(o.entryDir)).toEqual(["node_modules!some-pkg!lib!index.js.v8"]);
  });

  it("writes nothing once V8's flags changed at run time, as a fresh process would reject it", () => {
    expect(V8_FLAGS_CHANGED).toBe(ENGINE_V8_FLAGS_CHANGED);
    const o = setup();
    const file = join(o.codeDir, "core-abc.cjs");
    const { cache } = load(o, file);
    (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED] = true;
    cache.stop();
    expect(() => readdirSync(o.entryDir)).toThrow();
  });

  it("keeps at most four builds' entries", () => {
    const o = setup();
    const root = join(o.entryDir, "..");
    for (let i = 0; i < 5; i++) {
      mkdirSync(join(root, `old-${i}`), { recursive: true });
      const t = new Date(Date.now() - (10 - i) * 60_000);
      utimesSync(join(root, `old-${i}`), t, t);
    }
    run(o, join(o.codeDir, "core-abc.cjs"));
    expect(readdirSync(root).sort()).toEqual(["build-v20-x64", "old-2", "old-3", "old-4"]);
  });

  it("has checksums (its own, and zlib's CRC-32 where Node has it) that change with any one bit, wherever the bytes lie", () => {
    const bytes = new Uint8Array(Array.from({ length: 103 }, (_, i) => (i * 7) & 0xff));
    for (const sum of [checksum, payloadChecksum]) {
      const sums = new Set([sum(bytes)]);
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const b = new Uint8Array(bytes);
          b[i] = b[i]! ^ (1 << bit);
          sums.add(sum(b));
        }
      }
      expect(sums.size).toBe(1 + 8 * bytes.length);
    }
    const unaligned = new Uint8Array(bytes.buffer, 1, 101);
    expect(checksum(unaligned)).toBe(checksum(new Uint8Array(unaligned)));
  });
});
