/** The schema cache: a second run gets the first one's outcome for unchanged bytes, and nothing else. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLogTypes } from "../../src/catalog/load-types.js";
import { makeSchemaCache, schemaCacheDir } from "../../src/catalog/schema-cache.js";
import { Normalizer } from "../../src/index.js";

const GOOD = "schema: Custom.Good\nfields:\n  - name: a\n    type: string\n    indicators: [email]\n";
const BAD = "schema: Custom.Bad\nfields:\n  - name: a\n    type: strnig\n";

function setup(files: Record<string, string>): { dir: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "hexlog-cache-schemas-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, cacheDir: mkdtempSync(join(tmpdir(), "hexlog-cache-")) };
}

function entries(cacheDir: string): string[] {
  return readdirSync(cacheDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")).map((f) => join(cacheDir, f));
}

const summary = (loaded: Awaited<ReturnType<typeof loadLogTypes>>) => ({ names: loaded.names, types: loaded.types.map((t) => t.name), problems: loaded.problems, warnings: loaded.warnings });

describe("the schema cache", () => {
  it("gives a second run the same types, problems and positions as the first", async () => {
    const { dir, cacheDir } = setup({ "bad.yml": BAD, "good.yml": GOOD });
    const cache = makeSchemaCache(cacheDir, "build-1");
    const first = await loadLogTypes([dir], { cache });
    expect(entries(cacheDir)).toHaveLength(2);
    const second = await loadLogTypes([dir], { cache });
    expect(summary(second)).toEqual(summary(first));
    expect(first.problems).toEqual([expect.objectContaining({ file: join(dir, "bad.yml"), line: 4, col: 11, logType: "Custom.Bad" })]);
  });

  it("compiles a cached log type that normalizes as the schema says", async () => {
    const { dir, cacheDir } = setup({ "good.yml": GOOD });
    const cache = makeSchemaCache(cacheDir, "build-1");
    await loadLogTypes([dir], { cache });
    const again = await loadLogTypes([dir], { cache, only: ["Custom.Good"] });
    const good = again.types.find((t) => t.name === "Custom.Good");
    expect(good?.source.value).toEqual({ schema: "Custom.Good", fields: [{ name: "a", type: "string", indicators: ["email"] }] });
    const out = new Normalizer({ types: [good!.logType] }).normalize({ a: "ana@example.com" });
    expect(out.ok && out.indicators.p_any_emails).toEqual(["ana@example.com"]);
  });

  it("answers an edited file or another build anew", async () => {
    const { dir, cacheDir } = setup({ "s.yml": GOOD });
    await loadLogTypes([dir], { cache: makeSchemaCache(cacheDir, "build-1") });
    writeFileSync(join(dir, "s.yml"), BAD);
    const edited = await loadLogTypes([dir], { cache: makeSchemaCache(cacheDir, "build-1") });
    expect(edited.problems.map((p) => p.rule)).toHaveLength(1);
    const otherBuild = makeSchemaCache(cacheDir, "build-2");
    expect(otherBuild.key("load", readFileSync(join(dir, "s.yml")))).not.toBe(makeSchemaCache(cacheDir, "build-1").key("load", readFileSync(join(dir, "s.yml"))));
  });

  it("keeps the name a schema without `schema:` takes from its file, whatever file had the same bytes", async () => {
    const nameless = "fields:\n  - name: a\n    type: string\n";
    const one = setup({ "Custom.One.yml": nameless });
    const two = setup({ "Custom.Two.yml": nameless });
    const cache = makeSchemaCache(one.cacheDir, "build-1");
    expect((await loadLogTypes([one.dir], { cache })).types.map((t) => t.name)).toContain("Custom.One");
    expect((await loadLogTypes([two.dir], { cache })).types.map((t) => t.name)).toContain("Custom.Two");
  });

  it("ignores an entry that is corrupt, truncated or under another key, and writes it again", async () => {
    const { dir, cacheDir } = setup({ "bad.yml": BAD });
    const cache = makeSchemaCache(cacheDir, "build-1");
    const first = await loadLogTypes([dir], { cache });
    const [entry] = entries(cacheDir) as [string];
    const stored = readFileSync(entry, "utf8");
    for (const broken of ["{", "", "null", "[]", stored.replace(/"key":"[0-9a-f]+"/, '"key":"0"'), stored.replace('"problems":[', '"problems":[7,')]) {
      writeFileSync(entry, broken);
      expect(summary(await loadLogTypes([dir], { cache }))).toEqual(summary(first));
      expect(readFileSync(entry, "utf8")).toBe(stored);
    }
  });

  it("is not written where it cannot be, and the run goes on", async () => {
    const { dir } = setup({ "good.yml": GOOD });
    const blocked = join(dir, "good.yml"); // a file where the cache directory should be
    const loaded = await loadLogTypes([dir], { cache: makeSchemaCache(join(blocked, "cache"), "build-1") });
    expect(loaded.types.map((t) => t.name)).toContain("Custom.Good");
  });

  it("lives under HEXLOG_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache", () => {
    expect(schemaCacheDir({ HEXLOG_CACHE_DIR: "/x/y" })).toBe("/x/y");
    expect(schemaCacheDir({ XDG_CACHE_HOME: "/c" })).toBe("/c/hexlog");
    expect(schemaCacheDir({ XDG_CACHE_HOME: "relative" })).toMatch(/\/\.cache\/hexlog$/);
  });
});
