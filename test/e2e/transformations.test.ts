/** Transformations (rename, copy, concat, split, mask) end to end: real schemas, real samples, the real CLI. */
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, testdata } from "../helpers/cli.js";

interface Parsed {
  recs: Array<Record<string, unknown>>;
  stderr: string;
  code: number | null;
}

/** Parses testdata/transform/<name>.ndjson with testdata/schemas/transform/<name>.yml. */
async function parseSample(name: string, type: string, extra: string[] = []): Promise<Parsed> {
  const r = await hexlog(["parse", "--schemas", testdata("schemas", "transform", `${name}.yml`), "-t", type, ...FIXED, ...extra, testdata("transform", `${name}.ndjson`)]);
  return { recs: records(r.stdout), stderr: r.stderr, code: r.code };
}

/** A record without p_row_id, p_parse_time and p_log_type (p_event_time and p_any_* stay). */
function strip(rec: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rec ?? {}).filter(([k]) => !["p_row_id", "p_parse_time", "p_log_type"].includes(k)));
}

const PARSE_TIME = "2026-11-21T12:00:00Z";

describe("rename", () => {
  it("takes a key's value under the field's name, for keys with dots, @ and prototype names too", async () => {
    const { recs, stderr, code } = await parseSample("rename", "Custom.Rename");
    expect(strip(recs[0])).toEqual({
      time: "2024-05-14T08:58:40.61Z",
      user: "alice",
      src: "192.0.2.10",
      first: "two",
      second: "one",
      level: "info",
      p_event_time: "2024-05-14T08:58:40.61Z",
      p_any_ip_addresses: ["192.0.2.10"],
      p_any_usernames: ["alice"],
    });
    // An input key named like the field is not read: the field comes from the renamed key.
    expect(strip(recs[1])).toEqual({ user: "bob", level: "warn", p_event_time: PARSE_TIME, p_any_usernames: ["bob"] });
    expect(recs).toHaveLength(2);
    expect(stderr).toContain('rename.ndjson:3: Custom.Rename: user: required field is missing (renamed from "meta.user")');
    expect(stderr).toContain('rename.ndjson:4: Custom.Rename: user: required field is missing (renamed from "meta.user")');
    expect(code).toBe(1);
  });

  it("counts the renamed key as known and the field's own name as unknown in --unknown-fields", async () => {
    const { stderr } = await parseSample("rename", "Custom.Rename", ["--unknown-fields"]);
    expect(stderr).toMatch(/unknown fields[^\n]*\n {2}user +1\n/);
    expect(stderr).not.toMatch(/^ {2}(meta\.user|@timestamp|constructor) /m);
  });
});

describe("copy", () => {
  it("copies nested values (objects, array elements, timestamps) and keeps the source", async () => {
    const { recs } = await parseSample("copy", "Custom.Copy");
    expect(strip(recs[0])).toEqual({
      actor: { id: "u-1", email: "alice@example.com" },
      email: "alice@example.com",
      first_target: "t-1",
      occurred: "2024-05-14T08:58:40.61Z",
      peer: { host: "db.example.org", port: 5432 },
      session: { id: "s-1", user: "alice" },
      p_event_time: "2024-05-14T08:58:40.61Z",
      p_any_domain_names: ["db.example.org"],
      p_any_emails: ["alice@example.com"],
      p_any_actor_ids: ["u-1"],
    });
  });

  it("leaves a field out when its source is missing, and paths inside an object are relative to it", async () => {
    const { recs } = await parseSample("copy", "Custom.Copy");
    // targets is [] (no element 0), meta and session.who are absent.
    expect(strip(recs[1])).toEqual({
      actor: { id: "u-2", email: "bob@example.com" },
      email: "bob@example.com",
      session: { id: "s-2" },
      p_event_time: PARSE_TIME,
      p_any_emails: ["bob@example.com"],
      p_any_actor_ids: ["u-2"],
    });
  });

  it("fails a required copy whose source is missing, and types the copied value", async () => {
    const { recs, stderr } = await parseSample("copy", "Custom.Copy");
    expect(recs).toHaveLength(2);
    expect(stderr).toContain('copy.ndjson:3: Custom.Copy: email: required field is missing (copied from "actor.email")');
    expect(stderr).toContain('copy.ndjson:4: Custom.Copy: actor: expected an object, got "not-an-object"');
    expect(stderr).toContain('copy.ndjson:5: Custom.Copy: occurred: expected integer unix milliseconds like 1600000000123, got "soon"');
  });

  it("reports no unknown fields for paths that copies read", async () => {
    const { stderr } = await parseSample("copy", "Custom.Copy", ["--unknown-fields"]);
    expect(stderr).toContain("unknown fields: none");
  });
});

describe("concat", () => {
  it("joins the present parts with the separator, numbers by their literal text", async () => {
    const { recs } = await parseSample("concat", "Custom.Concat");
    expect(strip(recs[0])).toEqual({
      full_name: "Ada Lovelace",
      endpoint: "db.example.org:5432",
      key: "acme42",
      when: "2024-05-14T08:58:40.61Z",
      p_event_time: "2024-05-14T08:58:40.61Z",
      p_any_domain_names: ["db.example.org"],
    });
    // Missing parts are skipped (no dangling separator); 7.50 keeps its two decimals.
    expect(strip(recs[1])).toMatchObject({ full_name: "Plato", endpoint: "db.example.org", key: "acme7.50" });
    // Empty strings are parts; a boolean is its text.
    expect(strip(recs[2])).toMatchObject({ full_name: "", endpoint: "true", key: "x" });
  });

  it("fails a required concat with no part present, and a part that is an object", async () => {
    const { recs, stderr } = await parseSample("concat", "Custom.Concat");
    expect(recs).toHaveLength(3);
    expect(stderr).toContain('concat.ndjson:4: Custom.Concat: key: required field is missing (concatenated from "tenant", "id")');
    expect(stderr).toContain('concat.ndjson:5: Custom.Concat: key: concat of "id": expected text, got an object');
  });
});

describe("split", () => {
  it("takes one part by index (negative from the end) or all parts into an array field", async () => {
    const { recs } = await parseSample("split", "Custom.Split");
    expect(strip(recs[0])).toEqual({
      host: "db.example.org",
      port: 5432,
      file: "logo.png",
      ips: ["192.0.2.1", "198.51.100.2", "not-an-ip"],
      codes: [200, 404, 500],
      domain: "example.com",
      p_event_time: PARSE_TIME,
      p_any_ip_addresses: ["192.0.2.1", "198.51.100.2"],
      p_any_domain_names: ["db.example.org"],
    });
  });

  it("leaves out a part beyond the end, and an empty string has no parts", async () => {
    const { recs } = await parseSample("split", "Custom.Split");
    expect(strip(recs[1])).toEqual({ host: "db.example.org", domain: "example.org", p_event_time: PARSE_TIME, p_any_domain_names: ["db.example.org"] });
  });

  it("types each part and fails a required part that is not there", async () => {
    const { recs, stderr } = await parseSample("split", "Custom.Split");
    expect(recs).toHaveLength(2);
    expect(stderr).toContain('split.ndjson:3: Custom.Split: port: expected an integer, got "http"');
    expect(stderr).toContain('split.ndjson:4: Custom.Split: domain: required field is missing (split from "email", part 1 of a split on "@")');
    expect(stderr).toContain("split.ndjson:5: Custom.Split: domain: split: expected text, got an array");
    expect(stderr).toContain('split.ndjson:6: Custom.Split: codes[1]: expected an integer, got "x"');
  });
});

describe("mask", () => {
  // Digests checked with coreutils, e.g. printf '%s' 'pepper:+1 555 0100' | md5sum.
  it("redacts and hashes (lowercase hex of salt + value) with md5, sha1, sha256 and sha512", async () => {
    const { recs } = await parseSample("mask", "Custom.Mask");
    expect(strip(recs[0])).toEqual({
      pin: "****",
      password: "***",
      email: "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976",
      phone: "d3962f1245912aceb5f230f294aa5864",
      ssn: "b397e856ee347f34a35cf7c5c0e7b2c89abedf39",
      token: "c20d0cd53d8c09f25f17e84ec5eeacd5c3425757e9e961b53598c627d44dee4c0f63540a2329355f84582c7f845c99a1f82cfa7b075afaf3ec6f6e90d7900774",
      p_event_time: PARSE_TIME,
      // Indicators see the masked value, never the original.
      p_any_sha256_hashes: ["ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"],
    });
  });

  it("hashes a number's literal text and a boolean's text, and keeps empty strings empty", async () => {
    const { recs } = await parseSample("mask", "Custom.Mask");
    expect(strip(recs[1])).toEqual({
      pin: "****",
      password: "",
      email: "",
      phone: "d46ea5d129ccdf35f1d14790bfb29ee4", // md5("pepper:1.50")
      ssn: "5ffe533b830f08a0326348a9160afafc8ada44db", // sha1("true")
      p_event_time: PARSE_TIME,
    });
  });

  it("leaves nulls out and fails on an object", async () => {
    const { recs, stderr } = await parseSample("mask", "Custom.Mask");
    expect(strip(recs[2])).toEqual({ p_event_time: PARSE_TIME });
    expect(recs).toHaveLength(3);
    expect(stderr).toContain("mask.ndjson:4: Custom.Mask: password: mask: expected text, got an object");
  });

  it("never writes the original value anywhere in the output", async () => {
    const r = await hexlog(["parse", "--schemas", testdata("schemas", "transform", "mask.yml"), "-t", "Custom.Mask", ...FIXED, testdata("transform", "mask.ndjson")]);
    for (const secret of ["1234", "hunter2", "alice@example.com", "555 0100", "078-05-1120"]) expect(r.stdout).not.toContain(secret);
  });
});

describe("several transformations on one field", () => {
  it("applies them in order: source, split, mask, embedded JSON, then the type", async () => {
    const { recs } = await parseSample("composed", "Custom.Composed");
    expect(strip(recs[0])).toEqual({
      userId: "****",
      domain_hash: "a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947", // sha256("example.com")
      client_ip: "192.0.2.7",
      tenant_user: "5b1bfc65dd75d3bf8d0e675339e2b17d", // md5("acme|alice")
      principal: "[user]",
      details: { action: "login", count: 3 },
      roles: ["admin", "dev"],
      user: { name: "alice" },
      p_event_time: PARSE_TIME,
      p_any_ip_addresses: ["192.0.2.7"],
    });
    expect(recs).toHaveLength(1);
  });

  it("names the whole chain when a required composed field ends up empty", async () => {
    const { stderr } = await parseSample("composed", "Custom.Composed");
    expect(stderr).toContain('composed.ndjson:2: Custom.Composed: domain_hash: required field is missing (copied from "user.email", part 1 of a split on "@")');
    expect(stderr).toContain('composed.ndjson:3: Custom.Composed: domain_hash: required field is missing (copied from "user.email", part 1 of a split on "@")');
    expect(stderr).toContain("composed.ndjson:4: Custom.Composed: details: embedded JSON is invalid");
  });
});

describe("classifying among types with transformations", () => {
  it("leaves the event intact for the next type when one with transformations fails", async () => {
    // Custom.Composed fails line 3 (no user.email); Custom.Concat then parses the very same event.
    const r = await hexlog(
      ["parse", "--schemas", testdata("schemas", "transform"), "-t", "Custom.Composed", "Custom.Concat", ...FIXED],
      { input: '{"user":{"name":"carol","email":"carol"},"PIN":"1","tenant":"t","id":"i"}\n' },
    );
    const [rec] = records(r.stdout);
    expect(rec?.p_log_type).toBe("Custom.Concat");
    expect(strip(rec)).toEqual({ key: "ti", p_event_time: PARSE_TIME });
  });
});

describe("schema errors", () => {
  it("reports each structural mistake at its file:line:column with rule invalid-transformation", async () => {
    const file = testdata("schemas", "invalid", "transform-structure.yml");
    const r = await hexlog(["parse", "--schemas", file, "-t", "Custom.BadTransformStructure"], { input: "" });
    expect(r.code).toBe(2);
    const at = (pos: string, msg: string): string => `${file}:${pos}: ${msg}`;
    for (const line of [
      at("6:13", 'rename must be a mapping (from), got "PIN" [invalid-transformation]'),
      at("10:13", 'rename.from is the field\'s own name "b" [invalid-transformation]'),
      at("14:7", 'unknown key "form" (did you mean "from"?) [unknown-key]'),
      at("14:7", 'copy.from is missing (a path such as "actor.email") [invalid-transformation]'),
      at("18:13", 'copy.from "actor..email" has an empty segment (paths are keys joined by single dots) [invalid-transformation]'),
      at("22:14", "concat.paths must not be empty [empty-list]"),
      at("27:18", "concat.separator must be a string, got 1 [invalid-transformation]"),
      at("31:7", "split needs a separator [invalid-transformation]"),
      at("36:14", "split.index must be an integer (negative counts from the end), got 1.5 [invalid-transformation]"),
      at("40:13", 'mask.type must be redact or hash, got "hsah" (did you mean "hash"?) [invalid-transformation]'),
      at("45:18", 'mask.algorithm must be one of md5, sha1, sha256, sha512, got "sha3" [invalid-transformation]'),
      at("46:11", "mask.to belongs to type redact, not hash [invalid-transformation]"),
      at("51:5", "rename and copy each give the field a value; use only one [invalid-transformation]"),
      at("57:7", "mask: transformations apply to fields, not to array elements [invalid-transformation]"),
      at("64:13", 'rename takes key "level" away from the field of that name; use copy to keep both [invalid-transformation]'),
      at("68:5", "copy: transformations apply to fields, not to definitions [invalid-transformation]"),
    ]) {
      expect(r.stderr).toContain(line);
    }
    expect(r.stderr).toContain(`the schema of log type "Custom.BadTransformStructure" is invalid:`);
  });

  it("reports transformations that do not fit the field's type", async () => {
    const file = testdata("schemas", "invalid", "transform-types.yml");
    const r = await hexlog(["parse", "--schemas", file, "-t", "Custom.BadTransformTypes"], { input: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:10:14: split.index gives one part, but the field is an array; leave index out to keep all parts [invalid-transformation]`);
    expect(r.stderr).toContain(`${file}:14:7: split without index gives a list, so the field must be an array (it is string); or set split.index [invalid-transformation]`);
    expect(r.stderr).toContain(`${file}:18:7: mask gives text, so the field must be a string (it is int) [invalid-transformation]`);
    expect(r.stderr).toContain(`${file}:23:7: mask gives text, so the field must be a string (it is object) [invalid-transformation]`);
  });
});
