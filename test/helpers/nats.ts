/**
 * A real nats-server for tests. `.ci/run` starts one and passes its URL in HEXLOG_TEST_NATS_URL;
 * without it a test run on a developer machine starts its own (nats-server on PATH), and under
 * CI=true a missing URL fails the tests rather than skipping them. Tests that restart the
 * server or need server options (auth) start a private one with startNatsServer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { connect, nanos, type NatsConnection } from "@nats-io/transport-node";
import { BIN, ROOT, type RunResult } from "./cli.js";

export interface NatsServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: a clean shutdown that keeps the stream files). */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and store. */
  restart(): Promise<void>;
}

let local: Promise<NatsServer> | undefined;

/**
 * The URL of the server the tests share. Call it in beforeEach (not beforeAll), so that without
 * a server every test fails rather than being skipped; pair it with afterAll(releaseNats).
 */
export async function natsUrl(): Promise<string> {
  const fromCi = process.env.HEXLOG_TEST_NATS_URL;
  if (fromCi) return fromCi;
  if (process.env.CI) throw new Error("HEXLOG_TEST_NATS_URL is not set: .ci/run starts nats-server and sets it (the NATS tests need a real server)");
  // A developer's run: a server of this test file's own.
  local ??= startNatsServer();
  return (await local).url;
}

/** Stops the server natsUrl started for this test file, if it did. */
export async function releaseNats(): Promise<void> {
  const s = local;
  local = undefined;
  if (s) await (await s).stop();
}

/** A free loopback port (the kernel picks one; released just before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `nats-server -js` on a free loopback port with a temporary store. */
export async function startNatsServer(extraArgs: string[] = []): Promise<NatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "hexlog-nats-"));
  let child: ChildProcess | undefined;
  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const c = spawn(process.env.HEXLOG_TEST_NATS_SERVER ?? "nats-server", ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", store, ...extraArgs], { stdio: ["ignore", "ignore", "pipe"] });
      child = c;
      let log = "";
      c.once("error", (e) => reject(new Error(`cannot start nats-server (install it: apt-get install nats-server): ${e.message}`)));
      c.stderr?.on("data", (d: Buffer) => {
        log += d.toString("utf8");
        if (log.includes("Server is ready")) resolve();
      });
      c.once("exit", (code) => reject(new Error(`nats-server exited (${code}) before it was ready: ${log}`)));
    });
  const stopChild = (): Promise<void> =>
    new Promise((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
    });
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stopChild();
      rmSync(store, { recursive: true, force: true });
    },
    restart: async () => {
      await stopChild();
      await launch();
    },
  };
}

/** Names unique to one test, so tests share a server without seeing each other's streams. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}

export interface Topology {
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** Input stream (subjects `<raw>.>`). */
  raw: string;
  rawSubject: string;
  /** Output stream holding `<out>.records.>` and `<out>.dead`. */
  out: string;
  recordSubject: string;
  deadSubject: string;
  close(): Promise<void>;
}

/** Creates an input and an output stream (file storage, so they survive a server restart). */
export async function topology(url: string, outConfig: Partial<StreamConfig> = {}, token?: string, tlsCa?: string): Promise<Topology> {
  const nc = await connect({ servers: url, token, ...(tlsCa ? { tls: { caFile: tlsCa } } : {}) });
  const jsm = await jetstreamManager(nc);
  const raw = uniqueName("raw");
  const out = uniqueName("out");
  const rawSubject = `${raw.toLowerCase()}.in`;
  await jsm.streams.add({ name: raw, subjects: [`${raw.toLowerCase()}.>`] });
  await jsm.streams.add({ name: out, subjects: [`${out.toLowerCase()}.>`], duplicate_window: nanos(120_000), ...outConfig });
  return {
    nc,
    jsm,
    raw,
    rawSubject,
    out,
    recordSubject: `${out.toLowerCase()}.records.{logType}`,
    deadSubject: `${out.toLowerCase()}.dead`,
    close: async () => {
      await jsm.streams.delete(raw).catch(() => false);
      await jsm.streams.delete(out).catch(() => false);
      await nc.close();
    },
  };
}

/** Publishes bodies to the input stream; returns their stream sequences. */
export async function publishBodies(t: Topology, bodies: string[]): Promise<number[]> {
  const js = jetstream(t.nc);
  const seqs: number[] = [];
  // In slices, so the client never holds thousands of unacknowledged publishes.
  for (let i = 0; i < bodies.length; i += 200) {
    const acks = await Promise.all(bodies.slice(i, i + 200).map((b) => js.publish(t.rawSubject, b)));
    seqs.push(...acks.map((a) => a.seq));
  }
  return seqs;
}

export interface StoredMessage {
  subject: string;
  data: string;
  msgId: string | undefined;
}

/** Every message of a stream, in order. */
export async function readStream(t: Topology, stream: string): Promise<StoredMessage[]> {
  const info = await t.jsm.streams.info(stream);
  const total = info.state.messages;
  const out: StoredMessage[] = [];
  if (total === 0) return out;
  const js = jetstream(t.nc);
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 1000 });
  for await (const m of messages) {
    out.push({ subject: m.subject, data: m.string(), msgId: m.headers?.get("Nats-Msg-Id") });
    if (out.length >= total) break;
  }
  await messages.close();
  return out;
}

/** Resolves once the shared consumer has nothing left to deliver or to be acked (polled, bounded). */
export async function consumerDone(t: Topology, consumer: string, expectedAcked: number): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const info = await t.jsm.consumers.info(t.raw, consumer).catch(() => undefined);
    if (info && info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= expectedAcked) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`consumer ${consumer} did not finish`);
}

/** Resolves once the output stream holds at least `n` messages (polled, bounded). */
export async function streamHolds(t: Topology, stream: string, n: number): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const info = await t.jsm.streams.info(stream).catch(() => undefined);
    if (info && info.state.messages >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`stream ${stream} never held ${n} messages`);
}


/** A running `hexlog consume` worker. */
export interface Worker {
  child: ChildProcess;
  stderr(): string;
  /** Resolves once the worker has connected and checked its streams. */
  ready: Promise<void>;
  exited: Promise<RunResult>;
}

export function startWorker(args: string[], env: Record<string, string | undefined> = {}): Worker {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: "true", HEXLOG_NATS_URL: undefined, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, [BIN, "consume", ...args], { cwd: ROOT, env: merged as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<RunResult>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString("utf8");
      if (/^hexlog: consuming stream /m.test(err)) resolve();
    });
    void exited.then((r) => reject(new Error(`hexlog consume exited ${r.code} before it was ready: ${r.stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, stderr: () => err, ready, exited };
}

/** Hex.Audit events with a unique keySuffix; every `badEvery`-th lacks its required action. */
export function hexEvents(n: number, badEvery = 0, from = 0): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) {
    const bad = badEvery > 0 && i % badEvery === badEvery - 1;
    const event: Record<string, unknown> = {
      actor: { id: `user-${i % 97}`, type: "USER", metadata: { email: `u${i % 97}@example.com` } },
      context: { location: `192.0.2.${i % 250}` },
      occurred_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    };
    if (!bad) event.action = "LOGIN";
    out.push(JSON.stringify({ source: "Hex", keySuffix: `k${i}`, timestamp: "2026-01-01T00:00:00Z", event }));
  }
  return out;
}
