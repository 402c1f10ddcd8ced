/**
 * The names a schema may list under `indicators:`. The engine has one scanner per name
 * (engine/indicators/index.ts, a `Record<IndicatorName, …>`); which `p_any_*` fields a scanner
 * fills is the engine's registry (engine/indicators/fields.ts).
 */
export const INDICATOR_VOCABULARY = {
  ip: "An IPv4 or IPv6 address (strict), → p_any_ip_addresses.",
  domain: "A domain name, → p_any_domain_names.",
  hostname: "A host name or address: domains and IPs, → p_any_domain_names or p_any_ip_addresses.",
  url: "A URL: its host, → p_any_domain_names or p_any_ip_addresses.",
  net_addr: "host:port or [ipv6]:port: its host.",
  md5: "An MD5 digest (32 hex digits).",
  sha1: "A SHA-1 digest (40 hex digits).",
  sha256: "A SHA-256 digest (64 hex digits).",
  trace_id: "A trace or request id (the trimmed value), → p_any_trace_ids.",
  aws_arn: "An AWS ARN, and the account id, instance id and e-mail it holds.",
  aws_arn_only: "An AWS ARN, nothing taken from inside it.",
  aws_account_id: "A 12-digit AWS account id.",
  aws_instance_id: "An EC2 instance id: i- followed by letters and digits.",
  aws_tag: "An AWS tag as key:value.",
  email: "An e-mail address, → p_any_emails.",
  username: "A user name (the trimmed value), → p_any_usernames.",
  actor_id: "An actor id (the trimmed value), → p_any_actor_ids.",
  mac: "A MAC address, normalized, → p_any_mac_addresses.",
  serial_number: "A device serial number (the trimmed value), → p_any_serial_numbers.",
} as const satisfies Record<string, string>;

export type IndicatorName = keyof typeof INDICATOR_VOCABULARY;

/** In the registry's order (messages, docs, the JSON Schema). */
export const INDICATOR_NAMES = Object.keys(INDICATOR_VOCABULARY) as readonly IndicatorName[];

export function isIndicatorName(name: string): name is IndicatorName {
  return Object.hasOwn(INDICATOR_VOCABULARY, name);
}
