/**
 * A stateless normalizing worker on NATS JetStream. Any number of them share one durable pull
 * consumer on the raw stream; each message (one event, or a body of NDJSON / JSON-array events)
 * is normalized and every record and dead letter published, and the message is acked only
 * after the server has acknowledged all of them. Delivery is at least once; the effect is
 * exactly once because every publish carries a Nats-Msg-Id made of the input stream, sequence
 * and event index, which the output stream deduplicates, and p_row_id is fixed by the same.
 */
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/transport-node";
import { SequenceRowIds } from "../engine/rowid.js";
import type { LogType } from "../engine/logtype.js";
import type { Clock } from "../pipeline/clock.js";
import { EventPipeline, type EventSink } from "../pipeline/event-loop.js";
import type { EventFailure } from "../pipeline/events.js";
import { RunStats } from "../pipeline/stats.js";
import { deadLetter } from "../output/report.js";
import { AckedPublisher, type GroupResult, type Publish } from "./acked-publish.js";
import { subjectProblem } from "./nats.js";

export interface ConsumerOptions {
  nc: NatsConnection;
  /** The stream the raw bodies are in. */
  stream: string;
  /** The durable consumer the workers share (created if missing). */
  consumer: string;
  types: readonly LogType[];
  sourceId?: string | undefined;
  sourceLabel?: string | undefined;
  /** Subject for records; `{logType}` is replaced by the record's log type. */
  publish: string;
  /** Subject for dead letters (the same fields as `parse --errors` lines). */
  deadLetters: string;
  /** Messages being normalized or waiting for their publishes to be acknowledged, at most. */
  maxInflight: number;
  /** Ack wait of the consumer when this worker creates it, in seconds. */
  ackWaitSeconds: number;
  maxEventBytes?: number | undefined;
  /** p_parse_time (default: the system clock). */
  clock?: Clock | undefined;
}

export interface ConsumerEvents {
  /** An event that became a dead letter (told once its message is acked). */
  failure?(f: EventFailure): void;
  /** Something an operator should know: retries, reconnects, suspicious settings. */
  warning?(text: string): void;
  /** After each acked message. */
  progress?(stats: ConsumeStats): void;
}

export class ConsumeStats extends RunStats {
  messages = 0;
  /** Messages seen again after a crash, a timeout or a nak. */
  redelivered = 0;
  /** Publishes the server had already stored (a redelivery's records): dropped as duplicates. */
  duplicates = 0;
  /** Messages handed back (nak) because a publish failed; they come again later. */
  retried = 0;
}

export type Opened = { ok: true; consumer: NatsConsumer } | { ok: false; message: string };

/**
 * Checks everything a worker needs before it takes a message: JetStream, the input stream, the
 * consumer (created as a durable pull consumer with explicit acks if missing), and a stream
 * storing each output subject (else publishes could never be acknowledged).
 */
export async function openConsumer(opts: ConsumerOptions): Promise<Opened> {
  for (const [subject, flag] of [
    [opts.publish.replaceAll("{logType}", "X"), "--publish"],
    [opts.deadLetters, "--dead-letters"],
  ] as const) {
    const problem = subjectProblem(subject, flag);
    if (problem) return { ok: false, message: problem };
  }
  if (opts.deadLetters.includes("{")) return { ok: false, message: "--dead-letters takes a plain subject ({logType} is for --publish)" };
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(opts.nc);
  } catch (e) {
    return { ok: false, message: `the NATS server has no JetStream (${(e as Error).message}): start it with nats-server -js` };
  }
  try {
    await jsm.streams.info(opts.stream);
  } catch (e) {
    if (isNotFound(e)) return { ok: false, message: `no stream ${opts.stream} on the NATS server (--stream): create it, e.g. nats stream add ${opts.stream} --subjects 'raw.>'` };
    return { ok: false, message: `cannot read stream ${opts.stream}: ${(e as Error).message}` };
  }

  const config = await consumerConfig(jsm, opts);
  if (typeof config === "string") return { ok: false, message: config };
  const ackWaitNs = config.ack_wait;
  const warnings: string[] = [];

  const subjects = new Map<string, string>();
  for (const t of opts.types) subjects.set(t.name, opts.publish.replaceAll("{logType}", t.name));
  const outputs = [...new Set([...subjects.values(), opts.deadLetters])];
  const checked = new Set<string>();
  for (const subject of outputs) {
    let streamName: string;
    try {
      streamName = await jsm.streams.find(subject);
    } catch {
      const flag = subject === opts.deadLetters ? "--dead-letters" : "--publish";
      return { ok: false, message: `no stream stores subject ${subject} (${flag}), so its publishes cannot be acknowledged: add one, e.g. nats stream add OUT --subjects '${subject.split(".")[0]}.>'` };
    }
    if (streamName === opts.stream) return { ok: false, message: `subject ${subject} is stored in the input stream ${opts.stream}: records would be read back as input` };
    if (checked.has(streamName)) continue;
    checked.add(streamName);
    const info = await jsm.streams.info(streamName);
    const window = info.config.duplicate_window;
    if (window < 2 * ackWaitNs) {
      warnings.push(
        `stream ${streamName} deduplicates over ${window / 1e9}s, less than twice the consumer's ack wait (${ackWaitNs / 1e9}s): a redelivery after a crash may store records twice`,
      );
    }
  }
  return { ok: true, consumer: new NatsConsumer(opts, subjects, warnings) };
}

/** The shared consumer's configuration: created if missing, refused if it cannot be shared this way. */
async function consumerConfig(jsm: JetStreamManager, opts: ConsumerOptions): Promise<{ ack_wait: number } | string> {
  const create = { durable_name: opts.consumer, ack_policy: AckPolicy.Explicit, ack_wait: nanos(opts.ackWaitSeconds * 1000), max_ack_pending: 10_000 };
  let info;
  try {
    info = await jsm.consumers.info(opts.stream, opts.consumer);
  } catch (e) {
    if (!isNotFound(e)) return `cannot read consumer ${opts.consumer} of stream ${opts.stream}: ${(e as Error).message}`;
    try {
      info = await jsm.consumers.add(opts.stream, create);
    } catch (err) {
      // Another worker created it first (with other settings): use theirs.
      try {
        info = await jsm.consumers.info(opts.stream, opts.consumer);
      } catch {
        return `cannot create consumer ${opts.consumer} on stream ${opts.stream}: ${(err as Error).message}`;
      }
    }
  }
  const c = info.config;
  if (c.deliver_subject) return `consumer ${opts.consumer} is a push consumer: hexlog workers share a pull consumer (give another --consumer name)`;
  if (c.ack_policy !== AckPolicy.Explicit) return `consumer ${opts.consumer} acks with policy "${c.ack_policy}": workers need explicit acks (give another --consumer name)`;
  return { ack_wait: c.ack_wait ?? nanos(30_000) };
}

function isNotFound(e: unknown): boolean {
  const err = e as { code?: number; message?: string; name?: string; api_error?: { code?: number } };
  return err?.api_error?.code === 404 || /not found/i.test(err?.message ?? "");
}

/** Time the server has to store a message's records before the message is handed back. */
const PUBLISH_TIMEOUT_MS = 10_000;

/** Pause before a message whose publishes failed comes again (grows with its deliveries). */
function retryDelayMs(deliveries: number): number {
  return Math.min(10_000, 500 * deliveries);
}

export class NatsConsumer {
  readonly stats = new ConsumeStats();
  private readonly js: JetStreamClient;
  private readonly pipeline: EventPipeline;
  private readonly rowIds: SequenceRowIds;
  private readonly inflight = new Set<Promise<void>>();
  private readonly publisher: AckedPublisher;

  constructor(
    private readonly opts: ConsumerOptions,
    /** Record subject per log type. */
    private readonly subjects: Map<string, string>,
    /** Found while opening: for the operator. */
    readonly warnings: readonly string[],
  ) {
    this.js = jetstream(opts.nc);
    this.publisher = new AckedPublisher(opts.nc, PUBLISH_TIMEOUT_MS);
    this.rowIds = new SequenceRowIds(opts.stream);
    this.pipeline = new EventPipeline({
      types: opts.types,
      clock: opts.clock,
      rowIds: this.rowIds,
      sourceId: opts.sourceId,
      sourceLabel: opts.sourceLabel,
      maxEventBytes: opts.maxEventBytes,
    });
  }

  /**
   * Takes messages until `signal` aborts, then drains: the messages already pulled are
   * finished and acked, the rest stay with the server for the other workers.
   */
  async run(signal: AbortSignal, events: ConsumerEvents = {}): Promise<ConsumeStats> {
    const consumer = await this.js.consumers.get(this.opts.stream, this.opts.consumer);
    let running = true;
    void (async () => {
      // Acknowledgements owed on a dropped connection never come: hand those messages back now.
      for await (const s of this.opts.nc.status()) {
        if (!running) break;
        if (s.type === "disconnect") this.publisher.failPending("the connection to the server was lost");
      }
    })();
    let failures = 0;
    while (!signal.aborted && !this.opts.nc.isClosed()) {
      try {
        const messages = await consumer.consume({ max_messages: this.opts.maxInflight });
        const stop = (): void => void messages.stop();
        signal.addEventListener("abort", stop);
        try {
          for await (const m of messages) {
            failures = 0;
            while (this.inflight.size >= this.opts.maxInflight) await Promise.race(this.inflight);
            const p = this.handle(m, events).catch((e: unknown) => this.failInternally(m, e as Error, events));
            this.inflight.add(p);
            void p.finally(() => this.inflight.delete(p));
          }
        } finally {
          signal.removeEventListener("abort", stop);
        }
      } catch (e) {
        // The pull failed or ended with an error (the consumer went away, heartbeats lost): pull again, after a growing pause.
        if (signal.aborted) break;
        events.warning?.(`pulling messages failed: ${(e as Error).message}; pulling again`);
        await pause(Math.min(5000, 100 * 2 ** Math.min(failures++, 6)), signal);
      }
    }
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    running = false;
    this.publisher.close();
    return this.stats;
  }

  /**
   * A bug met while handling a message (never a user error: those are dead letters). It is
   * tried again a few times; then its whole body goes to the dead letters, so it neither blocks
   * the stream nor is lost.
   */
  private async failInternally(m: JsMsg, e: Error, events: ConsumerEvents): Promise<void> {
    const file = `${this.opts.stream}#${m.seq}`;
    events.warning?.(`${file}: internal error: ${e.message}`);
    if (m.info.deliveryCount < INTERNAL_ERROR_DELIVERIES) return void m.nak(200 * m.info.deliveryCount);
    const f: EventFailure = { file, line: 1, logType: null, path: "", message: `internal error (the whole message, after ${m.info.deliveryCount} tries): ${e.message}`, raw: m.string() };
    const maxPayload = this.opts.nc.info?.max_payload ?? 1024 * 1024;
    try {
      await this.publisher.publishAll([{ subject: this.opts.deadLetters, data: fitDeadLetter(f, maxPayload), msgId: `${this.opts.stream}:${m.seq}:message` }]);
    } catch {
      return void m.nak(retryDelayMs(m.info.deliveryCount));
    }
    m.ack();
    this.stats.messages++;
    this.stats.count(null, false);
    events.failure?.(f);
  }

  private async handle(m: JsMsg, events: ConsumerEvents): Promise<void> {
    const seq = m.seq;
    const file = `${this.opts.stream}#${seq}`;
    const records: Array<{ logType: string; json: string; line: number }> = [];
    const failures: EventFailure[] = [];
    const publishes: Publish[] = [];
    const maxPayload = this.opts.nc.info?.max_payload ?? 1024 * 1024;
    // Event `index` of the body: the pipeline hands each event to the sink in order, and the
    // engine takes a record's row id while normalizing it, so the id source is set one ahead.
    let index = 0;
    this.rowIds.at(seq, 0);
    const nextEvent = (): void => this.rowIds.at(seq, ++index);
    const deadLetterOf = (f: EventFailure): void => {
      failures.push(f);
      publishes.push({ subject: this.opts.deadLetters, data: fitDeadLetter(f, maxPayload), msgId: `${this.opts.stream}:${seq}:${index}` });
    };
    const sink: EventSink = {
      record: (r, _file, line) => {
        const size = Buffer.byteLength(r.json);
        if (size <= maxPayload) {
          records.push({ logType: r.logType, json: r.json, line });
          publishes.push({ subject: this.subjects.get(r.logType) as string, data: r.json, msgId: `${this.opts.stream}:${seq}:${index}` });
        } else {
          const message = `the record (${size} bytes) is larger than the server's max_payload (${maxPayload} bytes); the event is line ${line} of message ${seq} of stream ${this.opts.stream}`;
          deadLetterOf({ file, line, logType: r.logType, path: "", message, raw: "", truncated: true });
        }
        nextEvent();
      },
      failure: (f) => {
        deadLetterOf(f);
        nextEvent();
      },
      skipped: nextEvent,
    };
    const input = this.pipeline.open(file);
    input.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), sink);
    input.end(sink);

    let stored: GroupResult;
    try {
      stored = await this.publisher.publishAll(publishes);
    } catch (e) {
      // Not acked, so not lost: the message comes again, and what was stored is deduplicated.
      this.stats.retried++;
      events.warning?.(`${file}: publishing failed (${(e as Error).message}); the message will be delivered again`);
      m.nak(retryDelayMs(m.info.deliveryCount));
      return;
    }
    m.ack();
    const s = this.stats;
    s.messages++;
    if (m.redelivered) s.redelivered++;
    s.duplicates += stored.duplicates;
    for (const r of records) s.count(r.logType, true);
    for (const f of failures) {
      s.count(f.logType, false);
      events.failure?.(f);
    }
    events.progress?.(s);
  }
}

/** Deliveries of a message that keeps hitting an internal error before its body becomes one dead letter. */
const INTERNAL_ERROR_DELIVERIES = 5;

/** Resolves after `ms`, or at once when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** A dead letter within the server's payload limit: the raw text cut short and marked if needed. */
export function fitDeadLetter(f: EventFailure, maxPayload: number): string {
  let text = deadLetter(f);
  if (Buffer.byteLength(text) <= maxPayload) return text;
  let raw = f.raw;
  while (Buffer.byteLength(text) > maxPayload && raw.length > 0) {
    raw = raw.slice(0, Math.floor(raw.length * Math.min(0.9, maxPayload / Buffer.byteLength(text))));
    text = deadLetter({ ...f, raw, truncated: true });
  }
  return text;
}
