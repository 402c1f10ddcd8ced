/**
 * GCP.AuditLog: Cloud Audit Logs entries (a LogEntry whose protoPayload is an AuditLog,
 * https://cloud.google.com/logging/docs/audit). Keys match case-insensitively; an entry whose
 * `protoPayload["@type"]` is not `type.googleapis.com/google.cloud.audit.AuditLog` is not an audit
 * log (Panther's parser rejects it), nor is one whose `logName` is not one of the audit logs
 * (activity, data_access, system_event, policy), so other GCP entries never classify as one. The event time
 * is the schema's (`timestamp`; a schema that also marks `receiveTimestamp` isEventTime falls back
 * to it, as Panther does).
 *
 * Indicators, as Panther's parser sets them whatever the schema says of these fields (an object
 * without `indicators`, a `json` field, or nothing): the caller's address
 * `protoPayload.requestMetadata.callerIp` and the LogEntry's `httpRequest.remoteIp` and
 * `httpRequest.serverIp`, when they are IP addresses. Nothing else inside the json fields
 * (`request`, `response`, `serviceData`, `labels`, …) is an indicator: Panther takes none from them.
 */
import { FieldError } from "../errors.js";
import { ip } from "../indicators/network.js";
import type { IndicatorSink } from "../indicators/fields.js";
import { valueAtIgnoringCase } from "./json-fields.js";
import { matchKeys } from "./keys.js";
import type { NativeParser } from "./types.js";

/** Where an audit log entry names IP addresses (keys matched ignoring case). */
const IP_PLACES: readonly (readonly string[])[] = [
  ["protoPayload", "requestMetadata", "callerIp"],
  ["httpRequest", "remoteIp"],
  ["httpRequest", "serverIp"],
];

export function scanAuditLogEntry(event: Record<string, unknown>, sink: IndicatorSink): void {
  for (const place of IP_PLACES) {
    const v = valueAtIgnoringCase(event, place);
    if (typeof v === "string") ip.scan(v, sink);
  }
}

const AUDIT_LOG_TYPE = "type.googleapis.com/google.cloud.audit.AuditLog";
/** The audit logs' ids (https://cloud.google.com/logging/docs/audit#types), URL-encoded as in logName. */
const AUDIT_LOG_IDS: ReadonlySet<string> = new Set(["cloudaudit.googleapis.com%2Factivity", "cloudaudit.googleapis.com%2Fdata_access", "cloudaudit.googleapis.com%2Fsystem_event", "cloudaudit.googleapis.com%2Fpolicy"]);

/** The value of the first key equal to `name` ignoring case. */
function keyIgnoringCase(o: Record<string, unknown>, name: string): [string, unknown] | undefined {
  for (const k of Object.keys(o)) if (k.toLowerCase() === name) return [k, o[k]];
  return undefined;
}

export function auditLogProblem(event: Record<string, unknown>): FieldError | undefined {
  const payload = keyIgnoringCase(event, "protopayload");
  if (!payload) return new FieldError(["protoPayload"], "required field is missing (a GCP audit log entry has a protoPayload)");
  const p = payload[1];
  if (p === null || typeof p !== "object" || Array.isArray(p)) return new FieldError([payload[0]], "expected an object (an AuditLog)");
  const type = keyIgnoringCase(p as Record<string, unknown>, "@type")?.[1];
  if (type !== AUDIT_LOG_TYPE) return new FieldError([payload[0], "@type"], `not a GCP audit log entry: expected ${JSON.stringify(AUDIT_LOG_TYPE)}, got ${type === undefined ? "nothing" : JSON.stringify(type)}`);
  // The log is one of the audit logs (its id is logName's last segment); a missing logName is the schema's to report.
  const logName = keyIgnoringCase(event, "logname");
  if (logName && typeof logName[1] === "string") {
    const id = logName[1].slice(logName[1].lastIndexOf("/") + 1);
    if (!AUDIT_LOG_IDS.has(id)) return new FieldError([logName[0]], `not a GCP audit log: the log id ${JSON.stringify(id)} is none of ${[...AUDIT_LOG_IDS].join(", ")}`);
  }
  return undefined;
}

export const gcpAuditLog: NativeParser = {
  names: ["GCP.AuditLog"],
  format: "json",
  summary: "case-insensitive keys; only entries whose protoPayload is an AuditLog; callerIp and httpRequest's remoteIp/serverIp as IP indicators",
  build(_schema, compiled) {
    return {
      behaviour: {
        name: "GCP.AuditLog",
        prepare: (event, inPlace) => auditLogProblem(event) ?? matchKeys(event, compiled.shape, inPlace),
        scanEvent: scanAuditLogEntry,
      },
    };
  },
};
