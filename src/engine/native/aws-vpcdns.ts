/**
 * AWS.VPCDns: Route 53 Resolver query logs, one JSON object per query. Beyond its fields, the
 * parser knows what the values mean: the query name is a domain (its final dot dropped), each
 * answer's `Rdata` is an IP address for A/AAAA answers and a domain for name answers (CNAME, NS,
 * PTR, MX's exchange, SRV's target), the source address is an IP and `srcids.instance` an
 * instance id. A YAML indicator list cannot say "ip or domain depending on a sibling field".
 */
import { isAwsInstanceId } from "../indicators/aws.js";
import { AWS_INSTANCE_ID, IP, type IndicatorSink } from "../indicators/fields.js";
import { domain, isStrictIP } from "../indicators/network.js";
import { matchKeys } from "./keys.js";
import type { NativeParser } from "./types.js";

function addName(v: unknown, sink: IndicatorSink): void {
  if (typeof v !== "string") return;
  const name = v.endsWith(".") ? v.slice(0, -1) : v;
  if (name === "") return;
  if (isStrictIP(name)) sink.add(IP, name);
  else domain.scan(name, sink);
}

/** The name an answer's Rdata points to (`10 mail.example.com.` for MX, `0 5 443 host.` for SRV). */
function answerName(type: string, rdata: string): string | undefined {
  const parts = rdata.trim().split(/\s+/);
  switch (type) {
    case "CNAME":
    case "NS":
    case "PTR":
    case "DNAME":
      return parts[0];
    case "MX":
      return parts[1];
    case "SRV":
      return parts[3];
    default:
      return undefined;
  }
}

function get(o: unknown, key: string): unknown {
  return o !== null && typeof o === "object" && !Array.isArray(o) && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

export const vpcDns: NativeParser = {
  names: ["AWS.VPCDns"],
  format: "json",
  summary: "case-insensitive keys; query names, answers (IP or domain by record type), source address and instance id as indicators",
  build(_schema, compiled) {
    return {
      behaviour: {
        name: "AWS.VPCDns",
        prepare: (event, inPlace) => matchKeys(event, compiled.shape, inPlace),
        scan(record, sink) {
          addName(record.query_name, sink);
          const src = record.srcaddr;
          if (typeof src === "string" && isStrictIP(src)) sink.add(IP, src);
          const instance = get(record.srcids, "instance");
          if (typeof instance === "string" && isAwsInstanceId(instance)) sink.add(AWS_INSTANCE_ID, instance);
          const answers = record.answers;
          if (!Array.isArray(answers)) return;
          for (const a of answers) {
            const rdata = get(a, "Rdata");
            if (typeof rdata !== "string") continue;
            const type = String(get(a, "Type") ?? "").toUpperCase();
            if (type === "A" || type === "AAAA") {
              if (isStrictIP(rdata)) sink.add(IP, rdata);
            } else {
              addName(answerName(type, rdata), sink);
            }
          }
        },
      },
    };
  },
};
