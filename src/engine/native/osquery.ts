/**
 * Osquery.Batch, Osquery.Differential, Osquery.Snapshot, Osquery.Status: osquery's result and
 * status logs (https://osquery.readthedocs.io/en/stable/deployment/logging/). Keys match
 * case-insensitively, and `calendarTime`, which osquery writes in C's asctime form with a zone
 * (`Tue Sep 11 16:14:21 2018 UTC`, a one-digit day padded with a space), reaches the schema as
 * RFC 3339.
 */
import { FieldError } from "../errors.js";
import { matchKeys } from "./keys.js";
import type { NativeParser } from "./types.js";

const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };
const WEEKDAYS = new Set(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
const CALENDAR_TIME = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) (?:UTC|GMT)$/;

/** `Tue Sep 11 16:14:21 2018 UTC` → `2018-09-11T16:14:21Z`; undefined when it is not one. */
export function calendarTime(v: string): string | undefined {
  const m = CALENDAR_TIME.exec(v);
  const month = m ? MONTHS[m[2] as string] : undefined;
  if (!m || !month || !WEEKDAYS.has(m[1] as string)) return undefined;
  return `${m[7]}-${month}-${(m[3] as string).padStart(2, "0")}T${m[4]}:${m[5]}:${m[6]}Z`;
}

export const osquery: NativeParser = {
  names: ["Osquery.Batch", "Osquery.Differential", "Osquery.Snapshot", "Osquery.Status"],
  format: "json",
  summary: "case-insensitive keys; calendarTime (`Tue Sep 11 16:14:21 2018 UTC`) read as RFC 3339",
  build(schema, compiled) {
    const name = schema.parser && "native" in schema.parser ? schema.parser.native.name : "Osquery";
    return {
      behaviour: {
        name,
        prepare(event) {
          const e = matchKeys(event, compiled.shape);
          const v = e.calendarTime;
          if (typeof v !== "string" || v === "") return e;
          const t = calendarTime(v);
          if (t === undefined) return new FieldError(["calendarTime"], `expected a time like "Tue Sep 11 16:14:21 2018 UTC", got ${JSON.stringify(v)}`);
          const out = e === event ? { ...e } : e;
          out.calendarTime = t;
          return out;
        },
      },
    };
  },
};
