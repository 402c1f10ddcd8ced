/**
 * AWS.VPCFlow: VPC flow log records, space-separated
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html). Without a header the
 * columns are the default (version 2) format; a header line (`version account-id …`, or any
 * custom format's field names) sets the columns for the lines after it in that file, so custom
 * formats in any order work. Field names become Panther's (`srcaddr` → `srcAddr`, `log-status` →
 * `logStatus`); `start` and `end` (unix seconds) become RFC 3339; `-` is no value.
 */
import { captureOfResult, LineFailure, SKIP, type LineCapture, type LineResult, type TextParser } from "../parsers/index.js";
import { present, splitTokens } from "./tokens.js";
import type { NativeParser } from "./types.js";

const DEFAULT_FORMAT = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"];

/** Field names whose record name is not their plain camelCase. */
const SPECIAL: Readonly<Record<string, string>> = {
  srcaddr: "srcAddr",
  dstaddr: "dstAddr",
  srcport: "srcPort",
  dstport: "dstPort",
  "pkt-srcaddr": "pktSrcAddr",
  "pkt-dstaddr": "pktDstAddr",
};

/** Every field AWS documents (versions 2 to 8), to recognise a header line. */
const KNOWN = new Set([
  ...DEFAULT_FORMAT,
  "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr", "region", "az-id",
  "sublocation-type", "sublocation-id", "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
  "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id", "ecs-container-id",
  "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn", "ecs-task-id", "reject-reason",
]);

export function recordName(field: string): string {
  return SPECIAL[field] ?? field.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

const TIME_FIELDS = new Set(["start", "end"]);
const ACTIONS = new Set(["ACCEPT", "REJECT"]);
const STATUSES = new Set(["OK", "NODATA", "SKIPDATA"]);

/** A header: field names only, mostly ones AWS documents. */
function isHeader(tokens: readonly string[], n: number): boolean {
  let known = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i] as string;
    if (!/^[a-z][a-z0-9-]*$/.test(t)) return false;
    if (KNOWN.has(t)) known++;
  }
  return known >= Math.min(3, n) && known * 2 >= n;
}

/** Unix seconds as RFC 3339 (`1700000000` → `2023-11-14T22:13:20Z`); other text as it is. */
function unixToRfc3339(v: string): string {
  if (!/^[0-9]{1,11}$/.test(v)) return v;
  return new Date(Number(v) * 1000).toISOString().replace(".000Z", "Z");
}

class VpcFlowParser implements TextParser {
  eager = true;
  private columns: string[] = DEFAULT_FORMAT;
  private names: string[] = DEFAULT_FORMAT.map(recordName);
  private readonly tokens: string[] = [];

  /** What parse makes of the line, leaving the header read so far as it was. */
  capture(raw: string): LineCapture {
    const { eager, columns, names } = this;
    try {
      return captureOfResult(this.parse(raw));
    } finally {
      this.eager = eager;
      this.columns = columns;
      this.names = names;
    }
  }

  parse(raw: string): LineResult {
    const first = this.eager;
    this.eager = false;
    const tokens = this.tokens;
    const n = splitTokens(raw.trim(), tokens);
    if (typeof n === "string") return new LineFailure(`not a VPC flow log line: ${n}`, 0);
    if (n === 0) return new LineFailure("not a VPC flow log line: empty", 0);
    if (isHeader(tokens, n)) {
      this.columns = tokens.slice(0, n);
      this.names = this.columns.map(recordName);
      return SKIP;
    }
    if (n !== this.columns.length) {
      const format = this.columns === DEFAULT_FORMAT ? "the default format (version 2; a header line sets another)" : "the header";
      return new LineFailure(`not a VPC flow log line: ${n} values, expected ${this.columns.length} as in ${format}`, first ? 0 : 0.3);
    }
    const r: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const v = tokens[i] as string;
      if (!present(v)) continue;
      const field = this.columns[i] as string;
      if ((field === "action" && !ACTIONS.has(v)) || (field === "log-status" && !STATUSES.has(v)) || (field === "version" && !/^[0-9]+$/.test(v))) {
        return new LineFailure(`not a VPC flow log line: ${field} is ${JSON.stringify(v)}`, 0.5);
      }
      r[this.names[i] as string] = TIME_FIELDS.has(field) ? unixToRfc3339(v) : v;
    }
    return r;
  }
}

export const vpcFlow: NativeParser = {
  names: ["AWS.VPCFlow"],
  format: "text",
  summary: "flow log lines in the default (v2) format, or in a custom format's order given by a header line; start/end as RFC 3339",
  build() {
    // A header belongs to the file it heads, so each input stream gets its own parser.
    return { behaviour: { name: "AWS.VPCFlow" }, text: { kind: "native", wholeStream: true, open: () => new VpcFlowParser() } };
  },
};
