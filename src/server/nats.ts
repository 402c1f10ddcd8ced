/**
 * Connecting to NATS the way every hexlog command does: credentials from a file, a token or a
 * TLS CA, reconnects with a growing delay, and errors that say what to fix. Failures are values
 * ({ok:false, message}) for the command to print; nothing here writes to a terminal.
 */
import { readFileSync } from "node:fs";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";

export interface NatsAuth {
  /** A NATS credentials file (user JWT and nkey seed), as `nats context` and nsc write them. */
  creds?: string | undefined;
  token?: string | undefined;
  /** A PEM file of the CA that signed the server's certificate (also turns TLS on). */
  tlsCa?: string | undefined;
}

export interface NatsTarget extends NatsAuth {
  /** One URL, or several comma-separated (the servers of a cluster). */
  servers: string;
  /** Shown in the server's connection list (`nats server report connections`). */
  name: string;
}

export type Connected = { ok: true; nc: NatsConnection } | { ok: false; message: string };

/** Reconnect delays grow from this to MAX_DELAY_MS, with jitter so workers do not reconnect in step. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5000;

export async function connectNats(target: NatsTarget, onStatus?: (line: string) => void): Promise<Connected> {
  const options = connectionOptions(target);
  if (typeof options === "string") return { ok: false, message: options };
  let attempt = 0;
  let nc: NatsConnection;
  try {
    nc = await connect({
      ...options,
      // A worker outlives server restarts and network cuts: it never gives up reconnecting.
      maxReconnectAttempts: -1,
      reconnectDelayHandler: () => {
        const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt++, 10));
        return delay / 2 + Math.random() * (delay / 2);
      },
    });
  } catch (e) {
    return { ok: false, message: describeConnectError(target, e) };
  }
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "reconnect") attempt = 0;
      if (!onStatus) continue;
      if (s.type === "disconnect") onStatus(`disconnected from ${s.server}; reconnecting`);
      else if (s.type === "reconnect") onStatus(`reconnected to ${s.server}`);
      else if (s.type === "error") onStatus(`connection error: ${s.error.message}`);
    }
  })();
  return { ok: true, nc };
}

function connectionOptions(target: NatsTarget): ConnectionOptions | string {
  const servers = target.servers
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (servers.length === 0) return "--nats needs a server URL, e.g. nats://127.0.0.1:4222";
  for (const s of servers) {
    if (!/^(?:(?:nats|tls|wss?):\/\/)?[^\s/]+$/.test(s)) return `--nats: "${s}" is not a NATS server URL (nats://host:port)`;
  }
  const options: ConnectionOptions = { servers, name: target.name };
  if (target.creds !== undefined && target.token !== undefined) return "give either --creds or --token, not both";
  if (target.creds !== undefined) {
    let text: Buffer;
    try {
      text = readFileSync(target.creds);
    } catch (e) {
      return `cannot read the credentials file ${target.creds}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`;
    }
    if (!/-----BEGIN NATS USER JWT-----/.test(text.toString("latin1")) || !/-----BEGIN USER NKEY SEED-----/.test(text.toString("latin1"))) {
      return `--creds ${target.creds} is not a NATS credentials file (it needs a "BEGIN NATS USER JWT" and a "BEGIN USER NKEY SEED" block)`;
    }
    options.authenticator = credsAuthenticator(new Uint8Array(text));
  }
  if (target.token !== undefined) {
    if (target.token === "") return "--token is empty";
    options.token = target.token;
  }
  if (target.tlsCa !== undefined) {
    try {
      readFileSync(target.tlsCa);
    } catch (e) {
      return `cannot read the TLS CA file ${target.tlsCa}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`;
    }
    options.tls = { caFile: target.tlsCa };
  }
  return options;
}

/** What went wrong connecting, in terms of the flags that fix it. */
export function describeConnectError(target: NatsTarget, e: unknown): string {
  const err = e as Error & { cause?: Error & { code?: string } };
  const where = shownServers(target.servers);
  const cause = err.cause;
  const text = `${err.message}${cause ? `: ${cause.message}` : ""}`;
  if (err.name === "AuthorizationError" || /authorization|authentication/i.test(text)) {
    const how = target.creds !== undefined ? "--creds" : target.token !== undefined ? "--token" : "no credentials";
    return `the NATS server at ${where} refused the connection: ${err.message} (sent ${how}${how === "no credentials" ? "; give --creds or --token" : ""})`;
  }
  if (/does not support 'tls'|tls.*not.*(required|available)/i.test(text)) {
    return `the NATS server at ${where} does not use TLS, but --tls-ca asks for it (leave --tls-ca out)`;
  }
  if (/requires? tls|tls required/i.test(text)) return `the NATS server at ${where} requires TLS: give --tls-ca with its CA certificate`;
  if (/certificate|self[- ]signed|unable to verify|CERT_|altnames/i.test(text)) {
    return `TLS with the NATS server at ${where} failed: ${text}${target.tlsCa === undefined ? " (give --tls-ca with the CA that signed its certificate)" : ""}`;
  }
  if (cause?.code === "ECONNREFUSED" || /connection refused/i.test(text)) return `cannot connect to NATS at ${where}: connection refused (is nats-server running? start it with: nats-server -js)`;
  if (cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN") return `cannot connect to NATS at ${where}: no such host`;
  return `cannot connect to NATS at ${where}: ${text}`;
}

/** A subject to publish on: tokens of printable characters without wildcards. */
export function subjectProblem(subject: string, flag: string): string | undefined {
  if (subject === "") return `${flag} needs a subject`;
  if (/[\s*>]/.test(subject) || subject.split(".").some((t) => t === "")) {
    return `${flag} "${subject}" is not a subject to publish on (dot-separated tokens, no spaces or wildcards * >)`;
  }
  return undefined;
}

/** Server URLs for messages: credentials written into a URL (nats://user:pass@host) left out. */
export function shownServers(servers: string): string {
  return servers.replace(/\/\/[^@/\s,]*@/g, "//");
}
