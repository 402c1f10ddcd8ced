/** The details people expect of a CLI: sizes with units, help topics, completion, environment defaults, packaging. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, ROOT, testdata } from "../helpers/cli.js";

const HEX = testdata("hex", "audit.ndjson");
const HEX_EVENTS = readFileSync(HEX, "utf8").split("\n").filter(Boolean).length;

describe("size flags", () => {
  it("accept units as the help shows them: 512k, 10MiB, 1MB, 1.5M", async () => {
    for (const size of ["512k", "10MiB", "1MB", "1.5M", "2048"]) {
      const r = await hexlog(["parse", "-t", "Hex.Audit", "--max-event-bytes", size, HEX, ...FIXED]);
      expect(r.code, size).toBe(0);
      expect(records(r.stdout)).toHaveLength(HEX_EVENTS);
    }
  });

  it("apply the unit: 512 bytes is too small for these events, 1k is not", async () => {
    const small = await hexlog(["parse", "-t", "Hex.Audit", "--max-event-bytes", "0.5k", HEX]);
    expect(small.code).toBe(1);
    expect(small.stderr).toContain("512");
    const enough = await hexlog(["parse", "-t", "Hex.Audit", "--max-event-bytes", "2k", HEX]);
    expect(enough.code).toBe(0);
  });

  it("refuse a size they cannot read, before reading input (exit 2)", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", "--max-event-bytes", "10XB", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hexlog: --max-event-bytes must be a size of at least 1 byte, like 1048576, 512k, 10MiB or 1MB; got "10XB"\n');
    expect(r.stdout).toBe("");
  });

  it("show their defaults in help", async () => {
    const r = await hexlog(["serve", "--help"]);
    expect(r.stdout).toMatch(/--max-body <size>[\s\S]*\(default:\s+1 MiB\)/);
  });
});

describe("help", () => {
  it("says which word it does not know, exit 2", async () => {
    const r = await hexlog(["help", "foo"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe('hexlog: unknown command or help topic "foo"');
    expect(r.stderr).toContain("topics: exit-codes, environment, sizes, classification, terminal");
  });

  it("shows a command's help and topic pages", async () => {
    const parse = await hexlog(["help", "parse"]);
    expect(parse.code).toBe(0);
    expect(parse.stdout).toMatch(/^Usage: hexlog parse/);
    for (const topic of ["exit-codes", "environment", "sizes", "classification", "terminal"]) {
      const r = await hexlog(["help", topic]);
      expect(r.code, topic).toBe(0);
      expect(r.stdout.length, topic).toBeGreaterThan(100);
      // Every exit code of the README's table is on the page.
      if (topic === "exit-codes") for (const code of ["0", "1", "2", "3", "70", "130"]) expect(r.stdout).toMatch(new RegExp(`^  ${code} +\\S`, "m"));
    }
  });

  it("uses one prefix for errors of every command", async () => {
    const r = await hexlog(["parse", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("hexlog: unknown option '--no-such-flag'");
    const others = await Promise.all([["test", "nothere"], ["validate-schema", "nothere"], ["sources", "nothere"], ["diff", "nothere", "nothere"], ["list-types", "--show", "Nope"], ["infer", "nothere"]].map((args) => hexlog(args)));
    for (const o of others) {
      expect(o.code).toBe(2);
      expect(o.stderr).toMatch(/^hexlog: (cannot read nothere: no such file or directory|unknown log type "Nope")/);
    }
  });
});

describe("summary wording", () => {
  it("counts one event, one record and one error in the singular", async () => {
    const { hexlogOnTty } = await import("../helpers/tty.js");
    const line = readFileSync(HEX, "utf8").split("\n")[0] as string;
    const dir = (await import("../helpers/cli.js")).tempDir();
    const file = join(dir, "two.ndjson");
    (await import("node:fs")).writeFileSync(file, `${line}\n{"source":"Hex"}\n`);
    const r = await hexlogOnTty(["parse", "-t", "Hex.Audit", file], { NO_COLOR: "1" });
    expect(r.stdout).toMatch(/\n2 events → 1 record, 1 error in [0-9.]+s\n/);
    expect(r.stdout).toMatch(/\n {2}Hex\.Audit +1 record +1 error\n/);
  });
});

describe("completion", () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    it(`prints a ${shell} script that names every command and the log types`, async () => {
      const r = await hexlog(["completion", shell]);
      expect(r.code).toBe(0);
      for (const word of ["parse", "validate-schema", "serve", "max-event-bytes", "Hex.Audit", "Auth0.Events"]) expect(r.stdout, word).toContain(word);
    });
  }

  it("prints bash that bash accepts", async () => {
    const script = (await hexlog(["completion", "bash"])).stdout;
    const check = spawnSync("bash", ["-n"], { input: script });
    expect(check.status).toBe(0);
  });

  it("refuses an unknown shell (exit 2)", async () => {
    const r = await hexlog(["completion", "tcsh"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hexlog: no completion for shell "tcsh": use bash, zsh or fish\n');
  });
});

describe("environment defaults", () => {
  it("HEXLOG_TYPE names the log types, commas and spaces allowed", async () => {
    const r = await hexlog(["parse", HEX, ...FIXED], { env: { HEXLOG_TYPE: "Auth0.Events, Hex.Audit" } });
    expect(r.code).toBe(0);
    expect(records(r.stdout)).toHaveLength(HEX_EVENTS);
  });

  it("a -t flag wins over HEXLOG_TYPE", async () => {
    const r = await hexlog(["parse", "-t", "Hex.Audit", HEX, ...FIXED], { env: { HEXLOG_TYPE: "Auth0.Events" } });
    expect(r.code).toBe(0);
    expect(records(r.stdout).every((x) => x.p_log_type === "Hex.Audit")).toBe(true);
  });

  it("HEXLOG_SCHEMAS adds schema paths separated by ':'", async () => {
    const r = await hexlog(["list-types"], { env: { HEXLOG_SCHEMAS: `${testdata("classify")}:${testdata("schemas", "required.yml")}` } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Custom.MyApp");
    expect(r.stdout).toContain("Custom.Required");
  });
});

describe("packaging", () => {
  it("ships a LICENSE matching package.json, and ajv only as a build tool", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { license: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.license).toBe("Apache-2.0");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(pkg.dependencies.ajv).toBeUndefined();
    expect(pkg.devDependencies.ajv).toBeDefined();
  });

  it("ships files that speak for themselves: no reference to documents outside the package", () => {
    const shipped = [
      ...readdirSync(join(ROOT, "schemas")).map((f) => join(ROOT, "schemas", f)),
      ...readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "src", f)),
    ];
    const cited = shipped.filter((f) => /seeds\/|\bSPEC\b|panther-engine\.md|panther-docs|reference §/.test(readFileSync(f, "utf8")));
    expect(cited).toEqual([]);
  });

  it("validates schemas from the build without ajv: the generated validator imports nothing", () => {
    const code = readFileSync(join(ROOT, "dist", "language", "logschema-validator.js"), "utf8");
    expect(code).not.toContain("ajv");
    expect(code).not.toContain("require(");
  });
});

describe("list-types --format json", () => {
  it("prints one object per log type, with where it comes from", async () => {
    const r = await hexlog(["list-types", "--format", "json", "-s", testdata("classify")]);
    expect(r.code).toBe(0);
    const types = records(r.stdout);
    expect(types.map((t) => t.name)).toEqual(["Hex.Audit", "Auth0.Events", "Panther.Audit", "Custom.MyApp"]);
    expect(types[3]).toEqual({ name: "Custom.MyApp", description: "Audit events of an in-house app", builtin: false, file: testdata("classify", "myapp.yml"), parser: "json" });
    expect(types[0]).toMatchObject({ builtin: true, file: null });
  });
});
