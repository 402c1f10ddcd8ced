/**
 * `hexlog infer` as a command: inputs (files, stdin, gzip), exit codes, stderr, flags. Each
 * inference rule is tested in process in test/tools/infer.test.ts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { hexlog, tempDir, testdata, type RunResult } from "../helpers/cli.js";

type Field = Record<string, unknown> & { name: string; type: string; fields?: Field[]; element?: Field };
interface Schema {
  schema: string;
  description?: string;
  fields: Field[];
}

async function infer(args: string[], input?: string | Buffer): Promise<RunResult & { schema: Schema }> {
  const r = await hexlog(["infer", ...args], input === undefined ? {} : { input });
  return { ...r, schema: parseYaml(r.stdout) as Schema };
}

function sample(name: string): string {
  return testdata("infer", name);
}

describe.concurrent("hexlog infer: notes", () => {
  it("says on stderr which keys it left out, and quotes names a YAML 1.1 reader would take for booleans, nulls or numbers", async () => {
    const r = await infer([testdata("infer", "names.ndjson")]);
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([
      'note: user: left out: collides with "User" (the same name but for case), which came first',
      'note: user_agent: left out: collides with "user-agent" (the same column name), which came first',
      'note: p_log_type: left out: "p_log_type" is a name Panther reserves for its own fields',
      'note: p_any_ip_addresses: left out: "p_any_ip_addresses" is a name Panther reserves for its own fields',
      "note: : left out: an empty key cannot be a field name",
      "note: a,b: left out: names with a comma are cut at the comma by Panther",
      'note: nested.id: left out: collides with "ID" (the same name but for case), which came first',
    ]);
    expect(r.stdout).toContain('- name: "on"\n');
    expect(r.stdout).toContain('- name: "null"\n');
    expect(r.stdout).toContain('- name: "123"\n');
  });
});

describe.concurrent("hexlog infer: input and exit codes", () => {
  it("reports events that are not JSON objects at file:line, skips them, still prints the schema, and exits 1", async () => {
    const r = await infer([sample("not-objects.ndjson")]);
    expect(r.code).toBe(1);
    const file = sample("not-objects.ndjson");
    expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([
      `${file}:2: not a JSON object (a number); skipped`,
      `${file}:4: not a JSON object (a string); skipped`,
      `${file}:5: unterminated JSON value (line 6 starts a new value); skipped`,
      `${file}:8: not a JSON object (a boolean); skipped`,
    ]);
    // The top-level null counts as an event with no fields, as `parse` reads it: nothing is required.
    expect(r.schema.fields).toEqual([
      { name: "a", type: "bigint" },
      { name: "b", type: "string" },
    ]);
  });

  it("reads stdin, gzip, JSON arrays and pretty-printed values like parse does", async () => {
    const plain = await infer([sample("types.ndjson")]);
    const gz = tempDir();
    writeFileSync(join(gz, "types.ndjson.gz"), gzipSync(readFileSync(sample("types.ndjson"))));
    const zipped = await infer([join(gz, "types.ndjson.gz")]);
    const piped = await infer([], readFileSync(sample("types.ndjson")));
    expect(zipped.schema).toEqual(plain.schema);
    expect(piped.schema).toEqual(plain.schema);
    expect(piped.stdout).toMatch(/^# Inferred by hexlog infer from 3 events \(stdin\)\./);
    const arr = await infer([testdata("hex", "audit-array.json")]);
    const pretty = await infer([testdata("hex", "audit-pretty.json")]);
    expect(arr.code).toBe(0);
    expect(pretty.code).toBe(0);
    expect(arr.stdout).toMatch(/from 6 events/);
    expect(pretty.stdout).toMatch(/from 3 events/);
  });

  it("prints byte-identical output for the same input", async () => {
    const files = [testdata("hex", "audit.ndjson"), testdata("auth0", "events.ndjson"), testdata("panther", "audit.ndjson")];
    const a = await infer(files);
    const b = await infer(files);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
  });

  it("names and describes the schema with --name and --description", async () => {
    const r = await infer(["--name", "Custom.MyApp", "--description", "My app: audit log", sample("types.ndjson")]);
    expect(r.code).toBe(0);
    expect(r.schema.schema).toBe("Custom.MyApp");
    expect(r.schema.description).toBe("My app: audit log");
    expect(r.stdout).toMatch(/^schema: Custom\.MyApp\ndescription: "My app: audit log"\nfields:\n/m);
    const d = await infer([sample("types.ndjson")]);
    expect(d.schema.schema).toBe("Custom.Inferred");
    expect(d.schema.description).toBeUndefined();
  });

  it("rejects a name that is no log type name with exit 2", async () => {
    const r = await infer(["--name", "my app", sample("types.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^hexlog: --name must look like a log type name/);
  });

  it("exits 1 with a message and no schema when there is nothing to infer from", async () => {
    const r = await infer([], "");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("hexlog: no JSON object events to infer a schema from\n");
  });

  it("exits 2 for a missing input file", async () => {
    const r = await infer(["testdata/infer/no-such-file.ndjson"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hexlog: cannot read testdata/infer/no-such-file.ndjson: no such file or directory\n");
  });

  it("keeps notes off stderr with --quiet but still reports skipped events", async () => {
    const q = await infer(["-q", sample("names.ndjson")]);
    expect(q.code).toBe(0);
    expect(q.stderr).toBe("");
    const n = await infer(["-q", sample("not-objects.ndjson")]);
    expect(n.stderr).toMatch(/:2: not a JSON object/);
  });

  it("has --help with examples", async () => {
    const r = await hexlog(["infer", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: hexlog infer \[options\] \[files\.\.\.\]/);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ hexlog infer samples\.ndjson > custom-app\.yml/);
    expect(r.stdout).toContain("--name <name>");
  });
});
