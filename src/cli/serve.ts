/**
 * `hexlog serve`: runs the webhook handler (server/webhook.ts) on an HTTP or HTTPS server.
 * Records go to stdout or -o, dead letters to --errors. SIGINT/SIGTERM stop accepting, let
 * requests in flight finish, flush, and exit 0.
 */
import { createWriteStream, openSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { RowIds } from "../engine/rowid.js";
import { bearerAuth, secretHeaderAuth, type WebhookAuth } from "../server/auth.js";
import { createWebhookHandler } from "../server/webhook.js";
import { paletteFor } from "../output/color.js";
import { deadLetter, errorLine, summary } from "../output/report.js";
import { LineSink } from "../output/sink.js";
import { systemClock } from "../pipeline/clock.js";
import { describeFsError, loadLogTypes, schemaProblemLines, selectTypes } from "./load-types.js";
import { chooseSource } from "./load-sources.js";
import { EXIT_INTERRUPTED, EXIT_OK, UsageError } from "./errors.js";
import { parseNow } from "./parse.js";

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

export async function runServe(opts: ServeOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const auth = webhookAuth(opts);
  const tls = readTls(opts);
  const loaded = await loadLogTypes(opts.schemas ?? []);
  const typeArgs = (opts.type ?? []).flatMap((t) => t.split(",")).filter((t) => t !== "");
  const chosen = opts.source === undefined ? undefined : await chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs, loaded.problems);
  const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);

  const outStream: Writable = opts.output ? openForWriting(opts.output) : process.stdout;
  const out = new LineSink(outStream);
  const deadLetters = opts.errors ? new LineSink(openForWriting(opts.errors)) : undefined;
  const stderr = new LineSink(process.stderr);
  const errC = await paletteFor(process.stderr);
  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(line));
  if (!opts.quiet) for (const w of loaded.warnings) stderr.writeLine(errC.yellow(w));

  const clock = fixedNow ?? systemClock;
  let stopping = false;
  let forced = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      if (stopping) return;
      stopping = true;
      handler.stop();
      resolve();
    };
  });

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

  const handler = createWebhookHandler({
    types: selected.map((t) => t.logType),
    clock,
    rowIds: new RowIds(opts.seed, clock.now().ms),
    sourceId: opts.sourceId ?? chosen?.source.id,
    sourceLabel: opts.sourceLabel ?? chosen?.source.label,
    maxEventBytes: Math.min(opts.maxEventBytes, opts.maxBody),
    auth,
    maxBodyBytes: opts.maxBody,
    records: out,
    deadLetters,
    deadLetter,
    outputReady,
    onFailure: (f) => {
      if (!opts.quiet) stderr.writeLine(errC.red(errorLine(f)));
    },
    onRefused: (request, status, message, req) => {
      if (!opts.quiet) stderr.writeLine(errC.yellow(`hexlog: http#${request}: ${status} ${message} (${req.method} ${pathOf(req)} from ${req.socket.remoteAddress ?? "?"})`));
      void stderr.flush();
    },
    onOutputFailed: () => stop(),
  });

  const inFlight = new Set<Promise<void>>();
  const serverOptions: ServerOptions = { requestTimeout: opts.timeout * 1000, headersTimeout: opts.timeout * 1000, connectionsCheckingInterval: Math.min(1000, opts.timeout * 500) };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const p = handler(req, res).catch((e: unknown) => {
      stderr.writeLine(errC.red(`hexlog: internal error: ${(e as Error)?.message ?? String(e)}`));
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
    stderr.writeLine(`hexlog: ${handler.requests} requests${refusedSummary(handler.rejected)}`);
    stderr.writeLine(summary(handler.stats, seconds, errC));
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
