/**
 * Indicator suggestions for inferred string fields. Values are checked with the engine's own
 * scanners (an indicator fits a value when its scanner pulls something out of it); a field keeps
 * a value-based indicator only when every non-empty value fits. Identifiers that any text could
 * be (trace ids, actor ids, user names, hosts) are suggested by the field's name instead.
 */
import { INDICATORS, indicatorNames, type IndicatorScanner, type IndicatorSink } from "../../engine/indicators/index.js";
import type { NameHints } from "./names.js";

/** Records which p_any fields a scanner wrote to. */
class Probe implements IndicatorSink {
  hit = 0;
  add(field: number): void {
    this.hit |= 1 << field;
  }
}

const probe = new Probe();

function scanner(name: string): IndicatorScanner {
  const s = INDICATORS.get(name);
  if (s === undefined) throw new Error(`indicator ${name} is not in the registry`);
  return s;
}

const ip = scanner("ip");
const email = scanner("email");
const url = scanner("url");
const awsArn = scanner("aws_arn");
const md5 = scanner("md5");
const sha1 = scanner("sha1");
const sha256 = scanner("sha256");
const awsAccountId = scanner("aws_account_id");

function finds(s: IndicatorScanner, value: string): boolean {
  probe.hit = 0;
  s.scan(value, probe);
  return probe.hit !== 0;
}

/** One DNS label: letters, digits and inner hyphens, at most 63 characters. */
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
/** A host name of one or more labels (`web-01`, `login.example.com`). */
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
/** A domain: two or more labels ending in an alphabetic (or punycode) top-level label. */
const DOMAIN_NAME = new RegExp(`^(?:${LABEL}\\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})\\.?$`);

// Bits of a value's mask: what the value looks like.
const IS_IP = 1 << 0;
const IS_EMAIL = 1 << 1;
const IS_URL = 1 << 2;
const IS_ARN = 1 << 3;
const IS_MD5 = 1 << 4;
const IS_SHA1 = 1 << 5;
const IS_SHA256 = 1 << 6;
const IS_DOMAIN = 1 << 7;
const IS_HOST = 1 << 8;
const IS_ACCOUNT = 1 << 9;

/** Every bit set: the mask a field starts from before its values narrow it. */
export const ALL_VALUE_KINDS = (1 << 10) - 1;

/** What a non-empty string value could be an indicator of, as a bit mask. */
export function valueIndicatorMask(value: string): number {
  let mask = 0;
  const v = value.trim();
  if (finds(ip, value)) mask |= IS_IP | IS_HOST;
  else if (HOST_NAME.test(v)) mask |= IS_HOST | (DOMAIN_NAME.test(v) ? IS_DOMAIN : 0);
  if (finds(email, value)) mask |= IS_EMAIL;
  if (finds(url, value)) mask |= IS_URL;
  if (finds(awsArn, value)) mask |= IS_ARN;
  if (finds(md5, value)) mask |= IS_MD5;
  if (finds(sha1, value)) mask |= IS_SHA1;
  if (finds(sha256, value)) mask |= IS_SHA256;
  if (finds(awsAccountId, value)) mask |= IS_ACCOUNT;
  return mask;
}

/**
 * The indicators for a string field whose non-empty values all had the bits of `mask`, named as
 * `hints` say; in the registry's order.
 */
export function chooseIndicators(mask: number, hints: NameHints): string[] {
  const picked = new Set<string>();
  if ((mask & IS_IP) !== 0) picked.add("ip");
  else if (hints.host && (mask & IS_HOST) !== 0) picked.add("hostname");
  else if (hints.domain && (mask & IS_DOMAIN) !== 0) picked.add("domain");
  if ((mask & IS_URL) !== 0) picked.add("url");
  // 32 hex digits are as often an id (a UUID without dashes, a trace id) as an MD5 digest: md5
  // needs a name that says digest; sha1/sha256 only a name that does not say identifier.
  if (hints.hash || !hints.notHash) {
    if ((mask & IS_MD5) !== 0 && hints.hash) picked.add("md5");
    if ((mask & IS_SHA1) !== 0) picked.add("sha1");
    if ((mask & IS_SHA256) !== 0) picked.add("sha256");
  }
  if (hints.traceId) picked.add("trace_id");
  if ((mask & IS_ARN) !== 0) picked.add("aws_arn");
  if (hints.account && (mask & IS_ACCOUNT) !== 0) picked.add("aws_account_id");
  if ((mask & IS_EMAIL) !== 0) picked.add("email");
  if (hints.username) picked.add("username");
  if (hints.actorId) picked.add("actor_id");
  return indicatorNames().filter((n) => picked.has(n));
}

