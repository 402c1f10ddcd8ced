/**
 * The indicator registry: every name a schema may list under `indicators:`.
 * To add an indicator, write its scanner (in its kind's module or a new one), add it to SCANNERS
 * below, and add a test in test/indicators/.
 */
import { awsAccountId, awsArn, awsArnOnly, awsInstanceId, awsTag } from "./aws.js";
import { email } from "./email.js";
import type { IndicatorScanner } from "./fields.js";
import { md5, sha1, sha256 } from "./hashes.js";
import { actorId, serialNumber, traceId, username } from "./identifiers.js";
import { mac } from "./mac.js";
import { domain, hostname, ip, netAddr, url } from "./network.js";

export * from "./fields.js";

/** Registry order: grouped by kind. indicatorNames() returns this order. */
const SCANNERS: readonly IndicatorScanner[] = [
  ip,
  domain,
  hostname,
  url,
  netAddr,
  md5,
  sha1,
  sha256,
  traceId,
  awsArn,
  awsArnOnly,
  awsAccountId,
  awsInstanceId,
  awsTag,
  email,
  username,
  actorId,
  mac,
  serialNumber,
];

/** Indicator name (as written in schemas) → scanner. */
export const INDICATORS: ReadonlyMap<string, IndicatorScanner> = new Map(
  SCANNERS.map((s) => [s.name, s] as const),
);

/** All indicator names, in registry order (for validation messages and docs). */
export function indicatorNames(): string[] {
  return [...INDICATORS.keys()];
}
