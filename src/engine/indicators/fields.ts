/**
 * The p_any_* indicator fields, in the fixed order records list them, each with the short kind
 * name users see (`--indicators`, explain). Scanners refer to a field by its index in this list
 * (cheap on the hot path); everything else that lists p_any fields derives from it.
 */
export const P_ANY = [
  { field: "p_any_ip_addresses", kind: "ip" },
  { field: "p_any_domain_names", kind: "domain" },
  { field: "p_any_md5_hashes", kind: "md5" },
  { field: "p_any_sha1_hashes", kind: "sha1" },
  { field: "p_any_sha256_hashes", kind: "sha256" },
  { field: "p_any_trace_ids", kind: "trace_id" },
  { field: "p_any_aws_account_ids", kind: "aws_account_id" },
  { field: "p_any_aws_instance_ids", kind: "aws_instance_id" },
  { field: "p_any_aws_arns", kind: "aws_arn" },
  { field: "p_any_aws_tags", kind: "aws_tag" },
  { field: "p_any_emails", kind: "email" },
  { field: "p_any_usernames", kind: "username" },
  { field: "p_any_actor_ids", kind: "actor_id" },
  { field: "p_any_mac_addresses", kind: "mac" },
  { field: "p_any_serial_numbers", kind: "serial_number" },
] as const;

export type PAnyField = (typeof P_ANY)[number]["field"];
export type IndicatorKind = (typeof P_ANY)[number]["kind"];

export const P_ANY_FIELDS: readonly PAnyField[] = P_ANY.map((p) => p.field);
export const INDICATOR_KINDS: readonly IndicatorKind[] = P_ANY.map((p) => p.kind);

function indexOf(kind: IndicatorKind): number {
  return INDICATOR_KINDS.indexOf(kind);
}

export const IP = indexOf("ip");
export const DOMAIN = indexOf("domain");
export const MD5 = indexOf("md5");
export const SHA1 = indexOf("sha1");
export const SHA256 = indexOf("sha256");
export const TRACE_ID = indexOf("trace_id");
export const AWS_ACCOUNT_ID = indexOf("aws_account_id");
export const AWS_INSTANCE_ID = indexOf("aws_instance_id");
export const AWS_ARN = indexOf("aws_arn");
export const AWS_TAG = indexOf("aws_tag");
export const EMAIL = indexOf("email");
export const USERNAME = indexOf("username");
export const ACTOR_ID = indexOf("actor_id");
export const MAC = indexOf("mac");
export const SERIAL_NUMBER = indexOf("serial_number");

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
