/**
 * Schema semantics in process: coercion of every type, required, timestamps, indicators,
 * validate — each schema in testdata/schemas/ loaded as `parse --schemas` loads it, the events
 * normalized by the pipeline parse runs, failures formatted as parse's error lines.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fixedClock, loadLogTypes, normalizeStream, RowIds, type Clock } from "../../src/index.js";
import { errorLine } from "../../src/output/report.js";

const CLOCK = fixedClock("2026-11-21T12:00:00Z") as Clock;

/**
 * Normalizes `lines` (one event each) with log type `type` of testdata/schemas/`schema`, as
 * `hexlog parse --schemas … -t type` reads stdin: the records, their JSON lines (stdout), the
 * error lines and schema warnings (stderr), and the exit code parse would give.
 */
async function parseWith(schema: string, type: string, lines: unknown[]): Promise<{ recs: Array<Record<string, unknown>>; stderr: string; code: number; stdout: string }> {
  const input = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
  const loaded = await loadLogTypes({ schemas: [`testdata/schemas/${schema}`] });
  expect(loaded.problems).toEqual([]);
  const logType = loaded.types.find((t) => t.name === type);
  if (!logType) throw new Error(`no log type ${type}`);
  let stdout = "";
  const stderr = loaded.warnings.map((w) => `${w}\n`);
  for await (const o of normalizeStream(Readable.from([Buffer.from(input)]), { types: [logType], clock: CLOCK, rowIds: new RowIds(7, CLOCK.now().ms), label: "<stdin>" })) {
    if (o.ok) stdout += `${o.json}\n`;
    else stderr.push(`${errorLine(o)}\n`);
  }
  const recs = stdout === "" ? [] : stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  return { recs, stderr: stderr.join(""), code: stderr.length > loaded.warnings.length ? 1 : 0, stdout };
}

/** Only the schema's own fields of a record. */
function fields(rec: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rec ?? {}).filter(([k]) => !k.startsWith("p_")));
}

describe("coercion of each type", () => {
  it("keeps strings verbatim, turns booleans into text and keeps a number's literal text", async () => {
    const { recs, stdout } = await parseWith("types.yml", "Custom.Types", [
      '{"s":"  spaced  "}',
      '{"s":true}',
      '{"s":12.50}',
      '{"s":1e3}',
      '{"s":-0}',
      '{"s":""}',
    ]);
    expect(recs.map((r) => r.s)).toEqual(["  spaced  ", "true", "12.50", "1e3", "-0", ""]);
    expect(stdout).toContain('"s":"12.50"');
  });

  it("rejects objects and arrays for string fields", async () => {
    const { recs, stderr } = await parseWith("types.yml", "Custom.Types", ['{"s":{"a":1}}', '{"s":[1]}']);
    expect(recs).toHaveLength(0);
    expect(stderr).toContain("<stdin>:1: Custom.Types: s: expected a string, got an object");
    expect(stderr).toContain("<stdin>:2: Custom.Types: s: expected a string, got an array");
  });

  it("accepts integers and base-10 integer strings for int and smallint, within range", async () => {
    const { recs, stderr } = await parseWith("types.yml", "Custom.Types", [
      '{"i":42,"si":-7}',
      '{"i":"42","si":"+5"}',
      '{"i":"-0"}',
      '{"i":""}',
      '{"i":2147483648}',
      '{"si":40000}',
      '{"i":"0x10"}',
      '{"i":1.5}',
      '{"i":true}',
    ]);
    expect(recs.map(fields)).toEqual([{ i: 42, si: -7 }, { i: 42, si: 5 }, { i: 0 }, {}]);
    expect(stderr).toContain("<stdin>:5: Custom.Types: i: 2147483648 is out of range for int");
    expect(stderr).toContain("<stdin>:6: Custom.Types: si: 40000 is out of range for smallint");
    expect(stderr).toContain('<stdin>:7: Custom.Types: i: expected an integer, got "0x10"');
    expect(stderr).toContain("<stdin>:8: Custom.Types: i: expected an integer, got 1.5");
    expect(stderr).toContain("<stdin>:9: Custom.Types: i: expected an integer, got true");
  });

  it("preserves bigint values beyond 2^53 exactly", async () => {
    const { stdout, stderr } = await parseWith("types.yml", "Custom.Types", [
      '{"bi":9007199254740993}',
      '{"bi":"9223372036854775807"}',
      '{"bi":-9223372036854775808}',
      '{"bi":9223372036854775808}',
    ]);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^\{"bi":9007199254740993,/);
    expect(lines[1]).toMatch(/^\{"bi":9223372036854775807,/);
    expect(lines[2]).toMatch(/^\{"bi":-9223372036854775808,/);
    expect(stderr).toContain("<stdin>:4: Custom.Types: bi: 9223372036854775808 is out of range for bigint");
  });

  it("reads floats from numbers and numeric strings and rejects NaN and Infinity", async () => {
    const { recs, stderr } = await parseWith("types.yml", "Custom.Types", ['{"f":1.5}', '{"f":"2.25"}', '{"f":"1e3"}', '{"f":"NaN"}', '{"f":"Infinity"}', '{"f":1e400}']);
    expect(recs.map((r) => r.f)).toEqual([1.5, 2.25, 1000]);
    expect(stderr).toContain('<stdin>:4: Custom.Types: f: expected a number, got "NaN"');
    expect(stderr).toContain('<stdin>:5: Custom.Types: f: expected a number, got "Infinity"');
    expect(stderr).toContain("<stdin>:6: Custom.Types: f: 1e400 is not a finite number");
  });

  it("accepts true/false, \"true\"/\"false\", \"1\"/\"0\" and 1/0 for booleans, \"\" as null", async () => {
    const { recs, stderr } = await parseWith("types.yml", "Custom.Types", ['{"b":true}', '{"b":"false"}', '{"b":"1"}', '{"b":0}', '{"b":""}', '{"b":"yes"}', '{"b":2}']);
    expect(recs.map((r) => r.b)).toEqual([true, false, true, false, undefined]);
    expect(stderr).toContain('<stdin>:6: Custom.Types: b: expected a boolean, got "yes"');
    expect(stderr).toContain("<stdin>:7: Custom.Types: b: expected a boolean, got 2");
  });

  it("keeps json values whole (null too, as Panther writes it), objects with only declared fields, and omits other nulls and empty arrays", async () => {
    const { recs, stdout } = await parseWith("types.yml", "Custom.Types", [
      '{"j":{"k":[1,{"z":null}]},"o":{"x":"a","extra":1},"a":[1,"2",null]}',
      '{"o":{},"a":[],"s":null,"j":null}',
      '{"j":12345678901234567890}',
    ]);
    expect(fields(recs[0])).toEqual({ j: { k: [1, { z: null }] }, o: { x: "a" }, a: [1, 2, null] });
    expect(fields(recs[1])).toEqual({ j: null, o: {} });
    expect(stdout.split("\n")[2]).toMatch(/^\{"j":12345678901234567890,/);
  });

  it("checks required fields inside array elements", async () => {
    const { recs, stderr } = await parseWith("types.yml", "Custom.Types", ['{"ao":[{"k":"a"},{"k":"b"}]}', '{"ao":[{"k":"a"},{}]}']);
    expect(recs).toHaveLength(1);
    expect(stderr).toContain("<stdin>:2: Custom.Types: ao[1].k: required field is missing");
  });

  it("treats __proto__ and constructor keys as plain data", async () => {
    const { recs, code } = await parseWith("types.yml", "Custom.Types", ['{"__proto__":{"s":"evil"},"constructor":1,"o":{"__proto__":{"x":"y"}},"s":"ok"}']);
    expect(code).toBe(0);
    expect(fields(recs[0])).toEqual({ s: "ok", o: {} });
  });

  it("reads a top-level null as an event with no fields", async () => {
    const { recs, code } = await parseWith("types.yml", "Custom.Types", ["null"]);
    expect(code).toBe(0);
    expect(Object.keys(recs[0] ?? {})).toEqual(["p_log_type", "p_row_id", "p_event_time", "p_parse_time"]);
  });
});

describe("required", () => {
  const full = { s: "", i: 0, f: 0, b: false, t: "2026-01-01T00:00:00Z", j: null as unknown, o: { inner: "" }, a: [] };
  it("passes when every required field is present ('' for strings, 0, false, [] and {} count)", async () => {
    const { recs, stderr } = await parseWith("required.yml", "Custom.Required", [{ ...full, j: { any: 1 } }]);
    expect(stderr).toBe("");
    expect(recs).toHaveLength(1);
  });
  for (const key of ["s", "i", "f", "b", "t", "j", "o", "a"]) {
    it(`fails an event whose required ${key} is missing`, async () => {
      const ev: Record<string, unknown> = { ...full, j: { any: 1 } };
      delete ev[key];
      const { recs, stderr } = await parseWith("required.yml", "Custom.Required", [ev]);
      expect(recs).toHaveLength(0);
      expect(stderr).toContain(`<stdin>:1: Custom.Required: ${key}: required field is missing`);
    });
  }
  it("treats an empty string as missing for numbers, booleans and timestamps; a null json is a value", async () => {
    const { stderr } = await parseWith("required.yml", "Custom.Required", [
      { ...full, j: 1, i: "" },
      { ...full, j: 1, b: "" },
      { ...full, j: 1, t: "" },
      { ...full },
      { ...full, j: 1, o: { inner: null } },
    ]);
    expect(stderr).toContain("<stdin>:1: Custom.Required: i: required field is missing");
    expect(stderr).toContain("<stdin>:2: Custom.Required: b: required field is missing");
    expect(stderr).toContain("<stdin>:3: Custom.Required: t: required field is missing");
    expect(stderr).not.toContain("<stdin>:4:");
    expect(stderr).toContain("<stdin>:5: Custom.Required: o.inner: required field is missing");
  });
});

describe("timestamps", () => {
  it("reads every time format, keeps nanoseconds and writes UTC RFC 3339", async () => {
    const { recs, stderr, stdout } = await parseWith("timestamps.yml", "Custom.Times", [
      '{"rfc":"2020-01-02 03:04:05.123456789+07:00","unix":1600000000.123456789,"ms":1600000000123,"us":"1600000000123456","ns":1600000000123456789,"apache":"10/Oct/2000:13:55:36 -0700","layout":"05/14/2024 10:58:40.5","cf":1600000000,"either":1600000000000}',
      '{"rfc":"2020-01-02t03:04:05Z","unix":"-1.5","cf":1600000000123456789,"either":"2024-05-14T10:58:40Z"}',
      '{"rfc":"2023-04-05 10:11:12.123456","cf":"2020-09-13T12:26:40Z"}',
    ]);
    expect(stderr).toBe("");
    expect(fields(recs[0])).toEqual({
      rfc: "2020-01-01T20:04:05.123456789Z",
      unix: "2020-09-13T12:26:40.123456789Z",
      ms: "2020-09-13T12:26:40.123Z",
      us: "2020-09-13T12:26:40.123456Z",
      ns: "2020-09-13T12:26:40.123456789Z",
      apache: "2000-10-10T20:55:36Z",
      layout: "2024-05-14T10:58:40.5Z",
      cf: "2020-09-13T12:26:40Z",
      either: "2020-09-13T12:26:40Z",
    });
    expect(fields(recs[1])).toEqual({ rfc: "2020-01-02T03:04:05Z", unix: "1969-12-31T23:59:58.5Z", cf: "2020-09-13T12:26:40.123456789Z", either: "2024-05-14T10:58:40Z" });
    expect(fields(recs[2])).toEqual({ rfc: "2023-04-05T10:11:12.123456Z", cf: "2020-09-13T12:26:40Z" });
    expect(stdout).toContain('"ns":"2020-09-13T12:26:40.123456789Z"');
  });

  it("chooses p_event_time from the first isEventTime field with a value, else p_parse_time", async () => {
    const { recs } = await parseWith("timestamps.yml", "Custom.Times", [
      '{"nested":{"when":"2021-01-01T00:00:00Z"},"first_seen":1600000000}',
      '{"first_seen":1600000000}',
      '{"nested":{}}',
      '{"nested":{"when":""},"first_seen":"1600000000.5"}',
    ]);
    expect(recs.map((r) => r.p_event_time)).toEqual(["2021-01-01T00:00:00Z", "2020-09-13T12:26:40Z", "2026-11-21T12:00:00Z", "2020-09-13T12:26:40.5Z"]);
  });

  it("honours timeFormat in arrays of timestamps", async () => {
    const { recs } = await parseWith("timestamps.yml", "Custom.Times", ['{"list":[1600000000000,null,"1600000000001"]}']);
    expect(recs[0]?.list).toEqual(["2020-09-13T12:26:40Z", null, "2020-09-13T12:26:40.001Z"]);
  });

  it("reports values that match no format, and out-of-range unix times", async () => {
    const { recs, stderr } = await parseWith("timestamps.yml", "Custom.Times", [
      '{"rfc":"2020-13-01T00:00:00Z"}',
      '{"rfc":1600000000}',
      '{"unix":1e30}',
      '{"ms":1.5}',
      '{"either":"soon"}',
      '{"apache":"10/Oct/2000"}',
    ]);
    expect(recs).toHaveLength(0);
    for (let line = 1; line <= 6; line++) expect(stderr).toMatch(new RegExp(`<stdin>:${line}: Custom\\.Times: \\w+: `));
    expect(stderr).toContain("matches none of the time formats rfc3339, unix_ms");
  });
});

describe("indicators", () => {
  it("fills each p_any field from its indicator, deduplicated and sorted", async () => {
    const ev = {
      ip: " 192.0.2.10 ",
      domain: "xn--bcher-kva.example",
      hostname: "198.51.100.7",
      url: "https://Login.Example.com:8443/path?q=1",
      net_addr: "[2001:db8::1]:443",
      md5: "D41D8CD98F00B204E9800998ECF8427E",
      sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      trace_id: "trace-1",
      arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abcdef1234567890",
      arn_only: "arn:aws:iam::210987654321:role/Admin",
      account: "111122223333",
      instance: "i-0123456789abcdef0",
      tag: "env:prod",
      user: "alice",
      email: "alice@example.com",
      actor: "actor-42",
      mac: "AA-BB-CC-DD-EE-FF",
      serial: "SN-0001",
      ips: ["192.0.2.10", "192.0.2.9", "not-an-ip", null, "192.0.2.9"],
      multi: "203.0.113.5",
    };
    const { recs, stderr } = await parseWith("indicators.yml", "Custom.Indicators", [ev]);
    expect(stderr).toBe("");
    const rec = recs[0] as Record<string, unknown>;
    expect(rec.p_any_ip_addresses).toEqual(["192.0.2.10", "192.0.2.9", "198.51.100.7", "2001:db8::1", "203.0.113.5"]);
    expect(rec.p_any_domain_names).toEqual(["bücher.example", "login.example.com"]);
    expect(rec.p_any_md5_hashes).toEqual(["d41d8cd98f00b204e9800998ecf8427e"]);
    expect(rec.p_any_sha1_hashes).toEqual([ev.sha1]);
    expect(rec.p_any_sha256_hashes).toEqual([ev.sha256]);
    expect(rec.p_any_trace_ids).toEqual(["trace-1"]);
    // aws_arn_only adds the ARN alone: its account id is not extracted
    expect(rec.p_any_aws_account_ids).toEqual(["111122223333", "123456789012"]);
    expect(rec.p_any_aws_instance_ids).toEqual(["i-0123456789abcdef0", "i-0abcdef1234567890"]);
    expect(rec.p_any_aws_arns).toEqual([ev.arn_only, ev.arn].sort());
    expect(rec.p_any_aws_tags).toEqual(["env:prod"]);
    expect(rec.p_any_usernames).toEqual(["203.0.113.5", "alice"]);
    expect(rec.p_any_emails).toEqual(["alice@example.com"]);
    expect(rec.p_any_actor_ids).toEqual(["actor-42"]);
    expect(rec.p_any_mac_addresses).toEqual(["aa:bb:cc:dd:ee:ff"]);
    expect(rec.p_any_serial_numbers).toEqual(["SN-0001"]);
    const order = Object.keys(rec).filter((k) => k.startsWith("p_any_"));
    expect(order).toEqual([
      "p_any_ip_addresses",
      "p_any_domain_names",
      "p_any_md5_hashes",
      "p_any_sha1_hashes",
      "p_any_sha256_hashes",
      "p_any_trace_ids",
      "p_any_aws_account_ids",
      "p_any_aws_instance_ids",
      "p_any_aws_arns",
      "p_any_aws_tags",
      "p_any_emails",
      "p_any_usernames",
      "p_any_actor_ids",
      "p_any_mac_addresses",
      "p_any_serial_numbers",
    ]);
  });

  it("escapes indicator values that need it, alone or in a list", async () => {
    const odd = ['say "hi"', "back\\slash", "tab\there", "snow☃man"];
    const { recs, stdout } = await parseWith("indicators.yml", "Custom.Indicators", [{ user: odd[0] }, { user: odd[1], actor: odd[2], trace_id: odd[3] }, { user: "plain", actor: "x", trace_id: odd[2] }]);
    expect(recs.map((r) => r.p_any_usernames)).toEqual([[odd[0]], [odd[1]], ["plain"]]);
    expect(recs.map((r) => r.p_any_actor_ids)).toEqual([undefined, [odd[2]], ["x"]]);
    expect(recs.map((r) => r.p_any_trace_ids)).toEqual([undefined, [odd[3]], [odd[2]]]);
    expect(stdout).toContain('"p_any_usernames":["say \\"hi\\""]');
  });

  it("records nothing for invalid values and empty strings", async () => {
    const { recs } = await parseWith("indicators.yml", "Custom.Indicators", [{ ip: "1.1.1", md5: "xyz", email: "no-at-sign", account: "12345", user: "   ", mac: "aa:bb" }]);
    expect(Object.keys(recs[0] ?? {}).filter((k) => k.startsWith("p_any_"))).toEqual([]);
  });
});

describe("validate, embedded JSON and refs", () => {
  it("enforces allow, deny, ip and cidr rules", async () => {
    const { recs, stderr } = await parseWith("validate.yml", "Custom.Validate", [
      { kind: "login", user: "bob", src: "192.0.2.1", net: "10.0.0.0/8" },
      { kind: "reboot" },
      { kind: "login", user: "root" },
      { kind: "login", src: "2001:db8::1" },
      { kind: "login", net: "10.0.0.0/33" },
    ]);
    expect(recs).toHaveLength(1);
    expect(stderr).toContain('<stdin>:2: Custom.Validate: kind: "reboot" is not one of the allowed values (login, logout)');
    expect(stderr).toContain('<stdin>:3: Custom.Validate: user: "root" is a denied value');
    expect(stderr).toContain('<stdin>:4: Custom.Validate: src: "2001:db8::1" is not a valid ipv4 address');
    expect(stderr).toContain('<stdin>:5: Custom.Validate: net: "10.0.0.0/8" is not a valid CIDR range'.replace("10.0.0.0/8", "10.0.0.0/33"));
  });

  it("decodes isEmbeddedJSON strings and resolves ref targets from definitions", async () => {
    const { recs, stderr } = await parseWith("validate.yml", "Custom.Validate", [
      { kind: "login", payload: '{"n":"7","junk":1}', tags: '["a","b"]', raw: '{"x":[1,2]}', peer: { host: "db.example.com", port: "5432" } },
      { kind: "login", payload: "{not json" },
    ]);
    expect(fields(recs[0])).toEqual({ kind: "login", payload: { n: 7 }, tags: ["a", "b"], raw: { x: [1, 2] }, peer: { host: "db.example.com", port: 5432 } });
    expect(recs[0]?.p_any_domain_names).toEqual(["db.example.com"]);
    expect(stderr).toContain("<stdin>:2: Custom.Validate: payload: embedded JSON is invalid");
  });
});
