/**
 * Transformations (rename, copy, concat, split, mask) in process: the real schemas and samples of
 * testdata/, loaded as `parse --schemas` loads them and normalized by the pipeline parse runs.
 * The command's own part (--unknown-fields, classification flags, exit 2) is in
 * test/e2e/transformations.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseInProcess } from "../helpers/parse-in-process.js";

interface Parsed {
  recs: Array<Record<string, unknown>>;
  stdout: string;
  stderr: string;
  code: number;
}

/** Normalizes testdata/transform/<name>.ndjson with testdata/schemas/transform/<name>.yml. */
function parseSample(name: string, type: string): Promise<Parsed> {
  return parseInProcess({ schemas: [`testdata/schemas/transform/${name}.yml`], type, file: `testdata/transform/${name}.ndjson` });
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
    const r = await parseSample("mask", "Custom.Mask");
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

