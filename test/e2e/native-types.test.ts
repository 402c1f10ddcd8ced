/** Native log types through the binary: gzip S3 files, text logs, and their test suites. */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { FIXED, hexlog, readLines, records, tempDir, testdata } from "../helpers/cli.js";

const SCHEMAS = testdata("native", "schemas");

describe("native log types from the command line", () => {
  it("parses a gzip CloudTrail file from S3 into one record per event", async () => {
    const gz = testdata("native", "cloudtrail", "210987654321_CloudTrail_eu-west-1_20260211T0845Z_Ex4mpleFile.json.gz");
    const r = await hexlog(["parse", "--schemas", SCHEMAS, "-t", "AWS.CloudTrail", gz, ...FIXED]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => [x.eventName, x.p_event_time])).toEqual([
      ["AssumeRole", "2026-02-11T08:41:07Z"],
      ["RunInstances", "2026-02-11T08:43:52Z"],
      ["GetBucketAcl", "2026-02-11T08:45:00Z"],
    ]);
  });

  it("writes a failing record of a CloudTrail file to the dead letters as that record's own JSON", async () => {
    const input = '{"Records":[{"eventVersion":"1.08","eventTime":"2026-02-11T08:41:07Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","eventID":"a","eventType":"AwsApiCall"},{"eventName":"Broken"}]}\n';
    const dead = join(tempDir(), "dead.ndjson");
    const r = await hexlog(["parse", "--schemas", SCHEMAS, "-t", "AWS.CloudTrail", "--errors", dead, ...FIXED], { input });
    expect(r.code).toBe(1);
    expect(records(r.stdout).map((x) => x.eventName)).toEqual(["ListUsers"]);
    expect(r.stderr).toContain("<stdin>:1: AWS.CloudTrail: awsRegion: required field is missing");
    expect(readLines(dead)).toMatchObject([{ line: 1, logType: "AWS.CloudTrail", raw: '{"eventName":"Broken"}' }]);
  });

  it("parses VPC flow text lines, the header's order for a custom format", async () => {
    const r = await hexlog(["parse", "--schemas", SCHEMAS, "-t", "AWS.VPCFlow", testdata("native", "vpcflow", "custom.log"), ...FIXED]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((x) => [x.srcAddr, x.dstPort, x.flowDirection])).toEqual([["10.0.3.17", 5432, "egress"], ["10.0.12.44", 41877, "ingress"]]);
  });

  it("passes every native test suite in testdata/native", async () => {
    const r = await hexlog(["test", testdata("native")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/32 tests in 8 files: 32 passed, 0 failed/);
  });
});
