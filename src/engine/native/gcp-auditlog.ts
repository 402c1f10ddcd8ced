/**
 * GCP.AuditLog: Cloud Audit Logs entries (a LogEntry whose protoPayload is an AuditLog,
 * https://cloud.google.com/logging/docs/audit). Keys match case-insensitively; an entry whose
 * `protoPayload["@type"]` is not `type.googleapis.com/google.cloud.audit.AuditLog` is not an audit
 * log (Panther's parser rejects it), so other GCP entries never classify as one. The event time
 * is the schema's (`timestamp`).
 */
import { FieldError } from "../errors.js";
import { matchKeys } from "./keys.js";
import type { NativeParser } from "./types.js";

const AUDIT_LOG_TYPE = "type.googleapis.com/google.cloud.audit.AuditLog";

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
  return undefined;
}

export const gcpAuditLog: NativeParser = {
  names: ["GCP.AuditLog"],
  format: "json",
  summary: "case-insensitive keys; only entries whose protoPayload is an AuditLog",
  build(_schema, compiled) {
    return {
      behaviour: {
        name: "GCP.AuditLog",
        prepare: (event) => auditLogProblem(event) ?? matchKeys(event, compiled.shape),
      },
    };
  },
};
