/**
 * `hexlog serve`: runs the webhook handler (server/webhook.ts) on an HTTP or HTTPS server.
 * Records go to stdout or -o, dead letters to --errors. SIGINT/SIGTERM stop accepting, let
 * requests in flight finish, flush, and exit 0.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { RowIds } from "../engine/rowid.js";
import { bearerAuth, secretHeaderAuth, type WebhookAuth } from "../server/auth.js";
import { shownServers } from "../server/nats.js";
import { openRawPublisher, parseRawTarget, type RawPublisher, type RawTarget } from "../server/publish-raw.js";
import { createWebhookHandler } from "../server/webhook.js";
import { paletteFor } from "../output/color.js";
import { deadLetter, errorLine, plural, summary } from "../output/report.js";
import { escapeText } from "../output/escape.js";
import { LineSink } from "../output/sink.js";
import { systemClock } from "../pipeline/clock.js";
import { describeFsError, loadLogTypes, schemaProblemLines, selectTypes, type TypeChoiceOptions } from "./load-types.js";
import { chooseSource } from "./load-sources.js";
import { EXIT_INTERRUPTED, EXIT_OK, OutputError, UsageError } from "./errors.js";
import { checkStdout, openOutputFile, refuseOutputsThatAreInputs } from "./outputs.js";
import { describeWriteError, parseNow, STOP_SIGNALS } from "./parse.js";
import { reclaimAfter } from "./reclaim-memory.js";

/** Refused requests between two collections of their socket reads (reclaim-memory.ts). */
const REFUSALS_PER_COLLECTION = 64;

/** Seconds shutdown waits for requests in flight and the output (--shutdown-timeout). */
const DEFAULT_SHUTDOWN_SECONDS = 10;

export interface ServeOptions extends TypeChoiceOptions {
  port: number;
  host: string;
  secretHeader?: string;
  bearer?: string;
  tlsCert?: string;
  tlsKey?: string;
  output?: string;
  errors?: string;
  maxBody: number;
  maxEventBytes: number;
  timeout: number;
  /** Seconds shutdown waits for requests in flight and the output before it cuts them off. */
  shutdownTimeout?: number;
  /** Requests whose bodies are read or processed at once; more get 503 with Retry-After. */
  maxConnections?: number;
  maxBuffered?: number;
  /** false (`--no-auth`): listening beyond loopback without authentication is allowed. */
  auth?: boolean;
  now?: string;
  seed?: number;
  quiet?: boolean;
  /** `URL/SUBJECT`: accepted bodies go to this JetStream subject instead of being normalized here. */
  publishRaw?: string;
  natsCreds?: string;
  natsToken?: string;
  natsTlsCa?: string;
}

export async function runServe(opts: ServeOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const auth = webhookAuth(opts);
  const tls = readTls(opts);
  const loaded = await loadLogTypes(opts.schemas ?? []);
  const typeArgs = (opts.type ?? []).flatMap((t) => t.split(",")).filter((t) => t !== "");
  const chosen = opts.source === undefined ? undefined : await chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs, loaded.problems);
  const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);
  const raw = opts.publishRaw === undefined ? undefined : await openRaw(opts);

  if (auth.kind === "none" && !isLoopbackHost(opts.host) && opts.auth !== false) {
    throw new UsageError(`no authentication on ${opts.host}, which other machines can reach: give --secret-header or --bearer, or --no-auth to allow anyone`);
  }
  // Outputs before the server starts: unwritable, or the same file as another output or a
  // file serve reads (schemas, sources, TLS), is exit 2.
  const outputs = [
    ...(opts.output ? [{ flag: "-o", path: opts.output }] : []),
    ...(opts.errors ? [{ flag: "--errors", path: opts.errors }] : []),
  ];
  const readFiles = [...(opts.schemas ?? []), ...(opts.sources ? [opts.sources] : []), ...(opts.tlsCert ? [opts.tlsCert] : []), ...(opts.tlsKey ? [opts.tlsKey] : [])];
  refuseOutputsThatAreInputs(readFiles, outputs, !opts.output);
  if (opts.output && opts.errors) refuseOutputsThatAreInputs([opts.output], [{ flag: "--errors", path: opts.errors }], false);
  if (!opts.output) checkStdout();
  const outStream: Writable = opts.output ? openOutputFile(opts.output) : process.stdout;
  const out = new LineSink(outStream);
  const deadLetters = opts.errors ? new LineSink(openOutputFile(opts.errors)) : undefined;
  const stderr = new LineSink(process.stderr);
  const errC = await paletteFor(process.stderr);
  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(escapeText(line)));
  if (!opts.quiet) for (const w of loaded.warnings) stderr.writeLine(errC.yellow(escapeText(w)));

  const clock = fixedNow ?? systemClock;
  let stopping = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      if (stopping) return;
      stopping = true;
      handler.stop();
      resolve();
    };
  });

  const reclaim = reclaimAfter(REFUSALS_PER_COLLECTION);
  const handler = createWebhookHandler({
    types: selected.map((t) => t.logType),
    clock,
    rowIds: new RowIds(opts.seed, clock.now().ms),
    sourceId: opts.sourceId ?? chosen?.source.id,
    sourceLabel: opts.sourceLabel ?? chosen?.source.label,
    maxEventBytes: Math.min(opts.maxEventBytes, opts.maxBody),
    auth,
    maxBodyBytes: raw ? Math.min(opts.maxBody, raw.maxBody) : opts.maxBody,
    maxBodiesInFlight: opts.maxConnections,
    maxBufferedBytes: opts.maxBuffered,
    // Half the request timeout: a request held back unread must be answered 503 before Node's
    // own check answers it 408, blaming a sender that did nothing wrong.
    maxOutputWaitMs: (opts.timeout * 1000) / 2,
    records: out,
    deadLetters,
    deadLetter,
    // -q keeps error lines, as in parse: they are findings.
    onFailure: (f) => stderr.writeLine(errC.red(errorLine(f))),
    onRefused: (request, status, message, req) => {
      reclaim();
      // The method and path are the client's own bytes.
      if (!opts.quiet) stderr.writeLine(errC.yellow(escapeText(`hexlog: http#${request}: ${status} ${message} (${req.method} ${pathOf(req)} from ${req.socket.remoteAddress ?? "?"})`)));
      void stderr.flush();
    },
    onOutputFailed: () => stop(),
    forward: raw ? (body) => raw.publisher.publish(body) : undefined,
    onForwardFailed: (request, e) => {
      if (!opts.quiet) stderr.writeLine(errC.red(`hexlog: http#${request}: 503: the stream did not store the body: ${e.message}`));
      void stderr.flush();
    },
  });

  const inFlight = new Set<Promise<void>>();
  const serverOptions: ServerOptions = { requestTimeout: opts.timeout * 1000, headersTimeout: opts.timeout * 1000, connectionsCheckingInterval: Math.min(1000, opts.timeout * 500) };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const p = handler(req, res).catch((e: unknown) => {
      stderr.writeLine(errC.red(`hexlog: internal error: ${escapeText((e as Error)?.message ?? String(e))}`));
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { "content-type": "application/json" }).end('{"error":"internal error"}\n');
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  let server: Server;
  try {
    server = tls ? createHttpsServer({ ...serverOptions, ...tls }, onRequest) : createHttpServer(serverOptions, onRequest);
  } catch (e) {
    throw new UsageError(`cannot use the TLS certificate and key: ${(e as Error).message}`);
  }

  // Before listening: a signal right after the listening line must find its handler.
  const onSignal = (): void => {
    if (stopping) {
      // A second signal: no more waiting. Answered requests are written; the rest were not
      // acknowledged, so their senders retry.
      process.stderr.write("hexlog: stopped at once (second signal)\n");
      process.exit(EXIT_INTERRUPTED);
    }
    stop();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  await stderr.flush();
  const address = await listen(server, opts.port, opts.host);
  const url = `${tls ? "https" : "http"}://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  // The first line is meant for scripts (port 0 picks a free port): keep its form stable.
  process.stderr.write(`hexlog: listening on ${url}\n`);
  if (!opts.quiet) {
    const where = opts.output ? opts.output : "stdout";
    if (raw) stderr.writeLine(escapeText(`hexlog: auth: ${describeAuth(auth)}; bodies to stream ${raw.publisher.stream} as ${raw.target.subject} at ${shownServers(raw.target.servers)} (hexlog consume normalizes them)`));
    else stderr.writeLine(escapeText(`hexlog: log types ${selected.map((t) => t.logType.name).join(", ")}; auth: ${describeAuth(auth)}; records to ${where}${opts.errors ? `, dead letters to ${opts.errors}` : ""}`));
    if (auth.kind === "none" && !isLoopback(address.address)) stderr.writeLine(errC.yellow("hexlog: warning: no authentication, and the port is reachable from other machines"));
    await stderr.flush();
  }

  await stopped;

  if (!opts.quiet) stderr.writeLine(`hexlog: stopping: finishing ${inFlight.size} request${inFlight.size === 1 ? "" : "s"} in flight`);
  await stderr.flush();
  // One deadline for the requests in flight and the output: a stalled reader cannot hold the
  // process forever.
  const deadlineMs = (opts.shutdownTimeout ?? DEFAULT_SHUTDOWN_SECONDS) * 1000;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    deadlineTimer = setTimeout(() => resolve("late"), deadlineMs);
  });
  const finished = (async (): Promise<"done"> => {
    await drain(server, inFlight, opts.timeout * 1000);
    if (outStream === process.stdout) await out.flushWritten();
    else await out.end();
    await deadLetters?.end();
    await raw?.publisher.close();
    return "done";
  })();
  if ((await Promise.race([finished, deadline])) === "late") {
    server.closeAllConnections();
    process.stderr.write(
      `hexlog: shutdown deadline (${deadlineMs / 1000} s, --shutdown-timeout) passed with ${inFlight.size} request${inFlight.size === 1 ? "" : "s"} unanswered or output unflushed; stopping\n`,
    );
    process.exit(EXIT_INTERRUPTED);
  }
  clearTimeout(deadlineTimer);
  for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!opts.quiet) {
    stderr.writeLine(`hexlog: ${plural(handler.requests, "request")}${refusedSummary(handler.rejected)}`);
    if (raw) stderr.writeLine(`hexlog: ${handler.forwarded.toLocaleString("en-US")} bod${handler.forwarded === 1 ? "y" : "ies"} stored in stream ${raw.publisher.stream} in ${seconds.toFixed(2)}s`);
    else stderr.writeLine(summary(handler.stats, seconds, errC));
  }
  await stderr.flush();
  // A failed write is reported through an 'error' event a tick later: let it arrive.
  await new Promise((resolve) => setImmediate(resolve));
  if (deadLetters?.failure) throw new OutputError(`cannot write ${opts.errors}: ${describeWriteError(deadLetters.failure)}`);
  if (out.failure) throw new OutputError(`cannot write output: ${describeWriteError(out.failure)}`);
  return EXIT_OK;
}

/** Connects to the stream of --publish-raw before listening: a bad URL, auth or subject is a usage error. */
async function openRaw(opts: ServeOptions): Promise<{ target: RawTarget; publisher: RawPublisher; maxBody: number }> {
  if (opts.output !== undefined || opts.errors !== undefined) {
    throw new UsageError("--publish-raw passes bodies on unparsed: records and dead letters come from hexlog consume, so -o and --errors do not apply");
  }
  const target = parseRawTarget(opts.publishRaw as string);
  if (typeof target === "string") throw new UsageError(target);
  const opened = await openRawPublisher(target, { creds: opts.natsCreds, token: opts.natsToken, tlsCa: opts.natsTlsCa }, (line) => {
    if (!opts.quiet) process.stderr.write(`hexlog: ${line}\n`);
  });
  if (!opened.ok) throw new UsageError(opened.message.replace(/--(creds|token|tls-ca)\b/g, "--nats-$1"));
  return { target, publisher: opened.publisher, maxBody: opened.maxBody };
}

/**
 * Stops listening, lets the requests in flight finish and closes every connection; clients that
 * never finish their request are cut off once the request timeout has passed.
 */
async function drain(server: Server, inFlight: Set<Promise<void>>, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cutOff = setTimeout(() => server.closeAllConnections(), timeoutMs + 1000);
  cutOff.unref();
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  server.closeIdleConnections();
  await closed;
  clearTimeout(cutOff);
}

/** ` (3 refused: 2× 401, 1× aborted)`, or nothing. */
function refusedSummary(rejected: Map<number, number>): string {
  const count = [...rejected.values()].reduce((a, b) => a + b, 0);
  if (count === 0) return "";
  return ` (${count} refused: ${[...rejected].map(([status, n]) => `${n}× ${status === 0 ? "aborted" : status}`).join(", ")})`;
}

function webhookAuth(opts: ServeOptions): WebhookAuth {
  if (opts.secretHeader !== undefined && opts.bearer !== undefined) {
    throw new UsageError("give either --secret-header or --bearer, not both (a Panther HTTP source has one auth method)");
  }
  let auth: WebhookAuth | string = { kind: "none" };
  if (opts.secretHeader !== undefined) auth = secretHeaderAuth(opts.secretHeader);
  else if (opts.bearer !== undefined) auth = bearerAuth(opts.bearer);
  if (typeof auth === "string") throw new UsageError(auth);
  return auth;
}

function describeAuth(auth: WebhookAuth): string {
  if (auth.kind === "secret-header") return `shared secret in header ${auth.header}`;
  if (auth.kind === "bearer") return "bearer token";
  return "none";
}

function readTls(opts: ServeOptions): { cert: Buffer; key: Buffer } | undefined {
  if (opts.tlsCert === undefined && opts.tlsKey === undefined) return undefined;
  if (opts.tlsCert === undefined || opts.tlsKey === undefined) throw new UsageError("--tls-cert and --tls-key go together");
  try {
    return { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey) };
  } catch (e) {
    throw new UsageError(`cannot read the TLS files: ${describeFsError(e)}`);
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      const reason = e.code === "EADDRINUSE" ? "the address is already in use" : e.code === "EACCES" ? "permission denied" : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND" ? "no such address on this machine" : e.message;
      reject(new UsageError(`cannot listen on ${host}:${port}: ${reason}`));
    });
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address === "::ffff:127.0.0.1";
}

/** Whether a --host value only listens on this machine. */
function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopback(host) || host === "[::1]";
}
