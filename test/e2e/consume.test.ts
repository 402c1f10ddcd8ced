/**
 * `hexlog consume` as processes: exit codes and messages for setup problems, a graceful drain on
 * SIGTERM, and the fault tests — workers killed with SIGKILL and a server restarted mid-run —
 * after which every event is exactly one record or one dead letter.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { SequenceRowIds } from "../../src/engine/rowid.js";
import { hexlog, ROOT } from "../helpers/cli.js";
import {
  consumerDone,
  freePort,
  hexEvents,
  natsUrl,
  releaseNats,
  publishBodies,
  readStream,
  startNatsServer,
  startWorker,
  streamHolds,
  topology,
  uniqueName,
  type NatsServer,
  type Topology,
  type Worker,
} from "../helpers/nats.js";

let url: string;
beforeEach(async () => {
  url = await natsUrl();
});
afterAll(releaseNats);

function workerArgs(t: Topology, serverUrl: string, extra: string[] = []): string[] {
  return ["--nats", serverUrl, "--stream", t.raw, "--consumer", "workers", "-t", "Hex.Audit", "--publish", t.recordSubject, "--dead-letters", t.deadSubject, ...extra];
}

/** Bodies of `perBody` NDJSON events each. */
function bodiesOf(events: string[], perBody: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < events.length; i += perBody) out.push(events.slice(i, i + perBody).join("\n"));
  return out;
}

/**
 * Every event is exactly one stored record or dead letter: counted, matched by event key, and
 * each record's p_row_id is the one its stream position gives.
 */
async function expectExactlyOnce(t: Topology, events: string[], perBody: number, seqs: number[]): Promise<void> {
  const stored = await readStream(t, t.out);
  const keys: string[] = [];
  const rowIds = new Set<string>();
  const ids = new SequenceRowIds(t.raw);
  const wrongRowIds: string[] = [];
  let dead = 0;
  for (const m of stored) {
    const v = JSON.parse(m.data) as Record<string, unknown>;
    if (m.subject === t.deadSubject) {
      dead++;
      keys.push((JSON.parse(v.raw as string) as { keySuffix: string }).keySuffix);
      continue;
    }
    const key = v.keySuffix as string;
    keys.push(key);
    const n = Number(key.slice(1));
    ids.at(seqs[Math.floor(n / perBody)] as number, n % perBody);
    if (v.p_row_id !== ids.next()) wrongRowIds.push(key);
    rowIds.add(v.p_row_id as string);
  }
  expect(wrongRowIds).toEqual([]);
  expect(stored.length).toBe(events.length);
  expect(new Set(keys).size).toBe(events.length);
  expect(rowIds.size).toBe(events.length - dead);
  expect(dead).toBe(events.filter((e) => !e.includes('"action"')).length);
  expect(new Set(stored.map((m) => m.msgId)).size).toBe(events.length);
}

async function stopAll(workers: Worker[]): Promise<Array<{ code: number | null; stderr: string }>> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
  return Promise.all(workers.map((w) => w.exited));
}

/** Sum of one count from the workers' "N messages acked (N redelivered, …)" summary lines. */
function summed(results: Array<{ stderr: string }>, what: RegExp): number {
  return results.reduce((n, r) => n + Number(what.exec(r.stderr)?.[1] ?? 0), 0);
}

describe("hexlog consume: a worker process", () => {
  test("normalizes what arrives, reports dead letters like parse, and drains on SIGTERM with exit 0", async () => {
    const t = await topology(url);
    try {
      const events = hexEvents(30, 10);
      const seqs = await publishBodies(t, bodiesOf(events, 10));
      const w = startWorker(workerArgs(t, url));
      await w.ready;
      await consumerDone(t, "workers", seqs.length);
      w.child.kill("SIGTERM");
      const r = await w.exited;
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`${t.raw}#${seqs[0]}:10: Hex.Audit: event.action: required field is missing`);
      expect(r.stderr).toContain("hexlog: 3 messages acked (0 redelivered, 0 duplicate publishes dropped by the server, 0 retried)");
      expect(r.stderr).toMatch(/30 events → 27 records, 3 errors in /);
      expect(r.stdout).toBe("");
      await expectExactlyOnce(t, events, 10, seqs);
    } finally {
      await t.close();
    }
  });

  test("examples/nats-streams.mjs creates the README's two streams once and keeps them after", async () => {
    const prefix = uniqueName("ex").concat("_");
    const run = (): string => execFileSync(process.execPath, ["examples/nats-streams.mjs", url, prefix], { cwd: ROOT, encoding: "utf8" });
    expect(run()).toBe(`created stream ${prefix}RAW (${prefix.toLowerCase()}raw.>)\ncreated stream ${prefix}RECORDS (${prefix.toLowerCase()}records.>, ${prefix.toLowerCase()}dead)\n`);
    expect(run()).toContain(`kept stream ${prefix}RAW`);
    const nc = await connect({ servers: url });
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(`${prefix}RECORDS`)).config.duplicate_window).toBe(120_000_000_000);
    for (const name of ["RAW", "RECORDS"]) await jsm.streams.delete(`${prefix}${name}`);
    await nc.close();
  });

  test("a setup problem exits 2 with one line, before any message is taken", async () => {
    const t = await topology(url);
    try {
      const port = await freePort();
      const refused = await hexlog(["consume", ...workerArgs(t, `nats://127.0.0.1:${port}`)]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(`hexlog: cannot connect to NATS at nats://127.0.0.1:${port}: connection refused (is nats-server running? start it with: nats-server -js)\n`);

      const noOutput = await hexlog(["consume", ...workerArgs(t, url), "--publish", "nowhere.{logType}"]);
      expect(noOutput.code).toBe(2);
      expect(noOutput.stderr).toMatch(/^hexlog: no stream stores subject nowhere\.Hex\.Audit \(--publish\)/);
    } finally {
      await t.close();
    }
  });
});

/**
 * 10,000 events in 200 bodies (50,000 in 1,000 under `npm run stress`, which sets
 * HEXLOG_STRESS_BIG=1), 3 workers with a 2-second ack wait (so the killed worker's messages come
 * round again soon), 1 event in 1,000 a dead letter.
 */
const FAULT_EVENTS = process.env.HEXLOG_STRESS_BIG === "1" ? 50_000 : 10_000;
/** A ceiling, not a measurement: each test costs about 11 CPU-seconds (workers, server, checks), far more wall time on a shared machine. */
const FAULT_TEST_LIMIT_MS = 180_000;
const PER_BODY = 50;

describe("hexlog consume: faults", () => {
  test("3 workers, one killed with SIGKILL mid-run: every event ends as exactly one record or dead letter", async () => {
    const t = await topology(url);
    try {
      const events = hexEvents(FAULT_EVENTS, 1000);
      const seqs = await publishBodies(t, bodiesOf(events, PER_BODY));
      const args = workerArgs(t, url, ["--ack-wait", "2", "--max-inflight", "16"]);
      // The victim runs alone until it is killed holding unacked messages: frozen (SIGSTOP), every
      // message the consumer counts as unacked is its own; if it holds none at that instant, it
      // goes on and is frozen again. So the others must get its messages again.
      const victim = startWorker(args);
      await victim.ready;
      await streamHolds(t, t.out, FAULT_EVENTS / 8);
      let held = 0;
      for (let attempt = 0; attempt < 200 && held === 0; attempt++) {
        victim.child.kill("SIGSTOP");
        held = (await t.jsm.consumers.info(t.raw, "workers")).num_ack_pending;
        if (held === 0) {
          victim.child.kill("SIGCONT");
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      expect(held).toBeGreaterThan(0);
      victim.child.kill("SIGKILL");
      expect((await victim.exited).signal).toBe("SIGKILL");
      const workers = [startWorker(args), startWorker(args)];
      await Promise.all(workers.map((w) => w.ready));

      await consumerDone(t, "workers", seqs.length);
      const results = await stopAll(workers);
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      // The victim's unacked messages went to the others.
      expect(summed(results, /\((\d+) redelivered/)).toBeGreaterThan(0);
      await expectExactlyOnce(t, events, PER_BODY, seqs);
    } finally {
      await t.close();
    }
  }, FAULT_TEST_LIMIT_MS);

  test("a server restarted mid-run: the workers reconnect and every event still ends exactly once", async () => {
    let server: NatsServer | undefined;
    server = await startNatsServer();
    const t = await topology(server.url);
    try {
      const events = hexEvents(FAULT_EVENTS, 1000);
      const seqs = await publishBodies(t, bodiesOf(events, PER_BODY));
      const args = workerArgs(t, server.url, ["--ack-wait", "2", "--max-inflight", "16"]);
      const workers = [startWorker(args), startWorker(args), startWorker(args)];
      await Promise.all(workers.map((w) => w.ready));
      await streamHolds(t, t.out, FAULT_EVENTS / 4);
      await server.restart();

      await consumerDone(t, "workers", seqs.length);
      const results = await stopAll(workers);
      expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
      expect(results.every((r) => /reconnected to /.test(r.stderr))).toBe(true);
      await expectExactlyOnce(t, events, PER_BODY, seqs);
    } finally {
      await t.close().catch(() => undefined);
      await server?.stop();
      server = undefined;
    }
  }, FAULT_TEST_LIMIT_MS);
});

