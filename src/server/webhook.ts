/**
 * A webhook receiver that behaves like Panther's HTTP source, as a request handler a Node HTTP
 * server can mount (`hexlog serve` runs it). Each POST body is framed and normalized by the
 * pipeline `parse` uses — JSON, NDJSON, JSON arrays, and lines for text log types — its records
 * written in one piece, and the request answered 200 only once they and its dead letters are
 * handed to the output without error.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorized, type WebhookAuth } from "./auth.js";
import { BodyBuffers, discardBody, notJson, readRequestBody, unsupportedMediaType } from "./http-body.js";
import { EventPipeline, type EventSink, type PipelineOptions } from "../pipeline/event-loop.js";
import type { EventFailure } from "../pipeline/events.js";
import { RunStats } from "../pipeline/stats.js";

/** Where a handler writes whole lines; `flushWritten` says whether they all reached the output. */
export interface LineOutput {
  writeLine(line: string): void;
  flushWritten(): Promise<boolean>;
  readonly closed: boolean;
  /** Bytes written and not yet handed on to the file or pipe (LineSink has it). */
  readonly pendingBytes?: number;
  /** Resolves once at most `limit` bytes are pending: bodies wait for it before making records. */
  waitForRoom?(limit: number): Promise<void>;
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
  /**
   * Bytes an output may hold unwritten before a body makes more records (default 1 MiB): while
   * it holds more, bodies wait, unread or unprocessed (TCP slows the senders). Bodies turn into
   * records one at a time, so an output holds at most this plus one body's records.
   */
  maxPendingOutputBytes?: number | undefined;
  /**
   * How long a request waits, unread, for a backed-up output before it gets 503 with
   * Retry-After (default: as long as it takes). Under an HTTP server's request timeout, or the
   * server answers 408, as if the sender had been slow.
   */
  maxOutputWaitMs?: number | undefined;
  /**
   * Bodies read or processed at once (default 32); more get 503 with Retry-After, unread, so
   * buffered bodies never hold more than this many times maxBodyBytes.
   */
  maxBodiesInFlight?: number | undefined;
  /**
   * Bytes of bodies read or processed at once (default 8 MiB): a body counts with its
   * Content-Length, or as the largest body when that is over a quarter of it or not declared.
   * Past it, requests get 503 with Retry-After, unread.
   */
  maxBufferedBytes?: number | undefined;
  /** Called when an output failed: the receiver stops accepting (the owner shuts down). */
  onOutputFailed?: (() => void) | undefined;
  /**
   * Instead of normalizing here, hand each accepted body on (e.g. to a NATS stream that workers
   * normalize from): the request is answered 200 with `{request, ...answer}` once it resolves,
   * 503 if it rejects (the sender keeps the body and retries).
   */
  forward?: ((body: Buffer, request: number) => Promise<Record<string, unknown>>) | undefined;
  /** Told why a body could not be forwarded. */
  onForwardFailed?: ((request: number, error: Error) => void) | undefined;
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
  /** Bodies handed on by `forward` (and acknowledged) so far. */
  readonly forwarded: number;
  /** Whether the handler refuses new bodies (after `stop()` or a failed output). */
  readonly stopping: boolean;
  /** Refuse new bodies from now on (503), letting requests in flight finish. */
  stop(): void;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Bytes of a body framed at a time. */
const SLICE_BYTES = 16 * 1024;
/** Bodies read or processed at once (--max-connections). */
const DEFAULT_MAX_BODIES = 32;
/**
 * Bytes of bodies read or processed at once (--max-buffered): 8 bodies of 1 MiB. With 1000
 * senders of 1 MiB at once, each body accepted costs about 3 MiB at the peak (its buffer, its
 * records, their garbage): 16 bodies peaked at 144–159 MiB with stdout piped to a late reader,
 * 8 at 114–143 MiB whatever the output.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * Bytes an output may hold unwritten before a body makes more records (--max-buffered covers
 * bodies, this their records): 1000 senders of 1 MiB at once to `-o FILE` peaked at 166–262 MiB
 * when every waiting body was processed as soon as the file drained.
 */
export const DEFAULT_MAX_PENDING_OUTPUT_BYTES = 1024 * 1024;

export function createWebhookHandler(options: WebhookOptions): WebhookHandler {
  const pipeline = new EventPipeline(options);
  const auth = options.auth ?? { kind: "none" };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { records: out, deadLetters } = options;
  const stats = new RunStats();
  const rejected = new Map<number, number>();
  let requests = 0;
  let forwarded = 0;
  let stopping = false;
  const maxBodies = options.maxBodiesInFlight ?? DEFAULT_MAX_BODIES;
  let bodies = 0;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  /** Bytes the bodies being read or processed take (BodyBuffers.cost). */
  let buffered = 0;
  const bodyBuffers = new BodyBuffers(maxBody, Math.max(1, Math.floor(maxBuffered / maxBody)));
  const maxPending = options.maxPendingOutputBytes ?? DEFAULT_MAX_PENDING_OUTPUT_BYTES;
  const outputs = [out, ...(deadLetters ? [deadLetters] : [])];
  /** While an output holds more than maxPending bytes unwritten, bodies wait. */
  const outputRoom = async (): Promise<void> => {
    for (const o of outputs) await o.waitForRoom?.(maxPending);
  };
  /** Whether the outputs have room within `ms` (always, in the end, without a bound). */
  const roomWithin = async (ms: number | undefined): Promise<boolean> => {
    if (ms === undefined) return outputRoom().then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([outputRoom().then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  /**
   * Bodies take turns from "the output has room" to "its records are in the output": otherwise
   * every body waiting for a drain would see the same room and all would fill it at once.
   */
  let outputTurn: Promise<void> = Promise.resolve();
  const takeOutputTurn = (): Promise<() => void> => {
    const previous = outputTurn;
    let release: () => void = () => undefined;
    outputTurn = new Promise<void>((resolve) => (release = resolve));
    return previous.then(async () => {
      try {
        await outputRoom();
      } catch (e) {
        release();
        throw e;
      }
      return release;
    });
  };

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
    // A slice at a time: each slice's text and parsed events die young, as in parse, instead
    // of a whole body's text living in V8's large-object space.
    for (let at = 0; at < body.length; at += SLICE_BYTES) input.push(body.subarray(at, at + SLICE_BYTES), sink);
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

  /** 503 with Retry-After, the body left unread: a flood of senders must not fill memory. */
  const refuseUnread = (req: IncomingMessage, res: ServerResponse, request: number, message: string, retryAfterSeconds: number): void => {
    rejected.set(503, (rejected.get(503) ?? 0) + 1);
    options.onRefused?.(request, 503, message, req);
    req.socket.pause();
    res.on("finish", () => req.socket.destroySoon());
    reply(res, 503, { error: message }, { "retry-after": String(retryAfterSeconds), connection: "close" });
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

    // What its body takes while read: its declared size, or the largest body when that is near.
    // A compressed body is decompressed into a buffer of its own, up to the largest body.
    const cost = Math.min(bodyBuffers.cost(Number(req.headers["content-length"])) + (req.headers["content-encoding"] ? maxBody : 0), maxBuffered);
    if (bodies >= maxBodies || buffered + cost > maxBuffered) {
      // Overload: answer and close without reading the body, so a flood of senders costs no
      // more than the answers.
      return refuseUnread(req, res, request, "too many requests in flight; retry later", 1);
    }
    // A request waiting for a backed-up output holds its slot: an unread request still holds
    // what the socket's first reads brought of its body, so a thousand waiting for the output
    // (not counted before) took 166–262 MiB with `-o FILE`.
    bodies++;
    buffered += cost;
    try {
      // While the output is behind, the body waits unread (TCP slows its sender).
      if (!(await roomWithin(options.maxOutputWaitMs))) return refuseUnread(req, res, request, "the output is behind; retry later", 5);
      await receive(req, res, request);
    } finally {
      bodies--;
      buffered -= cost;
    }
  };

  const receive = async (req: IncomingMessage, res: ServerResponse, request: number): Promise<void> => {
    const body = await readRequestBody(req, maxBody, bodyBuffers);
    if (!body.ok) {
      if (body.status === 0) {
        rejected.set(0, (rejected.get(0) ?? 0) + 1);
        return;
      }
      return refuse(req, res, request, body.status, body.message);
    }
    // Text log types take any text; JSON ones say at once when a body cannot hold JSON.
    const problem = pipeline.lineBased ? (body.body.length === 0 ? "the body is empty" : undefined) : notJson(body.body);
    if (problem) {
      body.release();
      return refuse(req, res, request, 400, problem);
    }

    if (options.forward) {
      let answer: Record<string, unknown>;
      try {
        answer = await options.forward(body.body, request);
      } catch (e) {
        options.onForwardFailed?.(request, e as Error);
        reply(res, 503, { error: "the body could not be passed on; retry later" }, { "retry-after": "5" });
        return;
      }
      // Not released: the publisher may hold on to the bytes it sent; the buffer is left to the collector.
      forwarded++;
      reply(res, 200, { request, ...answer });
      return;
    }

    // Its records wait in memory until written: while the output is behind, the body waits instead
    // (it is already counted against --max-buffered; its records, larger still, are not).
    const release = await takeOutputTurn();
    let processed: ReturnType<typeof processBody>;
    try {
      processed = processBody(`http#${request}`, body.body, request);
    } finally {
      release();
    }
    const { summary, counts } = processed;
    // Records and dead letters are strings of their own: the body's buffer can take another body.
    body.release();
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
    forwarded: { get: () => forwarded },
    stopping: { get: () => stopping },
  }) as WebhookHandler;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}
