/** Native parsers (`parser: native: {name}`) as the engine runs them, in-process. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildLogType, type LogType } from "../../../src/engine/logtype.js";
import { cloudTrailRecords } from "../../../src/engine/native/aws-cloudtrail.js";
import { calendarTime } from "../../../src/engine/native/osquery.js";
import { LineFailure, SKIP } from "../../../src/engine/parsers/index.js";
import type { EventProcessor } from "../../../src/engine/process.js";
import { asValue, processor, type Result } from "../../helpers/engine.js";

const DIR = "testdata/native";

function managed(name: string): LogType {
  const { logType, issues } = buildLogType(parse(readFileSync(`${DIR}/schemas/${name}.yml`, "utf8"), { version: "1.2" }), name);
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

function withFields(native: string, fields: string): { logType?: LogType; issues: Array<{ rule: string; severity: string; message: string }> } {
  return buildLogType(parse(`schema: Custom.N\nparser: {native: {name: ${native}}}\nfields:\n${fields}`, { version: "1.2" }), "x");
}

/** Framed events with each file of events replaced by its events, as the pipeline hands them on. */
function expanded<E extends { raw: string; value: unknown }>(p: EventProcessor, framed: E[]): E[] {
  return framed.flatMap((ev) => p.expandOne(ev) ?? [ev]);
}

/** Runs JSON text through the engine as the commands do: framed values, expanded, processed. */
function parseJsonText(types: LogType[], text: string): Result[] {
  const p = processor(types);
  const values = expanded(p, text.split("\n").filter((l) => l.trim() !== "").map((raw) => ({ raw, value: JSON.parse(raw) as unknown })));
  return values.map((v) => asValue(p.process(v.raw, v.value)));
}

function parseLines(types: LogType[], text: string): Result[] {
  const p = processor(types);
  const stream = p.openStream();
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => p.processLine(l, stream))
    .filter((r) => r !== null)
    .map(asValue);
}

describe("AWS.CloudTrail", () => {
  const ct = managed("AWS.CloudTrail");

  it("reads an S3 file {\"Records\":[…]} (gzip as delivered) as one event per record", () => {
    const text = gunzipSync(readFileSync(`${DIR}/cloudtrail/210987654321_CloudTrail_eu-west-1_20260211T0845Z_Ex4mpleFile.json.gz`)).toString("utf8");
    const recs = parseJsonText([ct], text);
    expect(recs.map((r) => [r.eventName, r.p_event_time])).toEqual([
      ["AssumeRole", "2026-02-11T08:41:07Z"],
      ["RunInstances", "2026-02-11T08:43:52Z"],
      ["GetBucketAcl", "2026-02-11T08:45:00Z"],
    ]);
    expect(recs[1]).toMatchObject({
      p_any_aws_instance_ids: ["i-0a1b2c3d4example9"],
      p_any_ip_addresses: ["10.0.3.17", "198.51.100.23"],
      p_any_domain_names: ["ip-10-0-3-17.eu-west-1.compute.internal"],
      p_any_aws_tags: ["Name:build-runner", "team:platform"],
    });
  });

  it("matches keys case-insensitively: resources[].ARN fills the schema's arn", () => {
    const [rec] = parseJsonText([ct], readFileSync(`${DIR}/cloudtrail/events.ndjson`, "utf8").split("\n")[1] as string);
    expect(rec).toMatchObject({ resources: [{ arn: "arn:aws:s3:::audit-trail-logs-eu", accountId: "210987654321", type: "AWS::S3::Bucket" }], responseElements: null });
  });

  it("reads a bare event as itself, and an empty Records list as no event", () => {
    expect(parseJsonText([ct], readFileSync(`${DIR}/cloudtrail/events.ndjson`, "utf8"))).toHaveLength(2);
    expect(parseJsonText([ct], '{"Records":[]}')).toEqual([]);
  });

  it("takes Records in any case as a file only when it is the value's one key", () => {
    expect(cloudTrailRecords(JSON.parse('{"records":[{"a":1},{"a":2}]}'))).toHaveLength(2);
    expect(cloudTrailRecords(JSON.parse('{"RECORDS":[]}'))).toEqual([]);
    expect(cloudTrailRecords(JSON.parse('{"eventName":"x","Records":[{"a":1}]}'))).toBeUndefined();
    expect(cloudTrailRecords(JSON.parse('{"Records":[{"a":1}],"eventName":"x"}'))).toBeUndefined();
    expect(cloudTrailRecords(JSON.parse('{"Records":{"a":1}}'))).toBeUndefined();
    expect(cloudTrailRecords(JSON.parse("{}"))).toBeUndefined();
  });

  it("keeps integers beyond 2^53 inside a record's json fields exact", () => {
    const event = '{"eventVersion":"1.08","eventTime":"2026-02-11T08:41:07Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"eu-west-1","eventID":"x","eventType":"AwsApiCall","requestParameters":{"size":9007199254740993}}';
    const p = processor([ct]);
    const raw = `{"Records":[${event}]}`;
    const framed = expanded(p, [{ raw, value: JSON.parse(raw) as unknown }]);
    expect(framed[0]?.raw).toBe(event);
    const r = p.process(framed[0]?.raw as string, framed[0]?.value);
    expect(r.ok && r.json).toContain('"requestParameters":{"size":9007199254740993}');
  });

  it("expands a Records file read by lines, when a text type is among the candidates", () => {
    const p = processor([managed("AWS.ALB"), ct]);
    expect(p.lineBased).toBe(true);
    const line = readFileSync(`${DIR}/cloudtrail/records.json`, "utf8").trim();
    const framed = expanded(p, [{ raw: line, value: line as unknown }, { raw: "not json", value: "not json" as unknown }]);
    expect(framed).toHaveLength(4);
    const stream = p.openStream();
    expect(framed.slice(0, 3).map((f) => asValue(p.processLine(f.raw, stream)).eventName)).toEqual(["AssumeRole", "RunInstances", "GetBucketAcl"]);
  });

  it("classifies the records of a file among several types", () => {
    const insight = managed("AWS.CloudTrailInsight");
    const text = readFileSync(`${DIR}/cloudtrail-insight/insights.json`, "utf8");
    expect(parseJsonText([ct, insight], text).map((r) => r.p_log_type)).toEqual(["AWS.CloudTrailInsight", "AWS.CloudTrailInsight"]);
  });
});

describe("AWS.VPCDns", () => {
  it("takes answers as IPs or domains by record type, without the final dot", () => {
    const [cname, mx] = parseJsonText([managed("AWS.VPCDns")], readFileSync(`${DIR}/vpcdns/queries.ndjson`, "utf8"));
    expect(cname).toMatchObject({ p_any_ip_addresses: ["10.0.3.17", "203.0.113.80"], p_any_domain_names: ["cdn-7.example.net", "updates.example.com"], p_any_aws_instance_ids: ["i-0a1b2c3d4example9"] });
    expect(mx).toMatchObject({ p_any_domain_names: ["example.org", "mail.example.org"] });
  });
});

describe("text formats", () => {
  it("AWS.ALB splits host:port, the request line and the lists; - is no value", () => {
    const [https, redirect, , bad] = parseLines([managed("AWS.ALB")], readFileSync(`${DIR}/alb/access.log`, "utf8"));
    expect(https).toMatchObject({ clientIp: "198.51.100.23", clientPort: 50412, requestHttpMethod: "GET", requestUrl: "https://shop.example.com:443/api/v2/cart?session=8d2f", actionsExecuted: ["forward"], p_event_time: "2026-02-11T09:12:44.081236Z" });
    expect(redirect).not.toHaveProperty("targetIp");
    expect(redirect).toMatchObject({ targetProcessingTime: -1, redirectUrl: "https://shop.example.com:443/" });
    expect(bad).toEqual({ error: "not an ALB access log line: 6 columns, expected at least 18" });
  });

  it("AWS.S3ServerAccess reads the bracketed time with its offset as the event time", () => {
    const [, denied] = parseLines([managed("AWS.S3ServerAccess")], readFileSync(`${DIR}/s3access/access.log`, "utf8"));
    expect(denied).toMatchObject({ time: "2026-02-11T09:20:31Z", p_event_time: "2026-02-11T09:20:31Z", errorcode: "AccessDenied", additionalFields: ["extra-1", "extra-2"] });
  });

  it("AWS.VPCFlow takes a header's order for the lines after it, and the default order without one", () => {
    const flow = managed("AWS.VPCFlow");
    const [custom] = parseLines([flow], readFileSync(`${DIR}/vpcflow/custom.log`, "utf8"));
    expect(custom).toMatchObject({ instanceId: "i-0a1b2c3d4example9", flowDirection: "egress", version: 5, start: "2026-02-11T09:02:00Z", p_event_time: "2026-02-11T09:02:00Z" });
    const [plain] = parseLines([flow], readFileSync(`${DIR}/vpcflow/default.log`, "utf8"));
    expect(plain).toMatchObject({ srcAddr: "198.51.100.23", dstPort: 8443, action: "ACCEPT" });
    // The header belongs to its stream: a new input starts from the default order again.
    const text = readFileSync(`${DIR}/vpcflow/custom.log`, "utf8").split("\n")[1] as string;
    expect(parseLines([flow], text)).toEqual([{ error: "not a VPC flow log line: 17 values, expected 14 as in the default format (version 2; a header line sets another)" }]);
  });

  it("a header line is consumed without an event", () => {
    const parser = managed("AWS.VPCFlow").text?.open();
    expect(parser?.parse("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")).toBe(SKIP);
  });
});

describe("GCP.AuditLog and Osquery", () => {
  it("GCP.AuditLog takes only audit log entries, keys in any case", () => {
    const recs = parseJsonText([managed("GCP.AuditLog")], readFileSync(`${DIR}/gcp/audit.ndjson`, "utf8"));
    expect(recs[1]).toMatchObject({ protoPayload: { authenticationInfo: { principalEmail: "ci-runner@acme-data-prod.iam.gserviceaccount.com" } }, p_event_time: "2026-02-11T10:05:09.882Z" });
    expect(recs[2]).toEqual({ error: "protoPayload: required field is missing (a GCP audit log entry has a protoPayload)" });
    // An AuditLog payload in a log that is not an audit log (Panther checks logName's log id).
    const own = JSON.stringify({ protoPayload: { "@type": "type.googleapis.com/google.cloud.audit.AuditLog" }, insertId: "x", timestamp: "2026-02-11T12:00:00Z", LogName: "projects/p/logs/my-app" });
    expect(parseJsonText([managed("GCP.AuditLog")], own)[0]?.error).toMatch(/^LogName: not a GCP audit log: the log id "my-app" is none of /);
  });

  it("GCP.AuditLog takes callerIp and httpRequest's addresses, not what request holds, and falls back to receiveTimestamp", () => {
    const recs = parseJsonText([managed("GCP.AuditLog")], readFileSync(`${DIR}/gcp/iap-and-data-access.ndjson`, "utf8"));
    expect(recs[0]).toMatchObject({ p_any_ip_addresses: ["10.128.0.14", "198.51.100.61", "2001:db8:4f2::17"] });
    expect(recs[1]).not.toHaveProperty("p_any_ip_addresses");
    expect(recs[1]).toMatchObject({ p_event_time: "2026-02-11T11:31:07.203518447Z" });
  });

  it("GCP.AuditLog finds the addresses inside json fields, keys in Go's spelling, with no indicators declared", () => {
    const { logType } = withFields(
      "GCP.AuditLog",
      ["  - {name: protoPayload, type: object, fields: [{name: requestMetadata, type: json}, {name: methodName, type: string}]}", "  - {name: httpRequest, type: json}", "  - {name: logName, type: string}"].join("\n"),
    );
    const entry = {
      protoPayload: { "@type": "type.googleapis.com/google.cloud.audit.AuditLog", methodName: "m", requestMetadata: { callerIP: "203.0.113.5", destinationAttributes: { ip: "10.0.0.9" } } },
      httpRequest: { remoteIP: " 198.51.100.7 ", serverIP: "not-an-ip" },
      logName: "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
    };
    const [rec] = parseJsonText([logType as LogType], JSON.stringify(entry));
    expect(rec).toMatchObject({ p_any_ip_addresses: ["198.51.100.7", "203.0.113.5"] });
  });

  it("Osquery takes the host and, in differential logs only, the address columns; log_type fills logType", () => {
    const fields = ["  - {name: calendarTime, type: timestamp, timeFormat: rfc3339, isEventTime: true}", "  - {name: hostIdentifier, type: string}", "  - {name: logType, type: string}", "  - {name: columns, type: json}", "  - {name: snapshot, type: json}"].join("\n");
    const diff = withFields("Osquery.Differential", fields).logType as LogType;
    const snap = withFields("Osquery.Snapshot", fields).logType as LogType;
    const row = { local_address: "10.0.3.17", remote_address: "203.0.113.80", host: "updates.example.com", path: "198.51.100.1" };
    const event = { calendarTime: "Wed Feb 11 09:14:27 2026 UTC", hostIdentifier: "runner-3.example.com", log_type: "result", columns: row, snapshot: [row] };
    const [d] = parseJsonText([diff], JSON.stringify(event));
    expect(d).toMatchObject({ logType: "result", p_any_ip_addresses: ["10.0.3.17", "203.0.113.80"], p_any_domain_names: ["runner-3.example.com", "updates.example.com"] });
    expect(d).not.toHaveProperty("log_type");
    const [sn] = parseJsonText([snap], JSON.stringify(event));
    expect(sn).toMatchObject({ p_any_domain_names: ["runner-3.example.com"] });
    expect(sn).not.toHaveProperty("p_any_ip_addresses");
    // An event's own logType is kept.
    const [own] = parseJsonText([diff], JSON.stringify({ ...event, logType: "snapshot" }));
    expect(own).toMatchObject({ logType: "snapshot" });
  });

  it("Osquery.Differential's managed schema gets the socket and host columns of real result lines", () => {
    const recs = parseJsonText([managed("Osquery.Differential")], readFileSync(`${DIR}/osquery/sockets.ndjson`, "utf8"));
    expect(recs.map((r) => [r.p_any_ip_addresses, r.p_any_domain_names])).toEqual([
      [["10.0.3.17", "203.0.113.80"], ["build-runner-03.example.com"]],
      [["10.0.7.21", "198.51.100.14"], ["updates.example.com"]],
      [["0.0.0.0", "172.17.0.1", "172.17.0.3"], ["ci-docker-2.example.com"]],
    ]);
    expect(recs[0]).toMatchObject({ logType: "result" });
  });

  it("calendarTime reads the same text to the same time again, and a bad one after a good one as bad", () => {
    expect(calendarTime("Tue Sep 11 16:14:21 2018 UTC")).toBe("2018-09-11T16:14:21Z");
    expect(calendarTime("Tue Sep 11 16:14:21 2018 UTC")).toBe("2018-09-11T16:14:21Z");
    expect(calendarTime("Wed Feb  4 09:14:27 2026 UTC")).toBe("2026-02-04T09:14:27Z");
    expect(calendarTime("Wed Feb  4 09:14:27 2026 CET")).toBeUndefined();
    expect(calendarTime("Tue Sep 11 16:14:21 2018 UTC")).toBe("2018-09-11T16:14:21Z");
    expect(calendarTime("")).toBeUndefined();
  });

  it("Osquery reads calendarTime in osquery's form as the event time", () => {
    const recs = parseJsonText([managed("Osquery.Differential")], readFileSync(`${DIR}/osquery/differential.ndjson`, "utf8"));
    expect(recs.map((r) => r.p_event_time)).toEqual(["2026-02-11T08:55:02Z", "2026-02-01T07:03:44Z", "2026-02-09T23:59:59Z"]);
  });
});

describe("native names hexlog does not emulate", () => {
  it("a JSON one is read as JSON with keys matched case-insensitively, and a warning", () => {
    const { logType, issues } = withFields("Okta.SystemLog", "  - {name: eventType, type: string, required: true}");
    expect(issues.map((i) => `${i.severity} ${i.rule}`)).toEqual(["warning native-parser"]);
    expect(issues[0]?.message).toContain("does not emulate");
    expect(parseJsonText([logType as LogType], '{"EVENTTYPE":"user.session.start"}')[0]).toMatchObject({ eventType: "user.session.start" });
  });

  it("a text one matches no event, so it never wins classification over a JSON type", () => {
    const juniper = withFields("Juniper.Access", "  - {name: message, type: string}").logType as LogType;
    const json = withFields("Okta.SystemLog", "  - {name: message, type: string}").logType as LogType;
    const both = parseJsonText([juniper, json], '{"message":"hello"}');
    expect(both[0]).toMatchObject({ p_log_type: "Custom.N" });
    const p = processor([juniper]);
    expect(p.lineBased).toBe(true);
    const alone = p.processLine("Feb 11 09:00:00 fw1 sshd[1]: accepted", p.openStream());
    expect(alone).toMatchObject({ ok: false, message: expect.stringContaining("Juniper.Access is a text format whose Panther parser hexlog does not emulate") as unknown });
    expect(processor([juniper, json]).lineBased).toBe(false);
    expect(juniper.text?.open().parse("x")).toBeInstanceOf(LineFailure);
  });

  it("an emulated name gives no warning", () => {
    expect(withFields("AWS.CloudTrail", "  - {name: eventName, type: string}").issues).toEqual([]);
  });
});
