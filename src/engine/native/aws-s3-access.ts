/**
 * AWS.S3ServerAccess: S3 server access logs, one space-separated line per request
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html). Columns in AWS's
 * order; the `[06/Feb/2019:00:00:38 +0000]` time becomes RFC 3339; `-` is no value; columns AWS
 * adds after the known ones land in `additionalFields`, as Panther keeps them.
 */
import { captureOfResult, LineFailure, type LineResult } from "../parsers/index.js";
import { present, splitTokens } from "./tokens.js";
import type { NativeParser } from "./types.js";

const COLUMNS = [
  "bucketowner",
  "bucket",
  "time",
  "remoteip",
  "requester",
  "requestid",
  "operation",
  "key",
  "requesturi",
  "httpstatus",
  "errorcode",
  "bytessent",
  "objectsize",
  "totaltime",
  "turnaroundtime",
  "referrer",
  "useragent",
  "versionid",
  "hostid",
  "signatureversion",
  "ciphersuite",
  "authenticationtype",
  "hostheader",
  "tlsVersion",
  "accessPointArn",
  "aclRequired",
] as const;

/** Through the user agent: the oldest lines S3 writes. */
const MIN_COLUMNS = 17;

const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };
const S3_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** `06/Feb/2019:00:00:38 +0000` → `2019-02-06T00:00:38+00:00`; undefined when it is not one. */
export function s3Time(v: string): string | undefined {
  const m = S3_TIME.exec(v);
  const month = m ? MONTHS[m[2] as string] : undefined;
  if (!m || !month) return undefined;
  return `${m[3]}-${month}-${m[1]}T${m[4]}:${m[5]}:${m[6]}${m[7]}${m[8]}:${m[9]}`;
}

export function parseS3AccessLine(raw: string, tokens: string[]): LineResult {
  const n = splitTokens(raw.trim(), tokens);
  if (typeof n === "string") return new LineFailure(`not an S3 server access log line: ${n}`, 0);
  if (n < MIN_COLUMNS) return new LineFailure(`not an S3 server access log line: ${n} columns, expected at least ${MIN_COLUMNS}`, n / (MIN_COLUMNS + 1));
  const time = s3Time(tokens[2] as string);
  if (time === undefined) return new LineFailure(`not an S3 server access log line: the third column is the time like [06/Feb/2019:00:00:38 +0000], got ${JSON.stringify(tokens[2])}`, 0.2);
  const r: Record<string, string | string[]> = {};
  const known = Math.min(n, COLUMNS.length);
  for (let i = 0; i < known; i++) {
    const v = tokens[i];
    if (present(v)) r[COLUMNS[i] as string] = v;
  }
  r.time = time;
  if (n > COLUMNS.length) r.additionalFields = tokens.slice(COLUMNS.length, n);
  return r;
}

export const s3ServerAccess: NativeParser = {
  names: ["AWS.S3ServerAccess"],
  format: "text",
  summary: "server access log lines: quoted and [bracketed] columns, the time as RFC 3339, extra columns in additionalFields",
  build() {
    const tokens: string[] = [];
    const parser = { eager: false, parse: (line: string) => parseS3AccessLine(line, tokens), capture: (line: string) => captureOfResult(parseS3AccessLine(line, tokens)) };
    return { behaviour: { name: "AWS.S3ServerAccess" }, text: { kind: "native", wholeStream: false, open: () => parser } };
  },
};
