/**
 * Indicators inside the free-form JSON of AWS events (CloudTrail's requestParameters,
 * responseElements, additionalEventData, serviceEventDetails, resources): Panther's AWS parsers
 * walk these values and collect what they recognise, by value and by key.
 *
 * - any string that is an ARN → the ARN, its account id, an EC2 instance id in it;
 * - any string that is an IP address → the address;
 * - under a key ending in `instanceId` (any case, also `instance-id`) → an instance id;
 * - under a key ending in `accountId`, or `ownerId` / `account` → a 12-digit account id;
 * - under a key ending in `dnsName`, `domainName`, `hostName` or named `domain` → a domain;
 * - a `tags` list (or EC2's `tagSet.items`) of `{key, value}` objects → `key:value` tags.
 * Keys are compared without case and without `-`/`_`, since AWS services spell them every way.
 */
import { awsArn, isAwsAccountId, isAwsInstanceId } from "../indicators/aws.js";
import { AWS_ACCOUNT_ID, AWS_INSTANCE_ID, AWS_TAG, IP, type IndicatorSink } from "../indicators/fields.js";
import { hostname, isStrictIP } from "../indicators/network.js";
import { LosslessNumber } from "../lossless-json.js";

const MAX_DEPTH = 64;

/** Walks a JSON value (plain or lossless) and adds what it finds. */
export function scanAwsValue(value: unknown, sink: IndicatorSink): void {
  walk(value, "", sink, 0);
}

function walk(value: unknown, key: string, sink: IndicatorSink, depth: number): void {
  if (depth > MAX_DEPTH || value === null || value === undefined) return;
  if (typeof value === "string") {
    scanString(value, key, sink);
    return;
  }
  if (value instanceof LosslessNumber || typeof value !== "object") return;
  if (Array.isArray(value)) {
    if (key === "tags") scanTags(value, sink);
    // Elements belong to the list's key: instancesSet.items[].instanceId, ipAddresses[].
    for (const v of value) walk(v, key, sink, depth + 1);
    return;
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const nk = normalKey(k);
    // EC2 writes tags as {"tagSet": {"items": [{key, value}]}}.
    if (key === "tagset" && nk === "items" && Array.isArray(o[k])) scanTags(o[k] as unknown[], sink);
    walk(o[k], nk, sink, depth + 1);
  }
}

/** Keys seen, normalized: AWS events repeat a few hundred keys, each replace-and-lowercase made a new string. */
const normalKeys = new Map<string, string>();
/** Past this many, the map starts over (events with random keys must not grow it without end). */
const MAX_NORMAL_KEYS = 4096;

function normalKey(k: string): string {
  let n = normalKeys.get(k);
  if (n === undefined) {
    if (normalKeys.size >= MAX_NORMAL_KEYS) normalKeys.clear();
    n = k.replace(/[-_]/g, "").toLowerCase();
    normalKeys.set(k, n);
  }
  return n;
}

function scanString(v: string, key: string, sink: IndicatorSink): void {
  if (v.startsWith("arn:")) {
    awsArn.scan(v, sink);
    return;
  }
  if (isStrictIP(v)) {
    sink.add(IP, v);
    return;
  }
  if (key.endsWith("instanceid")) {
    if (isAwsInstanceId(v)) sink.add(AWS_INSTANCE_ID, v);
  } else if (key.endsWith("accountid") || key === "ownerid" || key === "account") {
    if (isAwsAccountId(v)) sink.add(AWS_ACCOUNT_ID, v);
  } else if (key.endsWith("dnsname") || key.endsWith("domainname") || key.endsWith("hostname") || key === "domain") {
    // A fully qualified name's last dot is not part of the domain.
    if (looksLikeHostname(v)) hostname.scan(v.endsWith(".") ? v.slice(0, -1) : v, sink);
  }
}

/** `[{key, value}]` (any case of the two keys) → `key:value`. */
function scanTags(list: readonly unknown[], sink: IndicatorSink): void {
  for (const t of list) {
    if (t === null || typeof t !== "object" || Array.isArray(t)) continue;
    let k: unknown;
    let v: unknown;
    for (const [name, value] of Object.entries(t as Record<string, unknown>)) {
      const n = name.toLowerCase();
      if (n === "key") k = value;
      else if (n === "value") v = value;
    }
    if (typeof k === "string" && k !== "") sink.add(AWS_TAG, `${k}:${typeof v === "string" ? v : ""}`);
  }
}

/** Letters, digits, dots and dashes with at least one dot: `ip-10-0-0-1.ec2.internal`. */
function looksLikeHostname(v: string): boolean {
  return v.length <= 253 && /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\.?$/.test(v);
}
