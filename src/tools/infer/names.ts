/**
 * What a JSON key says about its values, for schema inference: the words in a name
 * ("hexTraceId" → hex, trace, id) and the hints built on them (a time, a trace id, an actor…),
 * plus the checks that keep an inferred field list valid (reserved names, collisions).
 */
import { isReservedName } from "../../language/check.js";

/** The lower-case words of a name: split at camelCase humps, digits runs stay with letters, and at any other character. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** Words that make a number a candidate for a unix time (with a plausible value). */
const TIME_WORDS = new Set([
  "time",
  "timestamp",
  "date",
  "datetime",
  "ts",
  "epoch",
  "when",
  "created",
  "updated",
  "modified",
  "deleted",
  "expires",
  "expiry",
  "expiration",
  "iat",
  "exp",
  "nbf",
]);

/** Whether a name says its value is a point in time: `created`, `ts`, `loginTime`, `completedAt`, `updatedOn`. */
export function isTimeName(words: readonly string[]): boolean {
  if (words.some((w) => TIME_WORDS.has(w))) return true;
  const last = words[words.length - 1];
  return words.length >= 2 && (last === "at" || last === "on");
}

/** Names that are never the event time: when something expires, or a birthday. */
const NOT_EVENT_TIME = new Set(["expires", "expiry", "expiration", "exp", "nbf", "until", "deadline", "birth", "birthday", "dob"]);
/** Times of what happened to the event afterwards: used only when nothing better exists. */
const LATE_TIME = new Set(["received", "ingested", "ingestion", "delivered", "delivery", "processed", "published", "sent", "updated", "modified", "deleted", "last", "end", "ended", "finished", "completed", "parsed"]);
const PLAIN_TIME = new Set(["timestamp", "time", "ts", "date", "datetime", "at", "log"]);
const START_TIME = new Set(["created", "creation", "start", "started", "begin", "issued", "iat", "logged", "generated", "emitted"]);

/**
 * How likely a timestamp field is the event time, judged by its name: 0 best (`occurred_at`,
 * `eventTime`), 1 plain (`timestamp`, `time`, `@timestamp`, `date`), 2 a start (`created_at`),
 * 3 any other name, 4 a later stage (`received_at`, `updated`), undefined never (`expires_at`).
 */
export function eventTimeRank(words: readonly string[]): number | undefined {
  if (words.some((w) => NOT_EVENT_TIME.has(w))) return undefined;
  if (words.includes("occurred") || words.includes("occurrence")) return 0;
  if (words.includes("event") && words.some((w) => PLAIN_TIME.has(w))) return 0;
  if (words.some((w) => LATE_TIME.has(w))) return 4;
  if (words.length > 0 && words.every((w) => PLAIN_TIME.has(w))) return 1;
  if (words.some((w) => START_TIME.has(w))) return 2;
  return 3;
}

/** Who did something: the owner of an `id` or `name` field inside an object named like this. */
const ACTOR_WORDS = new Set(["actor", "user", "principal", "owner", "member", "subject", "caller", "initiator"]);

/** The hints a field's name (and its parent's) give about its values. */
export interface NameHints {
  time: boolean;
  eventTimeRank: number | undefined;
  traceId: boolean;
  actorId: boolean;
  username: boolean;
  host: boolean;
  domain: boolean;
  account: boolean;
  /** Names of digests (`md5`, `fileHash`, `checksum`). */
  hash: boolean;
  /** Names of identifiers and secrets: a hex value there is an id, not a digest. */
  notHash: boolean;
}

const HASH_WORDS = new Set(["hash", "md5", "sha1", "sha256", "sha", "digest", "checksum", "fingerprint"]);
const NOT_HASH_WORDS = new Set(["id", "ids", "jti", "key", "token", "session", "nonce", "secret", "salt", "uuid", "guid", "trace", "span", "request", "correlation", "commit"]);

export function nameHints(name: string, parentName: string | undefined): NameHints {
  const words = nameWords(name);
  const parent = parentName === undefined ? [] : nameWords(parentName);
  const last = words[words.length - 1];
  const has = (w: string): boolean => words.includes(w);
  const actorParent = parent.some((w) => ACTOR_WORDS.has(w));
  const traceId = has("trace") || has("correlation") || ((has("request") || has("span") || has("transaction")) && last === "id");
  const joined = words.join("_");
  return {
    time: isTimeName(words),
    eventTimeRank: eventTimeRank(words),
    traceId,
    actorId:
      !traceId &&
      (last === "id" || last === "uid") &&
      (words.slice(0, -1).some((w) => ACTOR_WORDS.has(w)) || (words.length === 1 && actorParent)),
    username:
      joined.endsWith("username") ||
      joined.endsWith("user_name") ||
      joined === "user" ||
      joined === "login" ||
      joined === "login_name" ||
      (last === "name" && (words.slice(0, -1).some((w) => ACTOR_WORDS.has(w)) || (words.length === 1 && actorParent))),
    host: has("host") || has("hostname") || has("fqdn"),
    domain: has("domain"),
    account: has("account"),
    hash: words.some((w) => HASH_WORDS.has(w)),
    notHash: words.some((w) => NOT_HASH_WORDS.has(w)),
  };
}

/**
 * The key two names collide on: case folded, accents dropped, and every character other than a
 * letter, digit or `_` read as `_` — the data lake turns names into column names much like this,
 * so `userAgent`/`UserAgent` and `user-agent`/`user_agent` would become one column.
 */
export function columnKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
}

/** Why a key cannot be a field name of its own, or undefined when it can. */
export function unusableName(name: string, topLevel: boolean): string | undefined {
  if (name === "") return "an empty key cannot be a field name";
  if (name.includes(",")) return "names with a comma are cut at the comma by Panther";
  if (topLevel && isReservedName(name)) return `"${name}" is a name Panther reserves for its own fields`;
  return undefined;
}
