/**
 * The webhook receiver's other output: accepted bodies written as they came (decompressed) to a
 * JetStream stream, for `hexlog consume` workers to normalize — so receivers and workers scale
 * apart. A body counts as received once the stream has stored it.
 */
import { jetstream, jetstreamManager, type JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectNats, subjectProblem, type NatsAuth } from "./nats.js";

export interface RawTarget {
  /** Server URL(s), comma-separated. */
  servers: string;
  subject: string;
}

/** `nats://host:4222/raw.hex` → server and subject; a message when it is not that. */
export function parseRawTarget(text: string): RawTarget | string {
  const m = /^((?:(?:nats|tls):\/\/)?[^/\s]+)\/([^/\s]+)$/.exec(text);
  if (!m) return `--publish-raw "${text}" is not URL/SUBJECT (e.g. nats://127.0.0.1:4222/raw.hex)`;
  const subject = m[2] as string;
  const problem = subjectProblem(subject, "--publish-raw");
  if (problem) return problem;
  return { servers: m[1] as string, subject };
}

export interface RawPublisher {
  /** The stream that stores the subject. */
  readonly stream: string;
  /** Resolves with where the stream stored the body, once it has. */
  publish(body: Buffer): Promise<{ stream: string; seq: number }>;
  /** Waits for publishes in flight and closes the connection. */
  close(): Promise<void>;
}

/** Bodies at most this close to the server's max_payload leave room for the protocol's headers. */
const HEADROOM = 1024;

export async function openRawPublisher(target: RawTarget, auth: NatsAuth, onStatus?: (line: string) => void): Promise<{ ok: true; publisher: RawPublisher; maxBody: number } | { ok: false; message: string }> {
  const connected = await connectNats({ servers: target.servers, name: "hexlog serve", ...auth }, onStatus);
  if (!connected.ok) return connected;
  const nc: NatsConnection = connected.nc;
  let stream: string;
  try {
    const jsm = await jetstreamManager(nc);
    stream = await jsm.streams.find(target.subject);
  } catch (e) {
    await nc.close();
    const why = /not enabled|no responders/i.test((e as Error).message) ? "the server has no JetStream (start it with nats-server -js)" : `no stream stores subject ${target.subject}`;
    return { ok: false, message: `--publish-raw: ${why}: add one, e.g. nats stream add RAW --subjects '${target.subject.split(".")[0]}.>'` };
  }
  const js: JetStreamClient = jetstream(nc);
  const maxBody = (nc.info?.max_payload ?? 1024 * 1024) - HEADROOM;
  const publisher: RawPublisher = {
    stream,
    publish: async (body) => {
      const ack = await js.publish(target.subject, body);
      return { stream: ack.stream, seq: ack.seq };
    },
    close: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
  };
  return { ok: true, publisher, maxBody };
}
