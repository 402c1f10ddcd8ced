/**
 * The indicator registry: the scanner of every name a schema may list under `indicators:`
 * (the names are the language's: language/vocabulary/indicator-kinds.ts). To add an indicator,
 * name it there, write its scanner (in its kind's module or a new one), add it to SCANNERS below,
 * and add a test in test/indicators/.
 */
import { INDICATOR_NAMES, type IndicatorName } from "../../language/vocabulary/indicator-kinds.js";
import { awsAccountId, awsArn, awsArnOnly, awsInstanceId, awsTag } from "./aws.js";
import { email } from "./email.js";
import type { IndicatorScanner } from "./fields.js";
import { md5, sha1, sha256 } from "./hashes.js";
import { actorId, serialNumber, traceId, username } from "./identifiers.js";
import { mac } from "./mac.js";
import { domain, hostname, ip, netAddr, url } from "./network.js";

export * from "./fields.js";

/** One scanner per name of the vocabulary (a name without one, or one without a name, does not compile). */
const SCANNERS: Readonly<Record<IndicatorName, IndicatorScanner>> = {
  ip,
  domain,
  hostname,
  url,
  net_addr: netAddr,
  md5,
  sha1,
  sha256,
  trace_id: traceId,
  aws_arn: awsArn,
  aws_arn_only: awsArnOnly,
  aws_account_id: awsAccountId,
  aws_instance_id: awsInstanceId,
  aws_tag: awsTag,
  email,
  username,
  actor_id: actorId,
  mac,
  serial_number: serialNumber,
};

/** Indicator name (as written in schemas) → scanner. */
export const INDICATORS: ReadonlyMap<string, IndicatorScanner> = new Map(INDICATOR_NAMES.map((name) => [name, SCANNERS[name]] as const));

/**
 * Indicators whose findings another one listed on the same value always includes: `hostname`
 * adds a value to the IP addresses exactly when `ip` would (and reads any other value as a
 * domain). The p_any lists are deduplicated, so leaving `ip` out there changes no record and
 * spares a second check of the same address per event.
 */
const INCLUDED_IN: Partial<Record<IndicatorName, IndicatorName>> = { ip: "hostname" };

/** Whether indicator `name` adds nothing that another of `listed` (one value's indicators) does not. */
export function redundantIndicator(name: string, listed: readonly string[]): boolean {
  const by = Object.hasOwn(INCLUDED_IN, name) ? INCLUDED_IN[name as IndicatorName] : undefined;
  return by !== undefined && listed.includes(by);
}

/** All indicator names, in the vocabulary's order (for validation messages and docs). */
export function indicatorNames(): string[] {
  return [...INDICATORS.keys()];
}
