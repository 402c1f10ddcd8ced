// npm run bench:serve: load test of `hexlog serve`. Starts the server (a child process) on a free
// loopback port, sends many concurrent POSTs of Hex.Audit NDJSON from this process over keep-alive
// connections, then stops the server with SIGTERM and checks that every event came out as a
// record. Prints requests/s, events/s, MiB/s and latency p50/p99.
// Sizes: HEXLOG_SERVE_REQUESTS (2000), HEXLOG_SERVE_EVENTS per request (50),
// HEXLOG_SERVE_CONCURRENCY (32).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { Agent, request } from "node:http";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const requests = Number(process.env.HEXLOG_SERVE_REQUESTS ?? 2000);
const eventsPerRequest = Number(process.env.HEXLOG_SERVE_EVENTS ?? 50);
const concurrency = Number(process.env.HEXLOG_SERVE_CONCURRENCY ?? 32);
const pool = join(root, ".bench", "serve-events.ndjson");
const output = join(root, ".bench", "serve-records.ndjson");

function runToEnd(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function countLines(file) {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) if (line !== "") n++;
  return n;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  if (!existsSync(pool) || statSync(pool).size < 2 * 1024 * 1024) {
    mkdirSync(dirname(pool), { recursive: true });
    await runToEnd(process.execPath, [join(root, "bench", "generate.mjs"), pool, "2"]);
  }
  const lines = readFileSync(pool, "utf8").trim().split("\n");
  // Bodies cycle through the pool; a body of every size is prepared once, outside the timing.
  const bodies = [];
  for (let i = 0; i < Math.min(requests, 64); i++) {
    const start = (i * eventsPerRequest) % Math.max(1, lines.length - eventsPerRequest);
    bodies.push(Buffer.from(lines.slice(start, start + eventsPerRequest).join("\n") + "\n"));
  }

  const token = randomBytes(16).toString("hex");
  const server = spawn(process.execPath, [join(root, "bin", "hexlog"), "serve", "--port", "0", "-t", "Hex.Audit", "-q", "-o", output], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, HEXLOG_BEARER: token },
  });
  let serverErr = "";
  const exited = new Promise((resolve) => server.on("close", (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    server.stderr.on("data", (d) => {
      serverErr += d;
      const m = /^hexlog: listening on (\S+)$/m.exec(serverErr);
      if (m) resolve(new URL(m[1]));
    });
    exited.then((code) => reject(new Error(`hexlog serve exited ${code}: ${serverErr}`)));
  });

  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let sent = 0;
  let sentEvents = 0;
  let sentBytes = 0;
  let acknowledged = 0;
  let failures = 0;
  const post = (body) =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = request(
        url,
        { method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", "content-length": body.length } },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.statusCode === 200) acknowledged += JSON.parse(text).records;
            else failures++;
            resolve();
          });
        },
      );
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end(body);
    });

  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        const body = bodies[sent % bodies.length];
        sent++;
        sentEvents += eventsPerRequest;
        sentBytes += body.length;
        await post(body);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  server.kill("SIGTERM");
  const code = await exited;
  const written = await countLines(output);

  latencies.sort((a, b) => a - b);
  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  console.log(`hexlog serve: ${requests} requests × ${eventsPerRequest} events, ${concurrency} concurrent keep-alive connections, loopback`);
  console.log(`  ${fmt(requests / seconds)} requests/s, ${fmt(sentEvents / seconds)} events/s, ${(sentBytes / 1048576 / seconds).toFixed(1)} MiB/s in ${seconds.toFixed(2)}s`);
  console.log(`  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  const lost = sentEvents - written;
  console.log(`  events sent ${sentEvents}, acknowledged ${acknowledged}, records written ${written}, failed requests ${failures}, server exit ${code}`);
  if (lost !== 0 || acknowledged !== written || failures > 0 || code !== 0) {
    console.log("  FAIL: events were lost or refused");
    process.exitCode = 1;
  } else {
    console.log("  ok: nothing lost");
  }
}

await main();
