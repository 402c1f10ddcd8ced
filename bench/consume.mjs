// npm run bench:consume: throughput of `hexlog consume` workers on NATS JetStream. Starts its own
// nats-server -js (Debian's package; on PATH) on a free loopback port with a temporary store, and
// for each worker count: fresh RAW and OUT streams, the events published as NDJSON bodies, the
// workers started, and the time from their start until the shared consumer has acked every
// message. Prints events/s per worker count and the CPU seconds of the workers and the server.
// Sizes: HEXLOG_CONSUME_EVENTS (100000), HEXLOG_CONSUME_BODY events per message (50),
// HEXLOG_CONSUME_WORKERS counts to run (1,2), HEXLOG_CONSUME_INFLIGHT (64).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const total = Number(process.env.HEXLOG_CONSUME_EVENTS ?? 100_000);
const perBody = Number(process.env.HEXLOG_CONSUME_BODY ?? 50);
const counts = (process.env.HEXLOG_CONSUME_WORKERS ?? "1,2").split(",").map(Number);
const inflight = process.env.HEXLOG_CONSUME_INFLIGHT ?? "64";
const pool = join(root, ".bench", "serve-events.ndjson");
const ticks = 100; // clock ticks per second in /proc/<pid>/stat

function runToEnd(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** User + system CPU seconds of a live process. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

async function startNats() {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "hexlog-bench-nats-"));
  const child = spawn("nats-server", ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", store], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise((resolve, reject) => {
    let log = "";
    child.on("error", (e) => reject(new Error(`cannot start nats-server (apt-get install nats-server): ${e.message}`)));
    child.stderr.on("data", (d) => {
      log += d;
      if (log.includes("Server is ready")) resolve();
    });
  });
  return { url: `nats://127.0.0.1:${port}`, child, store };
}

function startWorker(url, args) {
  const child = spawn(process.execPath, [...(process.env.HEXLOG_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), join(root, "bin", "hexlog"), "consume", "--nats", url, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const exited = new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr: err })));
  const ready = new Promise((resolve, reject) => {
    child.stderr.on("data", (d) => {
      err += d;
      if (/^hexlog: consuming stream /m.test(err)) resolve();
    });
    exited.then((r) => reject(new Error(`worker exited ${r.code}: ${r.stderr}`)));
  });
  return { child, ready, exited };
}

async function run(server, lines, workers) {
  const nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  for (const name of ["RAW", "OUT"]) await jsm.streams.delete(name).catch(() => false);
  await jsm.streams.add({ name: "RAW", subjects: ["raw.>"] });
  await jsm.streams.add({ name: "OUT", subjects: ["records.>", "dead"], duplicate_window: nanos(120_000) });
  const bodies = [];
  for (let i = 0; i < total; i += perBody) {
    const slice = [];
    for (let j = i; j < Math.min(total, i + perBody); j++) slice.push(lines[j % lines.length]);
    bodies.push(slice.join("\n"));
  }
  for (let i = 0; i < bodies.length; i += 200) await Promise.all(bodies.slice(i, i + 200).map((b) => js.publish("raw.hex", b)));
  const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);

  const args = ["--stream", "RAW", "--consumer", "hexlog", "-t", "Hex.Audit", "--publish", "records.{logType}", "--dead-letters", "dead", "--max-inflight", inflight, "-q"];
  // The consumer exists before the workers start, so the clock starts with all of them ready.
  await jsm.consumers.add("RAW", { durable_name: "hexlog", ack_policy: "explicit", ack_wait: nanos(30_000), max_ack_pending: 10_000 });
  const serverCpu0 = cpuSeconds(server.child.pid);
  const started = performance.now();
  const ws = Array.from({ length: workers }, () => startWorker(server.url, args));
  await Promise.all(ws.map((w) => w.ready));
  for (;;) {
    const info = await jsm.consumers.info("RAW", "hexlog");
    if (info.num_pending === 0 && info.num_ack_pending === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const workerCpu = ws.reduce((n, w) => n + cpuSeconds(w.child.pid), 0);
  const serverCpu = cpuSeconds(server.child.pid) - serverCpu0;
  for (const w of ws) w.child.kill("SIGTERM");
  const codes = (await Promise.all(ws.map((w) => w.exited))).map((r) => r.code);
  const stored = (await jsm.streams.info("OUT")).state.messages;
  await nc.close();
  if (stored !== total || codes.some((c) => c !== 0)) throw new Error(`expected ${total} records and exit 0, got ${stored} and ${codes}`);
  return { workers, events: total, seconds, eventsPerSec: total / seconds, mibPerSec: bytes / 1024 / 1024 / seconds, workerCpu, serverCpu };
}

async function main() {
  if (!existsSync(pool) || statSync(pool).size < 2 * 1024 * 1024) {
    mkdirSync(dirname(pool), { recursive: true });
    await runToEnd(process.execPath, [join(root, "bench", "generate.mjs"), pool, "2"]);
  }
  const lines = readFileSync(pool, "utf8").trim().split("\n");
  const server = await startNats();
  try {
    const results = [];
    for (const n of counts) {
      const r = await run(server, lines, n);
      results.push(r);
      console.log(
        `${n} worker${n === 1 ? " " : "s"}: ${r.events} events in ${r.seconds.toFixed(2)}s = ${Math.round(r.eventsPerSec).toLocaleString("en-US")} events/s ` +
          `(${r.mibPerSec.toFixed(1)} MiB/s in; CPU s: workers ${r.workerCpu.toFixed(1)}, nats-server ${r.serverCpu.toFixed(1)})`,
      );
    }
    if (results.length > 1) console.log(`ratio ${counts.at(-1)}/${counts[0]} workers: ${(results.at(-1).eventsPerSec / results[0].eventsPerSec).toFixed(2)}×`);
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.on("close", r));
    rmSync(server.store, { recursive: true, force: true });
  }
}

await main();
