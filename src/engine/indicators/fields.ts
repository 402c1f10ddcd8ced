/**
 * The p_any_* indicator fields, in the fixed order records list them.
 * Scanners refer to a field by its index in this list (cheap on the hot path).
 */
export const P_ANY_FIELDS = [
  "p_any_ip_addresses",
  "p_any_domain_names",
  "p_any_md5_hashes",
  "p_any_sha1_hashes",
  "p_any_sha256_hashes",
  "p_any_trace_ids",
  "p_any_aws_account_ids",
  "p_any_aws_instance_ids",
  "p_any_aws_arns",
  "p_any_aws_tags",
  "p_any_emails",
  "p_any_usernames",
  "p_any_actor_ids",
  "p_any_mac_addresses",
  "p_any_serial_numbers",
] as const;

export type PAnyField = (typeof P_ANY_FIELDS)[number];

export const IP = 0;
export const DOMAIN = 1;
export const MD5 = 2;
export const SHA1 = 3;
export const SHA256 = 4;
export const TRACE_ID = 5;
export const AWS_ACCOUNT_ID = 6;
export const AWS_INSTANCE_ID = 7;
export const AWS_ARN = 8;
export const AWS_TAG = 9;
export const EMAIL = 10;
export const USERNAME = 11;
export const ACTOR_ID = 12;
export const MAC = 13;
export const SERIAL_NUMBER = 14;

/** Where scanners put what they find. `field` is an index into P_ANY_FIELDS. */
export interface IndicatorSink {
  add(field: number, value: string): void;
}

/** One indicator name usable in a schema's `indicators:` list. */
export interface IndicatorScanner {
  /** The name written in schemas, e.g. "ip". */
  readonly name: string;
  /** The p_any fields it may fill (indices into P_ANY_FIELDS), for docs and validation. */
  readonly fields: readonly number[];
  /** Scan one string value (already coerced) and add what it finds to the sink. Never throws. */
  scan(value: string, sink: IndicatorSink): void;
}
