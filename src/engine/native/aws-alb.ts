/**
 * AWS.ALB: Application Load Balancer access logs, one space-separated line per request
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html).
 * Columns in AWS's order; `client:port` and `target:port` split in two; the quoted request line
 * split into method, URL and HTTP version; `actions_executed` a list (comma-separated), the
 * target port and status code lists too (space-separated); `-` is no value. Newer columns AWS
 * appends are read when present, unknown trailing ones ignored. The time is already RFC 3339.
 */
import { captureOfResult, LineFailure, type LineResult } from "../parsers/index.js";
import { present, splitTokens } from "./tokens.js";
import type { NativeParser } from "./types.js";

const TYPES = new Set(["http", "https", "h2", "grpcs", "ws", "wss"]);

/** Column → record field, for the plain columns (the split ones are handled in place). */
const PLAIN: ReadonlyArray<[number, string]> = [
  [0, "type"],
  [1, "timestamp"],
  [2, "elb"],
  [5, "requestProcessingTime"],
  [6, "targetProcessingTime"],
  [7, "responseProcessingTime"],
  [8, "elbStatusCode"],
  [9, "targetStatusCode"],
  [10, "receivedBytes"],
  [11, "sentBytes"],
  [13, "userAgent"],
  [14, "sslCipher"],
  [15, "sslProtocol"],
  [16, "targetGroupArn"],
  [17, "traceId"],
  [18, "domainName"],
  [19, "chosenCertArn"],
  [20, "matchedRulePriority"],
  [21, "requestCreationTime"],
  [23, "redirectUrl"],
  [24, "errorReason"],
  [27, "classification"],
  [28, "classificationReason"],
  [29, "connTraceId"],
];

/** Up to the trace id: every ALB log line since 2017 has these. */
const MIN_COLUMNS = 18;

/** `host:port` → [host, port]; IPv6 clients may come bracketed. */
function splitHostPort(v: string): [string, string | undefined] {
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    if (end > 0) return [v.slice(1, end), v[end + 1] === ":" ? v.slice(end + 2) : undefined];
  }
  const colon = v.lastIndexOf(":");
  if (colon < 0) return [v, undefined];
  return [v.slice(0, colon), v.slice(colon + 1)];
}

export function parseAlbLine(raw: string, tokens: string[]): LineResult {
  const line = raw.trim();
  const n = splitTokens(line, tokens);
  if (typeof n === "string") return new LineFailure(`not an ALB access log line: ${n}`, 0);
  if (n < MIN_COLUMNS) return new LineFailure(`not an ALB access log line: ${n} columns, expected at least ${MIN_COLUMNS}`, n / (MIN_COLUMNS + 1));
  if (!TYPES.has(tokens[0] as string)) return new LineFailure(`not an ALB access log line: the first column is the request type (http, https, h2, grpcs, ws, wss), got ${JSON.stringify(tokens[0])}`, 0.1);
  const r: Record<string, string | string[]> = {};
  for (const [col, name] of PLAIN) {
    const v = col < n ? tokens[col] : undefined;
    if (present(v)) r[name] = v;
  }
  const client = tokens[3] as string;
  if (present(client)) {
    const [ip, port] = splitHostPort(client);
    r.clientIp = ip;
    if (present(port)) r.clientPort = port;
  }
  const target = tokens[4] as string;
  if (present(target)) {
    const [ip, port] = splitHostPort(target);
    r.targetIp = ip;
    if (present(port)) r.targetPort = port;
  }
  // "GET https://example.com:443/path?q=1 HTTP/1.1"; "- - -" when the request never arrived whole.
  const request = (tokens[12] as string).split(" ");
  if (present(request[0])) r.requestHttpMethod = request[0];
  if (present(request[1])) r.requestUrl = request[1];
  if (present(request[2])) r.requestHttpVersion = request[2];
  const lists: ReadonlyArray<[number, string, string]> = [
    [22, "actionsExecuted", ","],
    [25, "targetPortList", " "],
    [26, "targetStatusCodeList", " "],
  ];
  for (const [col, name, sep] of lists) {
    const v = col < n ? tokens[col] : undefined;
    if (present(v)) r[name] = v.split(sep).filter(present);
  }
  return r;
}

export const alb: NativeParser = {
  names: ["AWS.ALB"],
  format: "text",
  summary: "access log lines: host:port and the request line split, lists for actions and target lists, `-` as no value",
  build() {
    const tokens: string[] = [];
    const parser = { eager: false, parse: (line: string) => parseAlbLine(line, tokens), capture: (line: string) => captureOfResult(parseAlbLine(line, tokens)) };
    return { behaviour: { name: "AWS.ALB" }, text: { kind: "native", wholeStream: false, open: () => parser } };
  },
};
