/**
 * Webhook authentication as Panther's HTTP source does it: a shared secret in a named header
 * (Hex) or a bearer token (Auth0). Secrets are compared as SHA-256 digests with
 * timingSafeEqual, so neither the comparison time nor its length tells how close a guess was.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export type WebhookAuth =
  | { kind: "none" }
  | { kind: "secret-header"; header: string; digest: Buffer }
  | { kind: "bearer"; digest: Buffer };

/** RFC 9110 token: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `NAME:VALUE` → the auth, or a message that never repeats the value. */
export function secretHeaderAuth(spec: string): WebhookAuth | string {
  const colon = spec.indexOf(":");
  const name = colon < 0 ? "" : spec.slice(0, colon).trim();
  const value = colon < 0 ? "" : spec.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name) || value === "") return "--secret-header must be NAME:VALUE (a header name, a colon, then the secret)";
  if (name.toLowerCase() === "authorization") return "--secret-header cannot use the Authorization header; use --bearer for bearer tokens";
  return { kind: "secret-header", header: name.toLowerCase(), digest: digest(value) };
}

export function bearerAuth(token: string): WebhookAuth | string {
  const t = token.trim();
  if (t === "" || /\s/.test(t)) return "--bearer must be a token without spaces";
  return { kind: "bearer", digest: digest(t) };
}

/** Whether a request carries the right credentials. Missing and wrong look the same to the caller. */
export function authorized(headers: IncomingHttpHeaders, auth: WebhookAuth): boolean {
  if (auth.kind === "none") return true;
  let given = "";
  if (auth.kind === "secret-header") {
    const v = headers[auth.header];
    given = (Array.isArray(v) ? v.join(", ") : v) ?? "";
  } else {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? "");
    given = m?.[1] ?? "";
  }
  // Compare even when nothing was given, so a missing header costs the same time as a wrong one.
  const same = timingSafeEqual(digest(given), auth.digest);
  return same && given !== "";
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
