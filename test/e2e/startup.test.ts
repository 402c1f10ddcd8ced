/**
 * Start-up as a process shows it: bin/hexlog runs the bundle's CommonJS chunks compiled from the
 * V8 code cache under HEXLOG_CACHE_DIR (cli/code-cache.ts), and what the cache holds, or whether
 * it can be written at all, never changes what a run prints. The cache's rules themselves are
 * tested in process (test/cli/code-cache.test.ts).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, tempDir, testdata } from "../helpers/cli.js";

/** The code cache's entries under a cache directory. */
function entries(cacheDir: string): string[] {
  try {
    return readdirSync(join(cacheDir, "code"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".v8"))
      .map((f) => join(cacheDir, "code", f));
  } catch {
    return [];
  }
}

const PARSE = ["parse", "-t", "Hex.Audit", ...FIXED, testdata("hex", "audit.ndjson")];

describe("start-up from the code cache", () => {
  it("parses the same whether the code comes from the cache, a damaged cache, an unwritable one or none", async () => {
    const cacheDir = tempDir();
    const first = await hexlog(PARSE, { env: { HEXLOG_CACHE_DIR: cacheDir } });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe("");
    expect(records(first.stdout)).toHaveLength(18);
    const written = entries(cacheDir);
    // What a JSON parse compiles: the bundle's own chunks, commander inside the core one, and
    // neither the text parsers nor the native ones (loaded when a schema names them).
    const names = written.map((f) => f.replace(/.*\//, "")).sort();
    expect(names).toEqual(["core", "main"].map((c) => expect.stringMatching(new RegExp(`^${c}(-.*)?\\.cjs\\.v8$`))));

    const cached = await hexlog(PARSE, { env: { HEXLOG_CACHE_DIR: cacheDir } });
    expect(cached).toEqual(first);

    // Every entry damaged in the middle of its payload: each is a miss, written again.
    for (const f of written) {
      const b = readFileSync(f);
      b[b.length >> 1] = b[b.length >> 1]! ^ 0xff;
      writeFileSync(f, b);
    }
    const damaged = await hexlog(PARSE, { env: { HEXLOG_CACHE_DIR: cacheDir } });
    expect(damaged).toEqual(first);

    // A cache directory under a regular file can be neither read nor written.
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "");
    const unwritable = await hexlog(PARSE, { env: { HEXLOG_CACHE_DIR: join(blocker, "cache") } });
    expect(unwritable).toEqual(first);

    const noCacheDir = tempDir();
    const none = await hexlog(["--no-cache", ...PARSE], { env: { HEXLOG_CACHE_DIR: noCacheDir } });
    expect(none).toEqual(first);
    expect(entries(noCacheDir)).toEqual([]);
  });

  it("loads the text parsers for a schema that names one, and the native parsers for a native one", async () => {
    const chunks = async (args: string[]): Promise<string[]> => {
      const cacheDir = tempDir();
      const run = await hexlog(args, { env: { HEXLOG_CACHE_DIR: cacheDir } });
      // The Apache sample has lines that fail on purpose (exit 1); the others are records.
      expect([0, 1]).toContain(run.code);
      expect(run.stderr).not.toContain("internal error");
      expect(records(run.stdout).length).toBeGreaterThan(0);
      return entries(cacheDir).map((f) => f.replace(/.*\//, "").replace(/-[\w-]{8}\.cjs\.v8$/, "")); // rollup's 8-character hash, which may hold "-"
    };
    const text = await chunks(["parse", "-s", testdata("schemas", "text", "apache-common.yml"), "-t", "Custom.ApacheCommon", ...FIXED, testdata("text", "apache", "common.log")]);
    expect(text).toContain("parsers");
    expect(text).not.toContain("native");
    const native = await chunks(["parse", "--schemas", testdata("native", "schemas"), "-t", "AWS.CloudTrail", ...FIXED, testdata("native", "cloudtrail", "210987654321_CloudTrail_eu-west-1_20260211T0845Z_Ex4mpleFile.json.gz")]);
    expect(native).toEqual(expect.arrayContaining(["native", "parsers"]));
  });

  it("runs code from the cache that imports ES-module-only packages (chalk) and bundled ones (any-ascii)", async () => {
    const cacheDir = tempDir();
    for (const args of [
      ["parse", "-t", "Hex.Audit", ...FIXED, "--pretty", testdata("hex", "audit.ndjson")],
      ["parse", "-t", "Hex.Audit", ...FIXED, "--format", "lake", testdata("hex", "audit.ndjson")],
    ]) {
      const env = { HEXLOG_CACHE_DIR: cacheDir, FORCE_COLOR: "1" };
      const fresh = await hexlog(args, { env });
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toContain(args.includes("--pretty") ? "\u001b[" : "\"p_log_type\"");
      const again = await hexlog(args, { env });
      expect(again).toEqual(fresh);
    }
    expect(entries(cacheDir).map((f) => f.replace(/.*\//, ""))).toEqual(expect.arrayContaining([expect.stringMatching(/^lake-.*\.cjs\.v8$/)]));
  });
});
