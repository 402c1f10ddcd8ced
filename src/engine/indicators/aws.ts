/**
 * AWS indicators: aws_arn, aws_arn_only, aws_account_id, aws_instance_id, aws_tag.
 * None of them trim: AWS identifiers never carry surrounding spaces, so a padded value is not one
 * (and a tag keeps its spaces verbatim).
 */
import { isDigitCode } from "./chars.js";
import { looksLikeEmail } from "./email.js";
import {
  AWS_ACCOUNT_ID,
  AWS_ARN,
  AWS_INSTANCE_ID,
  AWS_TAG,
  EMAIL,
  type IndicatorScanner,
  type IndicatorSink,
} from "./fields.js";

/** Exactly 12 ASCII digits. */
export function isAwsAccountId(v: string): boolean {
  if (v.length !== 12) return false;
  for (let i = 0; i < 12; i++) if (!isDigitCode(v.charCodeAt(i))) return false;
  return true;
}

/**
 * `i-` followed by one or more ASCII letters and digits: Panther's rule. Its own test data has ids
 * such as `i-0d15cd0d3example`, so a hex-only check would lose indicators Panther reports.
 */
export function isAwsInstanceId(v: string): boolean {
  const len = v.length;
  if (len < 3 || v.charCodeAt(0) !== 105 /* i */ || v.charCodeAt(1) !== 45 /* - */) return false;
  for (let i = 2; i < len; i++) if (!isAlnumCode(v.charCodeAt(i))) return false;
  return true;
}

function isAlnumCode(c: number): boolean {
  return isDigitCode(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

const ASSUMED_ROLE = "assumed-role/";

/**
 * Scans an ARN: `arn:partition:service:region:account:resource` (at least six colon sections,
 * empty sections allowed, the resource may contain colons). With `extras`, also pulls out the
 * account id, an EC2 instance id (`…:instance/i-…`), and the email-like session name of an STS
 * assumed-role ARN (`arn:aws:sts::123456789012:assumed-role/Role/alice@example.com`).
 */
function scanArn(value: string, sink: IndicatorSink, extras: boolean): void {
  if (!value.startsWith("arn:")) return;
  const afterPartition = value.indexOf(":", 4);
  if (afterPartition < 0) return;
  const afterService = value.indexOf(":", afterPartition + 1);
  if (afterService < 0) return;
  const afterRegion = value.indexOf(":", afterService + 1);
  if (afterRegion < 0) return;
  const afterAccount = value.indexOf(":", afterRegion + 1);
  if (afterAccount < 0) return;
  sink.add(AWS_ARN, value);
  if (!extras) return;

  const account = value.slice(afterRegion + 1, afterAccount);
  if (isAwsAccountId(account)) sink.add(AWS_ACCOUNT_ID, account);

  const resource = value.slice(afterAccount + 1);
  if (resource.startsWith("instance/")) {
    const id = resource.slice(resource.lastIndexOf("/") + 1);
    if (isAwsInstanceId(id)) sink.add(AWS_INSTANCE_ID, id);
  } else if (
    resource.startsWith(ASSUMED_ROLE) &&
    value.slice(afterPartition + 1, afterService) === "sts"
  ) {
    // assumed-role/RoleName/SessionName: role names and session names contain no "/".
    const slash = resource.indexOf("/", ASSUMED_ROLE.length);
    if (slash <= ASSUMED_ROLE.length) return;
    const session = resource.slice(slash + 1);
    if (session.indexOf("/") === -1 && looksLikeEmail(session)) sink.add(EMAIL, session);
  }
}

export const awsArn: IndicatorScanner = {
  name: "aws_arn",
  fields: [AWS_ARN, AWS_ACCOUNT_ID, AWS_INSTANCE_ID, EMAIL],
  scan(value: string, sink: IndicatorSink): void {
    scanArn(value, sink, true);
  },
};

export const awsArnOnly: IndicatorScanner = {
  name: "aws_arn_only",
  fields: [AWS_ARN],
  scan(value: string, sink: IndicatorSink): void {
    scanArn(value, sink, false);
  },
};

export const awsAccountId: IndicatorScanner = {
  name: "aws_account_id",
  fields: [AWS_ACCOUNT_ID],
  scan(value: string, sink: IndicatorSink): void {
    if (isAwsAccountId(value)) sink.add(AWS_ACCOUNT_ID, value);
  },
};

export const awsInstanceId: IndicatorScanner = {
  name: "aws_instance_id",
  fields: [AWS_INSTANCE_ID],
  scan(value: string, sink: IndicatorSink): void {
    if (isAwsInstanceId(value)) sink.add(AWS_INSTANCE_ID, value);
  },
};

export const awsTag: IndicatorScanner = {
  name: "aws_tag",
  fields: [AWS_TAG],
  scan(value: string, sink: IndicatorSink): void {
    if (value.length > 0) sink.add(AWS_TAG, value);
  },
};
