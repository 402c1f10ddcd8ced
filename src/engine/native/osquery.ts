/**
 * Osquery.Batch, Osquery.Differential, Osquery.Snapshot, Osquery.Status: osquery's result and
 * status logs (https://osquery.readthedocs.io/en/stable/deployment/logging/). Keys match
 * case-insensitively, and `calendarTime`, which osquery writes in C's asctime form with a zone
 * (`Tue Sep 11 16:14:21 2018 UTC`, a one-digit day padded with a space), reaches the schema as
 * RFC 3339. Differential and status logs shipped by osquery's remote loggers name their kind
 * `log_type`; it fills a schema's `logType` field when the event has no `logType` of its own.
 *
 * Indicators, as Panther's parsers set them whatever the schema declares: the host's name
 * (`hostIdentifier`; `hostname` in batch logs) as a domain (an IP address as an IP); and for
 * Osquery.Differential, inside the `columns` json field, the columns `local_address`,
 * `remote_address`, `address`, `host_ip` and `ipv4_address` when they are IP addresses, and
 * `host` as an IP address or else a domain. The rows of snapshot and batch logs are not scanned
 * (Panther does not scan them).
 */
import { FieldError } from "../errors.js";
import type { IndicatorSink } from "../indicators/fields.js";
import { addHostname, ip } from "../indicators/network.js";
import { valueAtIgnoringCase } from "./json-fields.js";
import { matchKeys } from "./keys.js";
import type { NativeParser } from "./types.js";

/** Differential columns that hold IP addresses (osquery's column names, exact). */
const IP_COLUMNS = ["local_address", "remote_address", "address", "host_ip", "ipv4_address"];

function scanColumns(columns: unknown, sink: IndicatorSink): void {
  if (columns === null || typeof columns !== "object" || Array.isArray(columns)) return;
  const c = columns as Record<string, unknown>;
  for (const k of IP_COLUMNS) {
    const v = Object.hasOwn(c, k) ? c[k] : undefined;
    if (typeof v === "string") ip.scan(v, sink);
  }
  const host = Object.hasOwn(c, "host") ? c.host : undefined;
  if (typeof host === "string") addHostname(host, sink);
}

const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };
const WEEKDAYS = new Set(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
const CALENDAR_TIME = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) (?:UTC|GMT)$/;

/** The last calendarTime read and its RFC 3339 text. */
let lastCalendar: { text: string; rfc3339: string } | undefined;

/** `Tue Sep 11 16:14:21 2018 UTC` → `2018-09-11T16:14:21Z`; undefined when it is not one. */
export function calendarTime(v: string): string | undefined {
  // The events of one query run share their calendarTime: the last answer is kept.
  if (v === lastCalendar?.text) return lastCalendar.rfc3339;
  const m = CALENDAR_TIME.exec(v);
  const month = m ? MONTHS[m[2] as string] : undefined;
  if (!m || !month || !WEEKDAYS.has(m[1] as string)) return undefined;
  const rfc3339 = `${m[7]}-${month}-${(m[3] as string).padStart(2, "0")}T${m[4]}:${m[5]}:${m[6]}Z`;
  lastCalendar = { text: v, rfc3339 };
  return rfc3339;
}

export const osquery: NativeParser = {
  names: ["Osquery.Batch", "Osquery.Differential", "Osquery.Snapshot", "Osquery.Status"],
  format: "json",
  summary: "case-insensitive keys; calendarTime (`Tue Sep 11 16:14:21 2018 UTC`) read as RFC 3339; the host as a domain, and addresses in a differential's columns",
  build(schema, compiled) {
    const name = schema.parser && "native" in schema.parser ? schema.parser.native.name : "Osquery";
    const hostKey = name === "Osquery.Batch" ? "hostname" : "hostIdentifier";
    const differential = name === "Osquery.Differential";
    const fields = compiled.shape.kind === "object" ? compiled.shape.fields : new Map();
    // Only where the schema has a logType field and no log_type of its own.
    const logTypeFromUnderscore = fields.has("logType") && !fields.has("log_type");
    return {
      behaviour: {
        name,
        prepare(event) {
          let e = matchKeys(event, compiled.shape);
          if (logTypeFromUnderscore && Object.hasOwn(e, "log_type") && !Object.hasOwn(e, "logType")) {
            const { log_type: kind, ...rest } = e;
            e = { ...rest, logType: kind };
          }
          const v = e.calendarTime;
          if (typeof v !== "string" || v === "") return e;
          const t = calendarTime(v);
          if (t === undefined) return new FieldError(["calendarTime"], `expected a time like "Tue Sep 11 16:14:21 2018 UTC", got ${JSON.stringify(v)}`);
          const out = e === event ? { ...e } : e;
          out.calendarTime = t;
          return out;
        },
        scanEvent(event, sink) {
          const host = valueAtIgnoringCase(event, [hostKey]);
          if (typeof host === "string") addHostname(host, sink);
          if (differential) scanColumns(valueAtIgnoringCase(event, ["columns"]), sink);
        },
      },
    };
  },
};
