/**
 * AWS.CloudTrail and AWS.CloudTrailInsight. CloudTrail delivers to S3 one gzip file per batch,
 * `{"Records":[event, event, …]}`: each record is an event (an empty list, none). A bare event
 * (CloudWatch Logs, EventBridge) is read as itself. Keys match case-insensitively (real events have
 * `resources[].ARN`; schemas say `arn`), and the schema's json fields (requestParameters,
 * responseElements, additionalEventData, serviceEventDetails, …) are searched for ARNs, account
 * ids, instance ids, IP addresses and domains (aws-values.ts). The event time is the schema's
 * (`eventTime`).
 */
import { isObject } from "../coerce.js";
import { scanAwsValue } from "./aws-values.js";
import { jsonFieldPaths, valuesAt } from "./json-fields.js";
import { matchKeys } from "./keys.js";
import type { NativeParser } from "./types.js";

/** The records of a CloudTrail file, or undefined when the value is a single event. */
export function cloudTrailRecords(value: unknown): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const o = value as Record<string, unknown>;
  let records: unknown;
  let keys = 0;
  for (const k in o) {
    // A file holds Records alone; an event (a field of that name or not) stays an event, and
    // is told after its second key.
    if (++keys > 1) return undefined;
    if (k.toLowerCase() === "records") records = o[k];
  }
  return Array.isArray(records) ? records : undefined;
}

export const cloudTrail: NativeParser = {
  names: ["AWS.CloudTrail", "AWS.CloudTrailInsight"],
  format: "json",
  summary: "S3 files {\"Records\":[…]} give one event per record; case-insensitive keys; ARNs, account and instance ids, IPs and domains inside json fields",
  build(schema, compiled) {
    const jsonPaths = jsonFieldPaths(schema);
    return {
      behaviour: {
        name: schema.parser && "native" in schema.parser ? schema.parser.native.name : "AWS.CloudTrail",
        expandEvents: cloudTrailRecords,
        prepare: (event, inPlace) => matchKeys(event, compiled.shape, inPlace),
        scan(record, sink) {
          for (const p of jsonPaths) valuesAt(record, p, (v) => scanAwsValue(v, sink));
        },
      },
    };
  },
};
