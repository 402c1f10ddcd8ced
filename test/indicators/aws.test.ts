import { describe, expect, it } from "vitest";
import {
  awsAccountId,
  awsArn,
  awsArnOnly,
  awsInstanceId,
  awsTag,
} from "../../src/engine/indicators/aws.js";
import { scan } from "./recorder.js";

describe("aws_account_id", () => {
  it("accepts exactly 12 ASCII digits", () => {
    expect(scan(awsAccountId, "123456789012")).toEqual([["p_any_aws_account_ids", "123456789012"]]);
  });

  it.each([
    ["12345678901", "11 digits"],
    ["1234567890123", "13 digits"],
    [" 123456789012", "a leading space (not trimmed)"],
    ["12345678901a", "a letter"],
    ["１２３４５６７８９０１２", "full-width digits"],
    ["", "nothing"],
  ])("rejects %j (%s)", (input) => {
    expect(scan(awsAccountId, input)).toEqual([]);
  });
});

describe("aws_instance_id", () => {
  it.each(["i-0123abcd", "i-0123456789abcdef0", "i-0d15cd0d3example", "i-ABC123"])("accepts %j: i- followed by letters and digits (Panther's rule)", (input) => {
    expect(scan(awsInstanceId, input)).toEqual([["p_any_aws_instance_ids", input]]);
  });

  it.each([
    ["i-love-logs", "a second dash"],
    ["i-", "nothing after the prefix"],
    ["i-0123_abcd", "an underscore"],
    [" i-0123abcd", "a leading space (not trimmed)"],
    ["0123abcd", "no i- prefix"],
    ["I-0123abcd", "an uppercase prefix"],
    ["", "nothing"],
  ])("rejects %j (%s)", (input) => {
    expect(scan(awsInstanceId, input)).toEqual([]);
  });
});

describe("aws_tag", () => {
  it("accepts any non-empty value verbatim, spaces included", () => {
    expect(scan(awsTag, " env:prod ")).toEqual([["p_any_aws_tags", " env:prod "]]);
    expect(scan(awsTag, " ")).toEqual([["p_any_aws_tags", " "]]);
  });

  it("adds nothing for the empty string", () => {
    expect(scan(awsTag, "")).toEqual([]);
  });
});

describe("aws_arn", () => {
  it("adds a plain ARN and its account id", () => {
    const arn = "arn:aws:iam::123456789012:user/alice";
    expect(scan(awsArn, arn)).toEqual([
      ["p_any_aws_arns", arn],
      ["p_any_aws_account_ids", "123456789012"],
    ]);
  });

  it("accepts empty sections and a resource that contains colons", () => {
    expect(scan(awsArn, "arn:aws:s3:::my-bucket")).toEqual([["p_any_aws_arns", "arn:aws:s3:::my-bucket"]]);
    expect(scan(awsArn, "arn:::::")).toEqual([["p_any_aws_arns", "arn:::::"]]);
    const logGroup = "arn:aws:logs:us-east-1:123456789012:log-group:/app:*";
    expect(scan(awsArn, logGroup)).toEqual([
      ["p_any_aws_arns", logGroup],
      ["p_any_aws_account_ids", "123456789012"],
    ]);
  });

  it("extracts the instance id of an EC2 instance ARN", () => {
    const arn = "arn:aws:ec2:us-west-2:123456789012:instance/i-0123456789abcdef0";
    expect(scan(awsArn, arn)).toEqual([
      ["p_any_aws_arns", arn],
      ["p_any_aws_account_ids", "123456789012"],
      ["p_any_aws_instance_ids", "i-0123456789abcdef0"],
    ]);
  });

  it("skips an instance resource whose id is not a valid instance id", () => {
    const arn = "arn:aws:ec2:us-west-2:123456789012:instance/not-an-id";
    expect(scan(awsArn, arn)).toEqual([
      ["p_any_aws_arns", arn],
      ["p_any_aws_account_ids", "123456789012"],
    ]);
  });

  it("extracts an email-like session name from an STS assumed-role ARN", () => {
    const arn = "arn:aws:sts::123456789012:assumed-role/AdminRole/alice@example.com";
    expect(scan(awsArn, arn)).toEqual([
      ["p_any_aws_arns", arn],
      ["p_any_aws_account_ids", "123456789012"],
      ["p_any_emails", "alice@example.com"],
    ]);
  });

  it("ignores session names that are not emails, and assumed-role resources outside STS", () => {
    const plain = "arn:aws:sts::123456789012:assumed-role/AdminRole/i-session";
    expect(scan(awsArn, plain)).toEqual([
      ["p_any_aws_arns", plain],
      ["p_any_aws_account_ids", "123456789012"],
    ]);
    const notSts = "arn:aws:iam::123456789012:assumed-role/AdminRole/alice@example.com";
    expect(scan(awsArn, notSts)).toEqual([
      ["p_any_aws_arns", notSts],
      ["p_any_aws_account_ids", "123456789012"],
    ]);
  });

  it("ignores an account section that is not 12 digits", () => {
    expect(scan(awsArn, "arn:aws:iam::aws:policy/ReadOnlyAccess")).toEqual([
      ["p_any_aws_arns", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
    ]);
  });

  it.each([
    ["arn:aws:iam::123456789012", "five sections"],
    [" arn:aws:iam::123456789012:user/alice", "a leading space (not trimmed)"],
    ["ARN:aws:iam::123456789012:user/alice", "an uppercase prefix"],
    ["urn:aws:iam::123456789012:user/alice", "another prefix"],
    ["arn:", "nothing after the prefix"],
    ["", "nothing"],
  ])("rejects %j (%s)", (input) => {
    expect(scan(awsArn, input)).toEqual([]);
  });
});

describe("aws_arn_only", () => {
  it("adds the ARN and nothing else", () => {
    for (const arn of [
      "arn:aws:ec2:us-west-2:123456789012:instance/i-0123456789abcdef0",
      "arn:aws:sts::123456789012:assumed-role/AdminRole/alice@example.com",
    ]) {
      expect(scan(awsArnOnly, arn)).toEqual([["p_any_aws_arns", arn]]);
    }
  });

  it("rejects what aws_arn rejects", () => {
    expect(scan(awsArnOnly, "arn:aws:iam::123456789012")).toEqual([]);
  });
});
