/**
 * A webhook receiver that behaves like Panther's HTTP source, as a request handler a Node HTTP
 * server can mount (`hexlog serve` runs it). Each POST body is framed and normalized by the
 * pipeline `parse` uses — JSON, NDJSON, JSON arrays, and lines for text log types — its records
 * written in one piece, and the request answered 200 only once they and its dead letters are
 * handed to the output without error.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorized, type WebhookAuth } from "./auth.js";
import { discardBody, notJson, readRequestBody, unsupportedMediaType } from "./http-body.js";
import { EventPipeline, type EventSink, type PipelineOptions } from "../pipeline/event-loop.js";
import type { EventFailure } from "../pipeline/events.js";
import { RunStats } from "../pipeline/stats.js";

/** Where a handler writes whole lines; `flushWritten` says whether they all reached the output. */
export interface LineOutput {
  writeLine(line: string): void;
  flushWritten(): Promise<boolean>;
  readonly closed: boolean;
}

export interface WebhookOptions extends PipelineOptions {
  /** Default: none (anyone may post). */
  auth?: WebhookAuth | undefined;
  /** The largest body accepted, after decompression (default 1 MiB, as Panther's HTTP source). */
  maxBodyBytes?: number | undefined;
  /** Records, one JSON line each. */
  records: LineOutput;
  /** Dead letters (`{"file","line","logType","error","raw"}` lines), if kept. */
  deadLetters?: LineOutput | undefined;
  /** Formats a failed event as a dead-letter line. */
  deadLetter: (f: EventFailure) => string;
  /** Told about each failed event (error lines for humans). */
  onFailure?: ((f: EventFailure) => void) | undefined;
  /** Told about each refused request: status, reason, request line and peer (for a log). */
  onRefused?: ((request: number, status: number, message: string, req: IncomingMessage) => void) | undefined;
  /** Awaited before a body is read: while the output is backed up, bodies wait unread (TCP slows the senders). */
  outputReady?: (() => Promise<void>) | undefined;
  /** Called when an output failed: the receiver stops accepting (the owner shuts down). */
  onOutputFailed?: (() => void) | undefined;
}

/** What a request's events came to (the body of the 200 answer). */
export interface BodySummary {
  request: number;
  events: number;
  records: number;
  errors: number;
}

export interface WebhookHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Records and failures written so far, per log type. */
  readonly stats: RunStats;
  /** Refused requests by status (0: the client went away mid-body). */
  readonly rejected: Map<number, number>;
  /** Requests received so far. */
  readonly requests: number;
  /** Whether the handler refuses new bodies (after `stop()` or a failed output). */
  readonly stopping: boolean;
  /** Refuse new bodies from now on (503), letting requests in flight finish. */
  stop(): void;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createWebhookHandler(options: WebhookOptions): WebhookHandler {
  const pipeline = new EventPipeline(options);
  const auth = options.auth ?? { kind: "none" };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { records: out, deadLetters } = options;
  const stats = new RunStats();
  const rejected = new Map<number, number>();
  let requests = 0;
  let stopping = false;

  /** Frames and normalizes a whole body in one synchronous pass, so its records stay together. */
  const processBody = (name: string, body: Buffer, request: number): { summary: BodySummary; counts: RunStats } => {
    const counts = new RunStats();
    const sink: EventSink = {
      record(r) {
        counts.count(r.logType, true);
        out.writeLine(r.json);
      },
      failure(f) {
        counts.count(f.logType, false);
        options.onFailure?.(f);
        deadLetters?.writeLine(options.deadLetter(f));
      },
      skipped: () => void counts.skipped++,
    };
    const input = pipeline.open(name);
    input.push(body, sink);
    input.end(sink);
    return { summary: { request, events: counts.events, records: counts.records, errors: counts.errors }, counts };
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
    options.onRefused?.(request, status, message, req);
    reply(res, status, { error: message }, headers);
    discardBody(req, maxBody);
  };

  const stop = (): void => {
    stopping = true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.on("error", () => undefined);
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
    const unsupported = unsupportedMediaType(req.headers, pipeline.lineBased);
    if (unsupported) return refuse(req, res, request, 415, unsupported);

    await options.outputReady?.();
    const body = await readRequestBody(req, maxBody);
    if (!body.ok) {
      if (body.status === 0) {
        rejected.set(0, (rejected.get(0) ?? 0) + 1);
        return;
      }
      return refuse(req, res, request, body.status, body.message);
    }
    // Text log types take any text; JSON ones say at once when a body cannot hold JSON.
    const problem = pipeline.lineBased ? (body.body.length === 0 ? "the body is empty" : undefined) : notJson(body.body);
    if (problem) return refuse(req, res, request, 400, problem);

    const { summary, counts } = processBody(`http#${request}`, body.body, request);
    const written = await Promise.all([out.flushWritten(), deadLetters ? deadLetters.flushWritten() : true]);
    if (!written.every(Boolean)) {
      // The sender keeps the body and retries; nothing here counts as received.
      stop();
      options.onOutputFailed?.();
      reply(res, 503, { error: "the output failed; retry later" }, { "retry-after": "5" });
      return;
    }
    stats.merge(counts);
    reply(res, 200, summary);
  };

  // Getters, not copies: the counts change as requests come.
  return Object.defineProperties(handle, {
    stop: { value: stop },
    stats: { get: () => stats },
    rejected: { get: () => rejected },
    requests: { get: () => requests },
    stopping: { get: () => stopping },
  }) as WebhookHandler;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}
