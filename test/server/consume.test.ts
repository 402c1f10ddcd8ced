/**
 * The JetStream worker in-process, against a real nats-server (see test/helpers/nats.ts):
 * bodies in, records and dead letters out, acks only after the publishes are stored, and
 * redeliveries deduplicated by the server.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { DiscardPolicy } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { LogType } from "../../src/engine/logtype.js";
import { fixedClock, isClock, loadLogTypes } from "../../src/index.js";
import { SequenceRowIds } from "../../src/engine/rowid.js";
import { openConsumer, type ConsumeStats, type ConsumerOptions } from "../../src/server/consume.js";
import { consumerDone, hexEvents, natsUrl, releaseNats, publishBodies, readStream, topology, type Topology } from "../helpers/nats.js";

let url: string;
let nc: NatsConnection | undefined;
let hexAudit: LogType[] | undefined;

beforeEach(async () => {
  url = await natsUrl();
  nc ??= await connect({ servers: url });
  hexAudit ??= (await loadLogTypes()).types.filter((t) => t.name === "Hex.Audit");
});
afterAll(async () => {
  await nc?.close();
  await releaseNats();
});

const clock = fixedClock("2026-11-21T12:00:00Z");
if (!isClock(clock)) throw new Error(clock.problem);
const NOW = clock;

function boom(): never {
  throw new Error("a bug");
}

function options(t: Topology, consumer: string, extra: Partial<ConsumerOptions> = {}): ConsumerOptions {
  return {
    nc: nc as NatsConnection,
    stream: t.raw,
    consumer,
    types: hexAudit as LogType[],
    publish: t.recordSubject,
    deadLetters: t.deadSubject,
    maxInflight: 8,
    ackWaitSeconds: 30,
    maxEventBytes: 1024 * 1024,
    clock: NOW,
    ...extra,
  };
}

/** Runs a worker until the consumer has acked `messages` messages, then drains it. */
async function runUntilDone(t: Topology, consumer: string, messages: number, extra: Partial<ConsumerOptions> = {}): Promise<ConsumeStats> {
  const opened = await openConsumer(options(t, consumer, extra));
  if (!opened.ok) throw new Error(opened.message);
  const stop = new AbortController();
  const running = opened.consumer.run(stop.signal);
  await consumerDone(t, consumer, messages);
  stop.abort();
  return running;
}

describe("hexlog consume as a library", () => {
  test("single events, NDJSON bodies and JSON arrays become records and dead letters on their subjects", async () => {
    const t = await topology(url);
    try {
      const [a, b, c, d] = hexEvents(6, 3);
      const bodies = [a as string, `${b}\n${c}\n`, `[${d}]`, "{not json"];
      const seqs = await publishBodies(t, bodies);
      const stats = await runUntilDone(t, "workers", seqs.length);
      expect(stats.messages).toBe(4);
      expect({ events: stats.events, records: stats.records, errors: stats.errors }).toEqual({ events: 5, records: 3, errors: 2 });

      const stored = await readStream(t, t.out);
      const records = stored.filter((m) => m.subject.endsWith(".records.Hex.Audit")).map((m) => JSON.parse(m.data) as Record<string, unknown>);
      expect(records.map((r) => r.keySuffix)).toEqual(expect.arrayContaining(["k0", "k1", "k3"]));
      expect(records).toHaveLength(3);
      expect(records.every((r) => r.p_log_type === "Hex.Audit" && r.p_parse_time === "2026-11-21T12:00:00Z")).toBe(true);

      const dead = stored.filter((m) => m.subject === t.deadSubject).map((m) => JSON.parse(m.data) as Record<string, unknown>);
      expect(dead).toHaveLength(2);
      const missing = dead.find((x) => String(x.raw).includes('"k2"'));
      expect(missing).toEqual({ file: `${t.raw}#${seqs[1]}`, line: 2, logType: "Hex.Audit", error: "event.action: required field is missing", raw: c });
      const broken = dead.find((x) => x.raw === "{not json");
      expect(broken).toMatchObject({ file: `${t.raw}#${seqs[3]}`, line: 1, logType: "Hex.Audit" });
    } finally {
      await t.close();
    }
  });

  test("publishes carry Nats-Msg-Id stream:sequence:event, and p_row_id is fixed by the same position", async () => {
    const t = await topology(url);
    try {
      const [a, b] = hexEvents(2);
      const [seq] = await publishBodies(t, [`${a}\n${b}`]);
      await runUntilDone(t, "workers", 1);
      const stored = await readStream(t, t.out);
      expect(stored.map((m) => m.msgId)).toEqual([`${t.raw}:${seq}:0`, `${t.raw}:${seq}:1`]);
      const ids = new SequenceRowIds(t.raw);
      const expected = [0, 1].map((i) => {
        ids.at(seq as number, i);
        return ids.next();
      });
      expect(stored.map((m) => (JSON.parse(m.data) as { p_row_id: string }).p_row_id)).toEqual(expected);
      expect(new Set(expected).size).toBe(2);
    } finally {
      await t.close();
    }
  });

  test("a redelivered stream is deduplicated by the server: the same records, stored once", async () => {
    const t = await topology(url);
    try {
      const events = hexEvents(40, 7);
      const bodies = [0, 10, 20, 30].map((i) => events.slice(i, i + 10).join("\n"));
      await publishBodies(t, bodies);
      const first = await runUntilDone(t, "workers", 4);
      expect(first.duplicates).toBe(0);
      const before = await readStream(t, t.out);
      expect(before).toHaveLength(40);

      // Every message delivered again, as after a crash before the acks: a new consumer of that name.
      await t.jsm.consumers.delete(t.raw, "workers");
      const again = await runUntilDone(t, "workers", 4);
      expect(again.duplicates).toBe(40);
      const after = await readStream(t, t.out);
      expect(after).toEqual(before);
    } finally {
      await t.close();
    }
  });

  test("a message is acked only once every publish is stored: a refused publish sends it round again", async () => {
    // The output stream takes 3 messages, then refuses new ones until its limit is raised.
    const t = await topology(url, { max_msgs: 3, discard: DiscardPolicy.New });
    try {
      const events = hexEvents(5);
      const [seq] = await publishBodies(t, [events.join("\n")]);
      const opened = await openConsumer(options(t, "workers"));
      if (!opened.ok) throw new Error(opened.message);
      const warnings: string[] = [];
      const stop = new AbortController();
      const running = opened.consumer.run(stop.signal, { warning: (w) => warnings.push(w) });
      // Wait until the worker has been refused (the message is then still unacked).
      for (let i = 0; i < 2000 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(warnings[0]).toContain(`${t.raw}#${seq}: publishing failed`);
      const info = await t.jsm.consumers.info(t.raw, "workers");
      expect(info.ack_floor.stream_seq).toBe(0);

      const cfg = (await t.jsm.streams.info(t.out)).config;
      await t.jsm.streams.update(t.out, { ...cfg, max_msgs: -1 });
      await consumerDone(t, "workers", 1);
      stop.abort();
      const stats = await running;
      expect(stats.retried).toBeGreaterThan(0);
      expect(stats.messages).toBe(1);
      expect((await readStream(t, t.out)).map((m) => (JSON.parse(m.data) as { keySuffix: string }).keySuffix).sort()).toEqual(["k0", "k1", "k2", "k3", "k4"]);
    } finally {
      await t.close();
    }
  });

  test("text log types read a body line by line, through the same pipeline as parse", async () => {
    const t = await topology(url);
    try {
      const common = (await loadLogTypes({ schemas: ["testdata/schemas/text/apache-common.yml"] })).types.filter((x) => x.name === "Custom.ApacheCommon");
      const lines = readFileSync("testdata/text/apache/common.log", "utf8");
      await publishBodies(t, [lines]);
      const stats = await runUntilDone(t, "workers", 1, { types: common });
      const expected = lines.split("\n").filter((l) => l !== "").length;
      expect(stats.events).toBe(expected);
      const stored = await readStream(t, t.out);
      expect(stored).toHaveLength(expected);
      expect(stored.filter((m) => m.subject.endsWith(".records.Custom.ApacheCommon")).length).toBe(stats.records);
      expect(stats.records).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  test("a message that keeps meeting an internal error ends, after 5 tries, as one dead letter holding its whole body", async () => {
    const t = await topology(url);
    try {
      const real = (hexAudit as LogType[])[0] as LogType;
      const broken = { ...real, compiled: { ...real.compiled, body: boom, bodyInPlace: boom } } as LogType;
      const body = hexEvents(2).join("\n");
      const [seq] = await publishBodies(t, [body]);
      const warnings: string[] = [];
      const opened = await openConsumer(options(t, "workers", { types: [broken] }));
      if (!opened.ok) throw new Error(opened.message);
      const stop = new AbortController();
      const running = opened.consumer.run(stop.signal, { warning: (w) => warnings.push(w) });
      await consumerDone(t, "workers", 1);
      stop.abort();
      const stats = await running;
      expect(warnings).toHaveLength(5);
      expect(warnings[0]).toBe(`${t.raw}#${seq}: internal error: a bug`);
      expect({ messages: stats.messages, errors: stats.errors }).toEqual({ messages: 1, errors: 1 });
      const stored = await readStream(t, t.out);
      expect(stored.map((m) => JSON.parse(m.data))).toEqual([
        { file: `${t.raw}#${seq}`, line: 1, logType: null, error: "internal error (the whole message, after 5 tries): a bug", raw: body },
      ]);
    } finally {
      await t.close();
    }
  });

  test("setup problems are values: a missing input stream, an output subject no stream stores, records fed back as input", async () => {
    const t = await topology(url);
    try {
      const noStream = await openConsumer({ ...options(t, "w"), stream: "NO_SUCH_STREAM" });
      expect(noStream).toEqual({ ok: false, message: expect.stringContaining("no stream NO_SUCH_STREAM on the NATS server (--stream)") });
      const noOutput = await openConsumer({ ...options(t, "w"), publish: "nowhere.{logType}" });
      expect(noOutput).toEqual({ ok: false, message: expect.stringContaining("no stream stores subject nowhere.Hex.Audit (--publish)") });
      const loop = await openConsumer({ ...options(t, "w"), deadLetters: `${t.raw.toLowerCase()}.dead` });
      expect(loop).toEqual({ ok: false, message: expect.stringContaining(`is stored in the input stream ${t.raw}`) });
      const wildcard = await openConsumer({ ...options(t, "w"), publish: "out.*" });
      expect(wildcard).toEqual({ ok: false, message: expect.stringContaining("is not a subject to publish on") });
    } finally {
      await t.close();
    }
  });

  test("an output stream that forgets duplicates sooner than a redelivery comes is warned about", async () => {
    const t = await topology(url, { duplicate_window: 1_000_000_000 });
    try {
      const opened = await openConsumer(options(t, "workers", { ackWaitSeconds: 30 }));
      expect(opened.ok && opened.consumer.warnings).toEqual([expect.stringContaining(`stream ${t.out} deduplicates over 1s, less than twice the consumer's ack wait (30s)`)]);
    } finally {
      await t.close();
    }
  });
});
