/**
 * `hexlog serve`: a local webhook receiver that behaves like Panther's HTTP source. Each POST
 * body is framed and normalized as `parse` would (JsonFramer → EventProcessor → LineSink), its
 * records written in one piece, and the request answered once they are written. SIGINT/SIGTERM
 * stop accepting, let requests in flight finish, flush, and exit 0.
 */
import { createWriteStream, openSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { EventProcessor } from "../engine/process.js";
import { RowIds } from "../engine/rowid.js";
import { bearerAuth, authorized, secretHeaderAuth, type WebhookAuth } from "../server/auth.js";
import { JsonFramer, type FramedEvent } from "../input/framing.js";
import { discardBody, notJson, readRequestBody, unsupportedMediaType } from "../server/http-body.js";
import { paletteFor } from "../output/color.js";
import { deadLetter, errorLine, RunStats, summary, type EventFailure } from "../output/report.js";
import { LineSink } from "../output/sink.js";
import { describeFsError, invalidSchemaLines, loadLogTypes, selectTypes } from "../catalog/load-types.js";
import { chooseSource } from "./load-sources.js";
import { EXIT_INTERRUPTED, EXIT_OK, UsageError } from "./errors.js";
import { isoMillis, parseNow } from "./parse.js";

export interface ServeOptions {
  type?: string[];
  schemas?: string[];
  sources?: string;
  source?: string;
  sourceId?: string;
  sourceLabel?: string;
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
  now?: string;
  seed?: number;
  quiet?: boolean;
}

/** What a request's events came to (the 200 answer). */
interface BodySummary {
  request: number;
  events: number;
  records: number;
  errors: number;
}

export async function runServe(opts: ServeOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const auth = webhookAuth(opts);
  const tls = readTls(opts);
  const loaded = await loadLogTypes(opts.schemas ?? []);
  const typeArgs = (opts.type ?? []).flatMap((t) => t.split(",")).filter((t) => t !== "");
  const chosen = opts.source === undefined ? undefined : await chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs, loaded.invalid);
  const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);

  const outStream: Writable = opts.output ? openForWriting(opts.output) : process.stdout;
  const out = new LineSink(outStream);
  const deadLetters = opts.errors ? new LineSink(openForWriting(opts.errors)) : undefined;
  const stderr = new LineSink(process.stderr);
  const errC = await paletteFor(process.stderr);
  for (const line of invalidSchemaLines(loaded.invalid)) stderr.writeLine(errC.red(line));
  if (!opts.quiet) for (const w of loaded.warnings) stderr.writeLine(errC.yellow(w));

  const processor = new EventProcessor(
    selected.map((t) => t.logType),
    {
      rowIds: new RowIds(opts.seed, fixedNow ? fixedNow.ms : undefined),
      sourceId: opts.sourceId ?? chosen?.source.id,
      sourceLabel: opts.sourceLabel ?? chosen?.source.label,
    },
  );
  const singleType = selected.length === 1 ? (selected[0]?.logType.name ?? null) : null;
  const stats = new RunStats();
  const rejected = new Map<number, number>();
  let requests = 0;
  let stopping = false;
  let forced = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      if (stopping) return;
      stopping = true;
      resolve();
    };
  });
  const maxEventBytes = Math.min(opts.maxEventBytes, opts.maxBody);

  const fail = (f: EventFailure): void => {
    stats.count(f.logType, false);
    if (!opts.quiet) stderr.writeLine(errC.red(errorLine(f)));
    deadLetters?.writeLine(deadLetter(f));
  };

  /** Frames and normalizes a whole body in one synchronous pass, so its records stay together. */
  const processBody = (name: string, body: Buffer, request: number): BodySummary => {
    const events: FramedEvent[] = [];
    const framer = new JsonFramer({ maxEventBytes });
    framer.push(body, events);
    framer.end(events);
    processor.expandFramed(events);
    if (fixedNow) processor.setClock(fixedNow.sec, fixedNow.text);
    else {
      const ms = Date.now();
      processor.setClock(Math.floor(ms / 1000), isoMillis(ms));
    }
    let records = 0;
    for (const ev of events) {
      if (ev.error !== undefined) {
        fail({ file: name, line: ev.line, logType: singleType, path: "", message: ev.error, raw: ev.raw, truncated: ev.truncated });
        continue;
      }
      const r = processor.process(ev.raw, ev.value);
      if (!r.ok) {
        fail({ file: name, line: ev.line, logType: r.logType, path: r.path, message: r.message, raw: ev.raw });
        continue;
      }
      stats.count(r.logType, true);
      out.writeLine(r.json);
      records++;
    }
    return { request, events: events.length, records, errors: events.length - records };
  };

  /** Back-pressure: while the output is backed up, bodies wait unread (TCP slows the senders). */
  const outputReady = async (): Promise<void> => {
    while (outStream.writableNeedDrain && !out.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          outStream.off("drain", done);
          outStream.off("close", done);
          resolve();
        };
        outStream.on("drain", done);
        outStream.on("close", done);
      });
    }
  };

  const reply = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void => {
    if (res.headersSent || res.destroyed) return;
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...(stopping ? { connection: "close" } : {}),
      ...headers,
    });
    res.end(text);
  };

  const refuse = (req: IncomingMessage, res: ServerResponse, request: number, status: number, message: string, headers: Record<string, string> = {}): void => {
    rejected.set(status, (rejected.get(status) ?? 0) + 1);
    if (!opts.quiet) stderr.writeLine(errC.yellow(`hexlog: http#${request}: ${status} ${message} (${req.method} ${pathOf(req)} from ${req.socket.remoteAddress ?? "?"})`));
    reply(res, status, { error: message }, headers);
    discardBody(req, opts.maxBody);
    void stderr.flush();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = ++requests;
    const path = pathOf(req);
    if (path === "/healthz") {
      if (req.method === "GET" || req.method === "HEAD") return reply(res, stopping ? 503 : 200, { status: stopping ? "stopping" : "ok" });
      return refuse(req, res, request, 405, `${req.method} is not allowed on /healthz`, { allow: "GET, HEAD" });
    }
    if (req.method !== "POST") return refuse(req, res, request, 405, `${req.method} is not allowed: POST the events`, { allow: "POST" });
    if (stopping) return refuse(req, res, request, 503, "the server is stopping");
    if (!authorized(req.headers, auth)) {
      return refuse(req, res, request, 401, "unauthorized", auth.kind === "bearer" ? { "www-authenticate": 'Bearer realm="hexlog"' } : {});
    }
    const unsupported = unsupportedMediaType(req.headers);
    if (unsupported) return refuse(req, res, request, 415, unsupported);

    await outputReady();
    const body = await readRequestBody(req, opts.maxBody);
    if (!body.ok) {
      if (body.status === 0) {
        rejected.set(0, (rejected.get(0) ?? 0) + 1);
        return;
      }
      return refuse(req, res, request, body.status, body.message);
    }
    const problem = notJson(body.body);
    if (problem) return refuse(req, res, request, 400, problem);

    const result = processBody(`http#${request}`, body.body, request);
    await Promise.all([out.flushWritten(), deadLetters?.flushWritten(), stderr.flush()]);
    if (out.closed || deadLetters?.closed) {
      reply(res, 503, { error: "the output is closed" });
      stop();
      return;
    }
    reply(res, 200, result);
  };

  const inFlight = new Set<Promise<void>>();
  const serverOptions: ServerOptions = { requestTimeout: opts.timeout * 1000, headersTimeout: opts.timeout * 1000, connectionsCheckingInterval: Math.min(1000, opts.timeout * 500) };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    req.on("error", () => undefined);
    const p = handle(req, res).catch((e: unknown) => {
      stderr.writeLine(errC.red(`hexlog: internal error: ${(e as Error)?.message ?? String(e)}`));
      reply(res, 500, { error: "internal error" });
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

  await stderr.flush();
  const address = await listen(server, opts.port, opts.host);
  const url = `${tls ? "https" : "http"}://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  // The first line is meant for scripts (port 0 picks a free port): keep its form stable.
  process.stderr.write(`hexlog: listening on ${url}\n`);
  if (!opts.quiet) {
    const where = opts.output ? opts.output : "stdout";
    stderr.writeLine(`hexlog: log types ${selected.map((t) => t.logType.name).join(", ")}; auth: ${describeAuth(auth)}; records to ${where}${opts.errors ? `, dead letters to ${opts.errors}` : ""}`);
    if (auth.kind === "none" && !isLoopback(address.address)) stderr.writeLine(errC.yellow("hexlog: warning: no authentication, and the port is reachable from other machines"));
    await stderr.flush();
  }

  const onSignal = (): void => {
    if (stopping) {
      // A second signal: stop waiting for slow clients.
      forced = true;
      server.closeAllConnections();
      return;
    }
    stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  await stopped;

  if (!opts.quiet) stderr.writeLine(`hexlog: stopping: finishing ${inFlight.size} request${inFlight.size === 1 ? "" : "s"} in flight`);
  await stderr.flush();
  await drain(server, inFlight, opts.timeout * 1000);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);

  if (outStream === process.stdout) await out.flushWritten();
  else await out.end();
  await deadLetters?.end();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!opts.quiet) {
    stderr.writeLine(`hexlog: ${requests} requests${refusedSummary(rejected)}`);
    stderr.writeLine(summary(stats, seconds, errC));
  }
  await stderr.flush();
  if (deadLetters?.failure) throw new UsageError(`cannot write ${opts.errors}: ${deadLetters.failure.message}`);
  if (out.failure) throw new UsageError(`cannot write output: ${out.failure.message}`);
  return forced ? EXIT_INTERRUPTED : EXIT_OK;
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

/** Opens an output file now, so a bad path is a usage error before the server starts. */
function openForWriting(path: string): Writable {
  try {
    return createWriteStream(path, { fd: openSync(path, "w") });
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${describeFsError(e)}`);
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
