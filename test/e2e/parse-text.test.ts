/** `hexlog parse` on text logs: fastmatch, regex and csv schemas, line framing, classification. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, readLines, records, tempDir, testdata } from "../helpers/cli.js";

const SCHEMAS = testdata("schemas", "text");
type Rec = Record<string, unknown>;

function parseText(args: string[], input?: string | Buffer): ReturnType<typeof hexlog> {
  return hexlog(["parse", "--schemas", SCHEMAS, ...FIXED, ...args], input === undefined ? {} : { input });
}

/** A record without the p_ fields. */
function fields(rec: Rec | undefined): Rec {
  return Object.fromEntries(Object.entries(rec ?? {}).filter(([k]) => !k.startsWith("p_")));
}

/** Error lines on stderr as "line: message" (file name dropped). */
function errors(stderr: string): string[] {
  return stderr
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.replace(/^[^:]+:/, ""));
}

describe("fastmatch: Apache common log", () => {
  const LOG = testdata("text", "apache", "common.log");

  it("turns each access line into a typed record, '-' values dropped", async () => {
    const r = await parseText(["-t", "Custom.ApacheCommon", LOG]);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(6);
    expect(fields(recs[0])).toEqual({
      remote_ip: "192.0.2.10",
      user: "frank",
      timestamp: "2000-10-10T20:55:36Z",
      method: "GET",
      request_uri: "/apache_pb.gif",
      protocol: "HTTP/1.0",
      status: 200,
      bytes_sent: 2326,
    });
    expect(recs[0]).toMatchObject({ p_log_type: "Custom.ApacheCommon", p_event_time: "2000-10-10T20:55:36Z", p_any_ip_addresses: ["192.0.2.10"], p_any_usernames: ["frank"] });
    // "-" for user and bytes: absent, not "-".
    expect(fields(recs[1])).toEqual({ remote_ip: "198.51.100.7", timestamp: "2000-10-10T20:56:01Z", method: "POST", request_uri: "/login", protocol: "HTTP/1.1", status: 302 });
    expect(recs[3]).toMatchObject({ remote_ip: "2001:db8::5", timestamp: "2000-10-11T06:00:00Z" });
  });

  it("falls back to the second pattern and decodes escapes inside quotes", async () => {
    const recs = records((await parseText(["-t", "Custom.ApacheCommon", LOG])).stdout);
    // Line 3: a TLS handshake sent to a plain-HTTP port, logged with \x escapes.
    expect(fields(recs[2])).toEqual({ remote_ip: "203.0.113.9", timestamp: "2000-10-10T20:57:12Z", request: "\u0016\u0003\u0001\u0000", status: 400, bytes_sent: 226 });
    // Line 10: request "-" (dropped by emptyValues).
    expect(fields(recs[5])).toEqual({ remote_ip: "192.0.2.46", timestamp: "2000-10-10T21:00:00Z", status: 408 });
  });

  it("reports bad lines by physical line number (the blank line 4 counts) and exits 1", async () => {
    const r = await parseText(["-t", "Custom.ApacheCommon", LOG]);
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([
      '7: Custom.ApacheCommon: matches none of the 2 patterns (match[0] came closest: no " [" after field "user")',
      '8: Custom.ApacheCommon: timestamp: "32/Oct/2000:13:58:00 -0700" does not match %d/%b/%Y:%H:%M:%S %z: day of month 32 at position 0 is out of range (1-31)',
      '9: Custom.ApacheCommon: status: expected an integer, got "2OO"',
    ]);
    expect(r.stderr).toContain("testdata/text/apache/common.log:7: ");
  });

  it("writes every failed line to the dead-letter file unmodified: records + dead letters = lines", async () => {
    const dir = tempDir();
    const dead = join(dir, "dead.ndjson");
    const r = await parseText(["-t", "Custom.ApacheCommon", "--errors", dead, LOG]);
    const letters = readLines(dead);
    expect(letters.map((l) => l.line)).toEqual([7, 8, 9]);
    const lines = readFileSync(LOG, "utf8").split("\n");
    for (const l of letters) {
      expect(l).toMatchObject({ file: LOG, logType: "Custom.ApacheCommon", raw: lines[(l.line as number) - 1] });
    }
    const nonBlank = lines.filter((l) => l.trim() !== "").length;
    expect(records(r.stdout).length + letters.length).toBe(nonBlank);
  });

  it("reads CRLF line ends and stdin the same way", async () => {
    const text = readFileSync(LOG, "utf8");
    const lf = await parseText(["-t", "Custom.ApacheCommon", LOG]);
    const crlf = await parseText(["-t", "Custom.ApacheCommon"], text.replace(/\n/g, "\r\n"));
    expect(crlf.stdout).toBe(lf.stdout);
    expect(errors(crlf.stderr)).toEqual(errors(lf.stderr));
  });
});

describe("regex: Apache combined log", () => {
  it("reads the combined format with grok patterns, IPv6 and host names included", async () => {
    const r = await parseText(["-t", "Custom.ApacheCombined", testdata("text", "apache", "combined.log")]);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(5);
    expect(fields(recs[0])).toEqual({
      remote_host: "192.0.2.10",
      user: "frank",
      timestamp: "2000-10-10T20:55:36Z",
      method: "GET",
      request_uri: "/apache_pb.gif",
      http_version: "1.0",
      status: 200,
      bytes_sent: 2326,
      referrer: "http://www.example.com/start.html",
      user_agent: "Mozilla/4.08 [en] (Win98; I ;Nav)",
    });
    expect(recs[1]).toMatchObject({ remote_host: "2001:db8::1", user_agent: "curl/8.4.0", p_any_ip_addresses: ["2001:db8::1"] });
    expect(recs[1]).not.toHaveProperty("referrer");
    // A non-HTTP request keeps its raw text (regex does not decode escapes).
    expect(recs[2]).toMatchObject({ remote_host: "host.example.org", raw_request: "\\x16\\x03\\x01", p_any_domain_names: ["host.example.org"] });
    expect(recs[3]).toMatchObject({ request_uri: "/api/v1/items?id=7&sort=asc", p_event_time: "2024-05-14T08:58:43Z" });
    expect(errors(r.stderr)).toEqual(["6: Custom.ApacheCombined: does not match the pattern"]);
  });
});

describe("regex: syslog (RFC 3164)", () => {
  it("reads priority, host, program and pid, giving the year-less timestamp the right year", async () => {
    const r = await parseText(["-t", "Custom.Syslog", testdata("text", "syslog", "messages.log")]);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(7);
    // No year in the line: the year of --now (2026-11-21), as neither date lies ahead of it.
    expect(fields(recs[0])).toEqual({ priority: 34, timestamp: "2026-10-11T22:14:15Z", hostname: "mymachine", program: "su", message: "'su root' failed for lonvick on /dev/pts/8" });
    expect(fields(recs[1])).toEqual({
      timestamp: "2026-02-05T17:32:18Z",
      hostname: "web-01",
      program: "sshd",
      pid: 4721,
      message: "Accepted publickey for deploy from 198.51.100.23 port 50122 ssh2",
    });
    expect(recs[4]).toMatchObject({ program: "kernel", message: expect.stringMatching(/^\[UFW BLOCK\]/) });
    expect(recs[4]).not.toHaveProperty("pid");
    expect(recs[6]).toMatchObject({ priority: 13, hostname: "db.internal.example.com", program: "postgres", pid: 912 });
    expect(errors(r.stderr)).toEqual([
      '7: Custom.Syslog: timestamp: "Feb 30 17:36:00" does not match %b %e %H:%M:%S: day 30 is out of range for February 2026',
      "8: Custom.Syslog: does not match the pattern",
    ]);
  });
});

describe("csv with a header", () => {
  const A = testdata("text", "csv", "logins-a.csv");
  const B = testdata("text", "csv", "logins-b.csv");

  it("reads each file's own header: a second file with other column order parses right", async () => {
    const r = await parseText(["-t", "Custom.Logins", A, B, "--errors", join(tempDir(), "dead.ndjson")]);
    const recs = records(r.stdout);
    expect(recs.map((x) => x.user)).toEqual(["alice", "bob", "carol", "frank", "grace"]);
    expect(fields(recs[3])).toEqual({ time: "2024-05-15T07:00:00Z", user: "frank", domain: "example.net", login: "frank@example.net", source_ip: "192.0.2.20", success: true, attempts: 1 });
    expect(fields(recs[4])).toMatchObject({ time: "2024-05-15T09:10:00Z", success: false, source_ip: "2001:db8::20", note: "wrong password" });
  });

  it("honours quoting, trimSpace, emptyValues, skipPrefix and expandFields", async () => {
    const recs = records((await parseText(["-t", "Custom.Logins", A])).stdout);
    expect(fields(recs[1])).toMatchObject({ user: "bob", note: "locked, too many attempts", attempts: 3 });
    // " carol " trimmed, N/A dropped, doubled quotes read as one.
    expect(fields(recs[2])).toEqual({ time: "2024-05-14T08:04:00Z", user: "carol", domain: "example.org", login: "carol@example.org", success: true, attempts: 1, note: 'said "hi"' });
    expect(recs[0]).toMatchObject({ p_any_emails: ["alice@example.com"], p_any_domain_names: ["example.com"] });
  });

  it("reports bad rows and counts skipped lines (comment and headers) apart from events", async () => {
    const r = await hexlog(["parse", "--schemas", SCHEMAS, ...FIXED, "-t", "Custom.Logins", A, B], { env: { HEXLOG_STATS: "1" } });
    const lines = r.stderr.trim().split("\n");
    expect(lines.slice(0, 2).map((l) => l.replace(/^[^:]+:/, ""))).toEqual([
      '6: Custom.Logins: success: expected a boolean, got "maybe"',
      "7: Custom.Logins: expected 7 values (one per column), got 3",
    ]);
    expect(JSON.parse(lines[2] as string)).toMatchObject({ events: 7, records: 5, errors: 2, skipped: 3 });
  });

  it("reads the header again when the same file comes twice", async () => {
    const r = await parseText(["-t", "Custom.Logins", B, B]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => x.user)).toEqual(["frank", "grace", "frank", "grace"]);
  });
});

describe("csv: AWS VPC flow logs", () => {
  it("reads space-delimited records with '-' as empty, camel-cased by expandFields", async () => {
    const r = await parseText(["-t", "Custom.VPCFlow", testdata("text", "vpcflow", "flow.log")]);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(5);
    expect(fields(recs[0])).toEqual({
      version: 2,
      account: "210987654321",
      interface: "eni-0a1b2c3d4e5f60718",
      srcAddr: "10.0.1.25",
      dstAddr: "10.0.2.17",
      srcPort: 49152,
      dstPort: 443,
      protocol: 6,
      packets: 20,
      bytes: 4249,
      start: "2024-05-14T07:00:00Z",
      end: "2024-05-14T07:01:00Z",
      action: "ACCEPT",
      logStatus: "OK",
    });
    expect(recs[0]).toMatchObject({ p_event_time: "2024-05-14T07:00:00Z", p_any_ip_addresses: ["10.0.1.25", "10.0.2.17"], p_any_aws_account_ids: ["210987654321"] });
    expect(fields(recs[2])).toEqual({ version: 2, account: "210987654321", interface: "eni-0f9e8d7c6b5a49382", start: "2024-05-14T07:01:01Z", end: "2024-05-14T07:02:00Z", logStatus: "NODATA" });
    expect(recs[4]).toMatchObject({ srcAddr: "2001:db8:1234:a100::25" });
    expect(errors(r.stderr)).toEqual([
      "7: Custom.VPCFlow: expected 14 values (one per column), got 13",
      '8: Custom.VPCFlow: action: "DROP" is not one of the allowed values (ACCEPT, REJECT)',
    ]);
  });

  it("reports the header's names that expandFields only copies as unknown fields", async () => {
    const r = await parseText(["-t", "Custom.VPCFlow", "--unknown-fields", testdata("text", "vpcflow", "flow.log")]);
    expect(r.stderr).toMatch(/unknown fields[^\n]*\n {2}account-id +5\n/);
  });
});

describe("classifying text lines", () => {
  const MIXED = testdata("text", "mixed", "access-and-syslog.log");

  it("gives each line to the type that reads it, and names the closest type for a line none reads", async () => {
    const r = await parseText(["-t", "Custom.ApacheCommon", "Custom.Syslog", MIXED]);
    const recs = records(r.stdout);
    expect(recs.map((x) => x.p_log_type)).toEqual(["Custom.ApacheCommon", "Custom.Syslog", "Custom.ApacheCommon", "Custom.ApacheCommon", "Custom.Syslog", "Custom.Syslog", "Custom.ApacheCommon"]);
    expect(recs[3]).toMatchObject({ status: 401, timestamp: "2000-10-10T20:56:02Z" });
    expect(errors(r.stderr)).toEqual([
      '7: Custom.ApacheCommon: matches none of the 2 patterns (match[0] came closest: no " [" after field "user") (matches none of 2 log types; Custom.ApacheCommon came closest)',
    ]);
    const reversed = await parseText(["-t", "Custom.Syslog,Custom.ApacheCommon", MIXED]);
    expect(records(reversed.stdout).map((x) => x.p_log_type)).toEqual(recs.map((x) => x.p_log_type));
  });

  it("gives the same records as parsing with the single right type", async () => {
    const mixed = records((await parseText(["-t", "Custom.ApacheCommon", "Custom.Syslog", MIXED])).stdout);
    const lines = readFileSync(MIXED, "utf8").split("\n");
    const apache = records((await parseText(["-t", "Custom.ApacheCommon"], [lines[0], lines[2], lines[3], lines[7]].join("\n"))).stdout);
    expect(mixed.filter((x) => x.p_log_type === "Custom.ApacheCommon").map(fields)).toEqual(apache.map(fields));
  });

  it("reads JSON lines for JSON types when a text type is among the candidates", async () => {
    const r = await parseText(["-t", "Hex.Audit", "Custom.Syslog", testdata("text", "mixed", "json-and-syslog.log")]);
    const recs = records(r.stdout);
    expect(recs.map((x) => x.p_log_type)).toEqual(["Hex.Audit", "Custom.Syslog", "Hex.Audit", "Hex.Audit", "Custom.Syslog"]);
    const alone = records((await hexlog(["parse", ...FIXED, "-t", "Hex.Audit", testdata("hex", "audit.ndjson")])).stdout);
    expect(fields(recs[0])).toEqual(fields(alone[0]));
    expect(fields(recs[3])).toEqual(fields(alone[2]));
    expect(errors(r.stderr)).toEqual([
      "6: Hex.Audit: invalid JSON: expected ',' or '}' at position 36 (matches none of 2 log types; Hex.Audit came closest)",
      "7: Custom.Syslog: does not match the pattern (matches none of 2 log types; Custom.Syslog came closest)",
    ]);
  });

  it("frames NDJSON by lines when text schemas are loaded without --type, and still reads it", async () => {
    const r = await parseText([testdata("hex", "audit.ndjson")]);
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(18);
    expect(new Set(recs.map((x) => x.p_log_type))).toEqual(new Set(["Hex.Audit"]));
  });
});

describe("the backtracking guard", () => {
  const EVIL = testdata("text", "backtracking", "evil.log");

  for (const type of ["Custom.Backtracking", "Custom.BacktrackingCounted"]) {
    it(`finishes ${type} quickly on lines that make a backtracking regex run for ages`, async () => {
      const started = Date.now();
      const r = await parseText(["-t", type, EVIL]);
      // Unguarded, line 2 alone (30 a's) takes 2^30 steps; generous bound for a loaded machine.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(records(r.stdout).map((x) => x.word)).toEqual(["hexlog", "ok"]);
      expect(errors(r.stderr)).toEqual([2, 3, 4].map((n) => `${n}: ${type}: does not match the pattern`));
    });
  }
});

describe("line framing limits", () => {
  it("reports text lines over --max-event-bytes and goes on", async () => {
    const r = await parseText(["-t", "Custom.Backtracking", "--max-event-bytes", "1000", testdata("text", "backtracking", "evil.log")]);
    expect(records(r.stdout).map((x) => x.word)).toEqual(["hexlog", "ok"]);
    expect(errors(r.stderr)).toEqual([
      "2: Custom.Backtracking: does not match the pattern",
      "3: Custom.Backtracking: event exceeds the maximum size of 1000 bytes (--max-event-bytes)",
      "4: Custom.Backtracking: event exceeds the maximum size of 1000 bytes (--max-event-bytes)",
    ]);
  });
});

describe("text schema problems", () => {
  it("stop a run whose -t names one with exit 2, each at file:line:column with its rule id", async () => {
    const r = await hexlog(["parse", "--schemas", testdata("schemas", "text-invalid"), "-t", "Custom.BadRegex"], { input: "" });
    expect(r.code).toBe(2);
    const dir = "testdata/schemas/text-invalid";
    expect(r.stderr).toContain('hexlog: the schema of log type "Custom.BadRegex" is invalid:');
    expect(r.stderr).toContain(`${dir}/bad-regex.yml:7:9: unknown pattern %{IPV5} (did you mean IPV4?) (at character 2 of "^%{IPV5:client} ") [invalid-regex]`);
    expect(r.stderr).toContain(`also invalid: ${dir}/bad-csv.yml:5:16: the delimiter must be exactly one character, got ",," [csv-conflict]`);
    // Without -t every problem is reported too, and the run goes on with the valid types.
    const all = await hexlog(["parse", "--schemas", testdata("schemas", "text-invalid")], { input: "" });
    expect(all.code).toBe(0);
    expect(all.stderr).toContain(`${dir}/bad-csv.yml:5:16: the delimiter must be exactly one character, got ",," [csv-conflict]`);
    expect(all.stderr).toContain(`${dir}/bad-csv.yml:6:16: csv needs columns, or hasHeader: true to read the names from the first line [csv-conflict]`);
    expect(all.stderr).toContain(`${dir}/bad-fastmatch.yml:7:9: %{a} and %{b} need literal text between them [invalid-fastmatch]`);
  });
});

describe("hexlog test with text schemas", () => {
  it("frames each test input by lines, a CSV header included, and passes the suite", async () => {
    const r = await hexlog(["test", SCHEMAS, testdata("text", "text_tests.yml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 tests in 1 file: 3 passed, 0 failed");
  });
});
