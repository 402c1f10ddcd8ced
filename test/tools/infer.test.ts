/**
 * Schema inference (tools/infer), in process: each inference rule on the samples in
 * testdata/infer/, and the schema inferred checked by normalizing the same samples with it.
 * What only the command shows (stdin, gzip, exit codes, stderr, flags) is in test/e2e/infer.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { compileLogType, fixedClock, normalizeStream, type Clock } from "../../src/index.js";
import { JsonFramer, type FramedEvent } from "../../src/input/framing.js";
import { schemaYaml } from "../../src/output/schema-yaml.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../../src/pipeline/limits.js";
import { loadJsonSchemaCheck } from "../../src/language/json-schema.js";
import { parseSchemaDocuments } from "../../src/language/yaml-source.js";
import { SchemaInferrer } from "../../src/tools/infer/index.js";
import { validateDocument } from "../../src/tools/validate.js";

type Field = Record<string, unknown> & { name: string; type: string; fields?: Field[]; element?: Field };
interface Schema {
  schema: string;
  description?: string;
  fields: Field[];
}

interface Inferred {
  /** The schema as `hexlog infer` prints it. */
  yaml: string;
  schema: Schema;
  /** Notes about the schema, as `note: PATH: MESSAGE`. */
  notes: string[];
  /** Events that were not JSON objects, as `line: problem`. */
  skipped: string[];
}

const inferredByFile = new Map<string, Inferred>();

/** Infers a schema named Custom.Inferred from a sample file, framed as parse frames it (memoized: it is pure). */
function infer(file: string): Inferred {
  const known = inferredByFile.get(file);
  if (known) return known;
  const { yaml, schemaNotes, skipped } = inferFile(file);
  const inferred = { yaml, schema: parseYaml(yaml) as Schema, notes: schemaNotes, skipped };
  inferredByFile.set(file, inferred);
  return inferred;
}

/** The YAML text inferred from a sample file. */
function inferText(file: string): string {
  return inferFile(file).yaml;
}

function inferFile(file: string): { yaml: string; schemaNotes: string[]; skipped: string[] } {
  const inferrer = new SchemaInferrer();
  const framer = new JsonFramer({ maxEventBytes: DEFAULT_MAX_EVENT_BYTES });
  const events: FramedEvent[] = [];
  framer.push(readFileSync(file), events);
  framer.end(events);
  const skipped: string[] = [];
  for (const ev of events) {
    const problem = ev.error ?? inferrer.add(ev.raw, ev.value);
    if (problem !== undefined) skipped.push(`${ev.line}: ${problem}`);
  }
  const result = inferrer.result({ name: "Custom.Inferred" });
  if (!result.schema) throw new Error(`nothing inferred from ${file}`);
  const yaml = schemaYaml(result.schema, ["Inferred in a test."]);
  return { yaml, schemaNotes: result.notes.map((n) => `note: ${n.path}: ${n.message}`), skipped };
}

/** The field at a dotted path; `[]` steps into an array's element. */
function field(schema: Schema, path: string): Field {
  let fields: Field[] | undefined = schema.fields;
  let found: Field | undefined;
  for (const part of path.split(".")) {
    const name = part.replace(/\[\]$/, "");
    found = fields?.find((f) => f.name === name);
    if (!found) throw new Error(`no field ${path} (stuck at ${part})`);
    const inner: Field | undefined = part.endsWith("[]") ? found.element : found;
    fields = inner?.fields;
  }
  return found as Field;
}

const CLOCK = fixedClock("2026-11-21T12:00:00Z") as Clock;

/** Compiles the inferred schema and normalizes `file` with it: the records (and their JSON lines), failures and warnings. */
async function parseWith(yamlText: string, file: string) {
  const { logType, problems, warnings } = await compileLogType(yamlText, { file: "inferred.yml" });
  expect(problems).toEqual([]);
  const lines: string[] = [];
  const failures: string[] = [];
  for await (const o of normalizeStream(Readable.from([readFileSync(file)]), { types: [logType!], clock: CLOCK })) {
    if (o.ok) lines.push(o.json);
    else failures.push(`${o.line}: ${o.path ?? ""}: ${o.message}`);
  }
  return { lines, recs: lines.map((l) => JSON.parse(l) as Record<string, unknown>), failures, warnings: warnings.map((w) => w.message) };
}

function sample(name: string): string {
  return `testdata/infer/${name}`;
}

describe("infer: types", () => {
  it("types integers as bigint, other numbers as float, booleans, strings, objects and arrays", async () => {
    const r = infer(sample("types.ndjson"));
    expect(r.skipped).toEqual([]);
    expect([...r.notes, ...r.skipped]).toEqual([]);
    const types = Object.fromEntries(r.schema.fields.map((f) => [f.name, f.type]));
    expect(types).toEqual({
      id: "bigint",
      ratio: "float",
      ok: "boolean",
      name: "string",
      tags: "array",
      nested: "object",
      mixed_num: "float",
      big: "bigint",
      huge: "float",
      one_point_o: "float",
      code: "string",
      scores: "array",
    });
    expect(field(r.schema, "tags").element).toEqual({ type: "string" });
    expect(field(r.schema, "scores").element).toEqual({ type: "float" });
    expect(field(r.schema, "nested").fields?.map((f) => [f.name, f.type])).toEqual([
      ["x", "bigint"],
      ["y", "string"],
      ["z", "boolean"],
    ]);
  });

  it("reads number literals exactly: 1.0 is a float, the 64-bit limits are bigint, 2^64 is a float", async () => {
    const r = infer(sample("types.ndjson"));
    expect(field(r.schema, "one_point_o").type).toBe("float");
    expect(field(r.schema, "big").type).toBe("bigint");
    expect(field(r.schema, "huge").type).toBe("float");
    const p = await parseWith(r.yaml, sample("types.ndjson"));
    expect(p.failures).toEqual([]);
    expect(p.lines.join("\n")).toContain('"big":9223372036854775807');
    expect(p.lines.join("\n")).toContain('"big":-9223372036854775808');
  });

  it("keeps numeric-looking strings as strings (leading zeros survive)", async () => {
    const r = infer(sample("types.ndjson"));
    expect(field(r.schema, "code").type).toBe("string");
    const p = await parseWith(r.yaml, sample("types.ndjson"));
    expect(p.recs.map((x) => x.code)).toEqual(["007", "042", "100"]);
  });
});

describe("infer: widening", () => {
  it("widens disagreeing values: scalars of several kinds to string, objects or arrays mixed with anything to json", async () => {
    const r = infer(sample("widening.ndjson"));
    expect(r.skipped).toEqual([]);
    expect(field(r.schema, "num_or_text").type).toBe("string");
    expect(field(r.schema, "bool_or_num").type).toBe("string");
    expect(field(r.schema, "obj_or_text").type).toBe("json");
    expect(field(r.schema, "arr_or_obj").type).toBe("json");
    expect(field(r.schema, "overflow").type).toBe("string");
    expect(r.notes).toContain("note: obj_or_text: typed json: holds objects and strings");
    expect(r.notes).toContain("note: arr_or_obj: typed json: holds objects and arrays");
  });

  it("merges array elements: mixed scalars to string, objects field by field, objects and scalars to json", async () => {
    const r = infer(sample("widening.ndjson"));
    expect(field(r.schema, "arr_elems").element).toEqual({ type: "string" });
    expect(field(r.schema, "obj_elems").element).toEqual({
      type: "object",
      fields: [
        { name: "a", type: "bigint" },
        { name: "b", type: "string" },
      ],
    });
    expect(field(r.schema, "mixed_elems").element).toEqual({ type: "json" });
  });

  it("treats an empty string next to numbers as absent, not as text", async () => {
    const r = infer(sample("widening.ndjson"));
    expect(field(r.schema, "empty_or_num")).toEqual({ name: "empty_or_num", type: "bigint" });
  });

  it("produces a schema that parses every widened sample, numbers and booleans kept as literal text", async () => {
    const r = infer(sample("widening.ndjson"));
    const p = await parseWith(r.yaml, sample("widening.ndjson"));
    expect(p.failures).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.recs.map((x) => x.num_or_text)).toEqual(["1", "n/a"]);
    expect(p.recs.map((x) => x.arr_elems)).toEqual([["1", "two", "3.5"], ["true"]]);
    expect(p.recs[0]?.overflow).toBe("1e400");
  });
});

describe("infer: required", () => {
  it("marks required only the fields with a value in every enclosing object", async () => {
    const r = infer(sample("required.ndjson"));
    expect(r.skipped).toEqual([]);
    const required = (path: string): boolean => field(r.schema, path).required === true;
    expect(required("always")).toBe(true);
    expect(required("sometimes")).toBe(false);
    expect(required("nullable")).toBe(false);
    expect(required("obj")).toBe(false);
    expect(required("obj.inner")).toBe(true);
    expect(required("obj.inner_opt")).toBe(false);
    expect(required("list")).toBe(true);
    expect(required("list[].k")).toBe(true);
    expect(required("list[].opt")).toBe(false);
  });

  it("counts an empty string as a value for strings but as absent for numbers and timestamps", async () => {
    const r = infer(sample("required.ndjson"));
    expect(field(r.schema, "blank")).toMatchObject({ type: "string", required: true });
    expect(field(r.schema, "blank_num").type).toBe("bigint");
    expect(field(r.schema, "blank_num").required).toBeUndefined();
    expect(field(r.schema, "when").type).toBe("timestamp");
    expect(field(r.schema, "when").required).toBeUndefined();
    const p = await parseWith(r.yaml, sample("required.ndjson"));
    expect(p.failures).toEqual([]);
    expect(p.recs).toHaveLength(3);
  });
});

describe("infer: timestamps", () => {
  async function timestamps(): Promise<Schema> {
    const r = await infer(sample("timestamps.ndjson"));
    expect(r.skipped).toEqual([]);
    return r.schema;
  }

  it("detects RFC 3339, with offsets, a space, or in the data-lake form without a zone", async () => {
    const s = await timestamps();
    for (const name of ["created_at", "lake_time", "mixed_rfc"]) {
      expect(field(s, name)).toMatchObject({ type: "timestamp", timeFormat: "rfc3339" });
    }
  });

  it("detects unix seconds, ms, us and ns in fields named like a time, with plausible values", async () => {
    const s = await timestamps();
    expect(field(s, "ts")).toMatchObject({ type: "timestamp", timeFormat: "unix" });
    expect(field(s, "float_ts")).toMatchObject({ type: "timestamp", timeFormat: "unix" });
    expect(field(s, "login_time_ms")).toMatchObject({ type: "timestamp", timeFormat: "unix_ms" });
    expect(field(s, "expires_us")).toMatchObject({ type: "timestamp", timeFormat: "unix_us" });
    expect(field(s, "nanos_time")).toMatchObject({ type: "timestamp", timeFormat: "unix_ns" });
  });

  it("leaves numbers alone when the name says no time, or the values are no plausible time", async () => {
    const s = await timestamps();
    expect(field(s, "count").type).toBe("bigint");
    expect(field(s, "elapsed_time").type).toBe("bigint");
  });

  it("detects common strftime shapes, telling month/day from day/month by the values", async () => {
    const s = await timestamps();
    expect(field(s, "apache").timeFormat).toBe("%d/%b/%Y:%H:%M:%S %z");
    expect(field(s, "http_date").timeFormat).toBe("%a, %d %b %Y %H:%M:%S %Z");
    expect(field(s, "ctime").timeFormat).toBe("%a %b %e %H:%M:%S %Y");
    expect(field(s, "us_date").timeFormat).toBe("%m/%d/%Y %H:%M:%S");
    expect(field(s, "eu_date").timeFormat).toBe("%d/%m/%Y %H:%M:%S");
    expect(field(s, "day").timeFormat).toBe("%Y-%m-%d");
    expect(field(s, "python_time").timeFormat).toBe("%Y-%m-%d %H:%M:%S,%f");
  });

  it("lists several formats when no one format reads every value", async () => {
    const s = await timestamps();
    expect(field(s, "two_formats")).toMatchObject({ type: "timestamp", timeFormats: ["rfc3339", "%d/%b/%Y:%H:%M:%S %z"] });
  });

  it("keeps a field a string when one value does not parse (a word, or Feb 30 in the right shape)", async () => {
    const s = await timestamps();
    expect(field(s, "almost").type).toBe("string");
    expect(field(s, "bad_day").type).toBe("string");
  });

  it("types arrays of times as arrays of timestamps", async () => {
    const s = await timestamps();
    expect(field(s, "seen").element).toEqual({ type: "timestamp", timeFormat: "rfc3339" });
  });

  it("produces a schema that parses every value to the right instant", async () => {
    const r = infer(sample("timestamps.ndjson"));
    const p = await parseWith(r.yaml, sample("timestamps.ndjson"));
    expect(p.failures).toEqual([]);
    expect(p.warnings).toEqual([]);
    const [a, b] = p.recs as [Record<string, unknown>, Record<string, unknown>];
    expect(a.login_time_ms).toBe("2024-05-14T07:57:12.204Z");
    expect(a.ts).toBe("2024-05-14T07:57:12Z");
    expect(b.ts).toBe("2024-05-14T08:01:04Z");
    expect(b.nanos_time).toBe("2024-05-14T08:01:04.068123456Z");
    expect(b.apache).toBe("2024-05-14T09:01:04Z");
    expect(b.us_date).toBe("2024-12-31T23:59:59Z");
    expect(b.eu_date).toBe("2024-12-31T23:59:59Z");
    expect(b.two_formats).toBe("2024-05-14T09:01:04Z");
    expect(b.ctime).toBe("2024-05-07T09:01:04Z");
  });
});

describe("infer: isEventTime", () => {
  it("prefers a name saying the event happened (occurred_at) over an envelope timestamp, and never picks expiry or array times", async () => {
    const r = infer(sample("envelope.ndjson"));
    const marked = JSON.stringify(r.schema).match(/"isEventTime":true/g) ?? [];
    expect(marked).toHaveLength(1);
    expect(field(r.schema, "event.occurred_at").isEventTime).toBe(true);
    const p = await parseWith(r.yaml, sample("envelope.ndjson"));
    expect(p.recs.map((x) => x.p_event_time)).toEqual(["2024-05-14T08:57:12.204Z", "2024-05-14T09:01:02.9Z"]);
  });

  it("among equally good names, picks the one present in every event", async () => {
    const r = infer(sample("plain-times.ndjson"));
    expect(field(r.schema, "date").isEventTime).toBe(true);
    expect(field(r.schema, "time").isEventTime).toBeUndefined();
    expect(field(r.schema, "created_at").isEventTime).toBeUndefined();
  });

  it("falls back to a later-stage time, but never to an expiry", async () => {
    const r = infer(sample("late-times.ndjson"));
    expect(field(r.schema, "received_at").isEventTime).toBe(true);
    expect(field(r.schema, "expires_at").isEventTime).toBeUndefined();
  });
});

describe("infer: indicators", () => {
  async function indicators(): Promise<Schema> {
    const r = infer(sample("indicators.ndjson"));
    expect(r.skipped).toEqual([]);
    return r.schema;
  }

  it("suggests ip, email, url, aws_arn and digests when every value fits", async () => {
    const s = await indicators();
    expect(field(s, "src_ip").indicators).toEqual(["ip"]);
    expect(field(s, "email").indicators).toEqual(["email"]);
    expect(field(s, "homepage").indicators).toEqual(["url"]);
    expect(field(s, "role_arn").indicators).toEqual(["aws_arn"]);
    expect(field(s, "file_md5").indicators).toEqual(["md5"]);
    expect(field(s, "sha1").indicators).toEqual(["sha1"]);
    expect(field(s, "sha256").indicators).toEqual(["sha256"]);
    expect(field(s, "peers").element?.indicators).toEqual(["ip"]);
  });

  it("suggests hostname, domain, trace ids, actor ids, user names and account ids by name, checking values where they have a shape", async () => {
    const s = await indicators();
    expect(field(s, "hostname").indicators).toEqual(["hostname"]);
    expect(field(s, "domain").indicators).toEqual(["domain"]);
    expect(field(s, "request_id").indicators).toEqual(["trace_id"]);
    expect(field(s, "traceId").indicators).toEqual(["trace_id"]);
    expect(field(s, "actor.id").indicators).toEqual(["actor_id"]);
    expect(field(s, "actor.name").indicators).toEqual(["username"]);
    expect(field(s, "user_id").indicators).toEqual(["actor_id"]);
    expect(field(s, "username").indicators).toEqual(["username"]);
    expect(field(s, "account_id").indicators).toEqual(["aws_account_id"]);
  });

  it("suggests nothing when one value does not fit, or when 32 hex digits sit in a field not named like a digest", async () => {
    const s = await indicators();
    expect(field(s, "mixed_ip").indicators).toBeUndefined();
    expect(field(s, "session_hex").indicators).toBeUndefined();
    expect(field(s, "note").indicators).toBeUndefined();
  });

  it("produces a schema whose indicators land in the p_any fields", async () => {
    const r = infer(sample("indicators.ndjson"));
    const p = await parseWith(r.yaml, sample("indicators.ndjson"));
    expect(p.failures).toEqual([]);
    const [a, b] = p.recs as [Record<string, unknown>, Record<string, unknown>];
    expect(a.p_any_ip_addresses).toEqual(["192.0.2.1", "192.0.2.10", "2001:db8::1"]);
    expect(a.p_any_md5_hashes).toEqual(["d41d8cd98f00b204e9800998ecf8427e"]);
    expect(a.p_any_trace_ids).toEqual(["4bf92f3577b34da6a3ce929d0e0e4736", "7f3e2a6c9b1d4e8f0a2b3c4d5e6f7a8b"]);
    expect(a.p_any_actor_ids).toEqual(["auth0|5f2b9c", "u-123"]);
    expect(b.p_any_domain_names).toEqual(["db-02", "example.org", "mail.example.com"]);
    expect(b.p_any_emails).toEqual(["bo@example.org"]);
  });
});

describe("infer: names and order", () => {
  it("lists fields in order of first appearance, merging nested objects across events", async () => {
    const r = infer(sample("types.ndjson"));
    expect(r.schema.fields.map((f) => f.name)).toEqual(["id", "ratio", "ok", "name", "tags", "nested", "mixed_num", "big", "huge", "one_point_o", "code", "scores"]);
  });

  it("leaves out keys that cannot be fields or that collide with an earlier one, with a note for each", async () => {
    const r = infer(sample("names.ndjson"));
    expect(r.skipped).toEqual([]);
    expect(r.schema.fields.map((f) => f.name)).toEqual(["123", "User", "user-agent", "on", "null", "__proto__", "constructor", "weird name/é", "nested"]);
    expect(field(r.schema, "nested").fields?.map((f) => f.name)).toEqual(["ID", "p_log_type"]);
    expect(r.notes).toEqual([
      'note: user: left out: collides with "User" (the same name but for case), which came first',
      'note: user_agent: left out: collides with "user-agent" (the same column name), which came first',
      'note: p_log_type: left out: "p_log_type" is a name Panther reserves for its own fields',
      'note: p_any_ip_addresses: left out: "p_any_ip_addresses" is a name Panther reserves for its own fields',
      "note: : left out: an empty key cannot be a field name",
      "note: a,b: left out: names with a comma are cut at the comma by Panther",
      'note: nested.id: left out: collides with "ID" (the same name but for case), which came first',
    ]);
  });

  it("quotes names a YAML 1.1 reader would take for booleans, nulls or numbers", async () => {
    const r = infer(sample("names.ndjson"));
    expect(r.yaml).toContain('- name: "on"\n');
    expect(r.yaml).toContain('- name: "null"\n');
    expect(r.yaml).toContain('- name: "123"\n');
  });

  it("produces a schema that loads cleanly and parses every sample with such names", async () => {
    const r = infer(sample("names.ndjson"));
    const p = await parseWith(r.yaml, sample("names.ndjson"));
    expect(p.failures).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.recs[0]).toMatchObject({ on: "yes", User: "a", constructor: "c", "weird name/é": "w", nested: { ID: 1, p_log_type: "kept" } });
    expect(JSON.parse(p.lines[0] as string).__proto__).toEqual({ polluted: true });
    expect(p.recs[1]).toMatchObject({ User: "c", on: "no", nested: { ID: 3 } });
  });

  it("types values nested deeper than 32 levels as json", async () => {
    const r = infer(sample("deep.ndjson"));
    expect(r.skipped).toEqual([]);
    let f = field(r.schema, "tree");
    let depth = 1;
    while (f.type === "object") {
      f = f.fields?.[0] as Field;
      depth++;
    }
    expect(f.type).toBe("json");
    expect(depth).toBe(33);
    expect(r.notes.join("\n")).toMatch(/typed json: nested deeper than 32 levels/);
    const p = await parseWith(r.yaml, sample("deep.ndjson"));
    expect(p.failures).toEqual([]);
  });
});


describe("infer: what it writes", () => {
  it("writes schemas validate-schema finds valid (every sample set of testdata/infer)", async () => {
    const check = await loadJsonSchemaCheck();
    for (const f of readdirSync("testdata/infer").filter((x) => x.endsWith(".ndjson"))) {
      const text = inferText(sample(f));
      const docs = parseSchemaDocuments(text, "<stdin>");
      expect(docs).toHaveLength(1);
      const result = validateDocument(docs[0]!, check, true);
      expect([f, result.findings.filter((x) => x.severity === "error")]).toEqual([f, []]);
    }
  });
});
