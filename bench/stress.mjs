// npm run stress (not in CI): constant memory whatever the input and the consumer.
//  1. `hexlog parse` over a 1 GB Hex.Audit corpus (generated once in .bench/), one and two
//     workers: peak RSS must stay ≤ 150 MiB.
//  3. Fault injection at big sizes (bench/stress-faults.mjs): long lines 1–64 MiB with their
//     slope, an over-limit line, regex blow-up lines, gzip faults, 1000 concurrent serve bodies.
//  4. `hexlog parse --format parquet --out DIR` over the same corpus: peak RSS ≤ 150 MiB, and
//     DuckDB reads every file written, with one row per event.
//  2. A slow consumer: hexlog reads the corpus from a pipe while its stdout is read at a crawl,
//     then not at all. hexlog must stop reading instead of buffering: the input it took beyond
//     what the consumer took stays small, and so does its peak RSS.
// Environment: HEXLOG_STRESS_FILE (corpus path), HEXLOG_STRESS_MB (corpus size, default 1024),
// HEXLOG_STRESS_ONLY=parquet (only run 4).
import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runFaults } from "./stress-faults.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const megabytes = Number(process.env.HEXLOG_STRESS_MB ?? 1024);
const corpus = process.env.HEXLOG_STRESS_FILE ?? join(root, ".bench", `hex-audit-${megabytes}m.ndjson`);
const bin = join(root, "bin", "hexlog");
const LIMIT_MIB = 150;
/** The slow consumer: this many bytes per second for this long, then nothing for a while. */
const SLOW_RATE = 2 * 1024 * 1024;
const SLOW_SECONDS = 8;
const STALL_SECONDS = 4;

const mib = (bytes) => (bytes / 1048576).toFixed(1);

function newlines(buf) {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function statsOf(stderr) {
  const line = stderr.trim().split("\n").filter((l) => l.startsWith("{")).pop();
  return line ? JSON.parse(line) : {};
}

function generate() {
  return new Promise((resolve, reject) => {
    mkdirSync(dirname(corpus), { recursive: true });
    const child = spawn(process.execPath, [join(root, "bench", "generate.mjs"), corpus, String(megabytes)], { stdio: "inherit" });
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`generate.mjs exited ${code}`))));
  });
}

/** hexlog over the whole corpus, output thrown away as fast as it comes. */
function fullRun(workers) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, "parse", "-t", "Hex.Audit", "-q", "--workers", String(workers), corpus], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, HEXLOG_STATS: "1" },
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, stats: statsOf(err) }));
  });
}

/** hexlog writing Parquet files; then DuckDB counts the rows of every file. */
function parquetRun() {
  const out = mkdtempSync(join(tmpdir(), "hexlog-stress-parquet-"));
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, "parse", "-t", "Hex.Audit", "-q", "--format", "parquet", "--out", out, corpus], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, HEXLOG_STATS: "1" },
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", async (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let rows = -1;
      let files = 0;
      try {
        const { DuckDBInstance } = await import("@duckdb/node-api");
        const db = await DuckDBInstance.create(":memory:");
        const conn = await db.connect();
        const r = (await conn.runAndReadAll(`select count(*) as n, count(distinct filename) as f from read_parquet('${out}/**/*.parquet', filename = true)`)).getRowObjectsJson()[0];
        rows = Number(r.n);
        files = Number(r.f);
        conn.closeSync();
        db.closeSync();
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      resolve({ code, seconds, rows, files, stats: statsOf(err) });
    });
  });
}

/** hexlog fed through a pipe, its output read slowly, then not at all, then closed. */
function slowRun(workers) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "parse", "-t", "Hex.Audit", "-q", "--workers", String(workers)], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, HEXLOG_STATS: "1" },
    });
    let fed = 0;
    let fedLines = 0;
    let consumed = 0;
    let consumedLines = 0;
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const input = createReadStream(corpus, { highWaterMark: 1 << 16 });
    input.on("data", (chunk) => {
      fed += chunk.length;
      fedLines += newlines(chunk);
    });
    input.pipe(child.stdin);
    child.stdin.on("error", () => input.destroy());

    const started = Date.now();
    child.stdout.on("data", (chunk) => {
      consumed += chunk.length;
      consumedLines += newlines(chunk);
      child.stdout.pause();
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed < SLOW_SECONDS) setTimeout(() => child.stdout.resume(), (chunk.length / SLOW_RATE) * 1000);
    });
    let fedAtStall = 0;
    setTimeout(() => (fedAtStall = fed), SLOW_SECONDS * 1000);
    setTimeout(() => {
      // After the stall the consumer goes away: hexlog must notice and end quietly.
      child.stdout.destroy();
    }, (SLOW_SECONDS + STALL_SECONDS) * 1000);
    child.on("close", (code) => {
      input.destroy();
      // Events read but not yet taken by the consumer, in input bytes.
      const ahead = (fedLines - consumedLines) * (fed / Math.max(1, fedLines));
      resolve({ code, fed, consumed, ahead, grewDuringStall: fed - fedAtStall, stats: statsOf(err) });
    });
  });
}

async function main() {
  if (!existsSync(corpus) || statSync(corpus).size < megabytes * 1024 * 1024 * 0.99) await generate();
  const size = statSync(corpus).size;
  console.log(`corpus: ${corpus} (${mib(size)} MiB)`);
  let ok = true;
  const only = process.env.HEXLOG_STRESS_ONLY;
  for (const workers of only ? [] : [1, 2]) {
    const r = await fullRun(workers);
    const peak = r.stats.maxRssBytes / 1048576;
    const pass = r.code === 0 && peak <= LIMIT_MIB;
    ok &&= pass;
    console.log(
      `full run, --workers ${workers}: ${r.seconds.toFixed(1)} s, ${(size / 1048576 / r.seconds).toFixed(1)} MiB/s, ${r.stats.events} events, peak RSS ${peak.toFixed(0)} MiB (≤ ${LIMIT_MIB})  ${pass ? "PASS" : "FAIL"}`,
    );
  }
  for (const workers of only ? [] : [1, 2]) {
    const r = await slowRun(workers);
    const peak = r.stats.maxRssBytes / 1048576;
    const ahead = r.ahead;
    // Pipe buffers on both sides plus the batches in flight: a few MiB, never the input.
    const pass = r.code === 0 && peak <= LIMIT_MIB && ahead < 64 * 1048576 && r.grewDuringStall < 16 * 1048576;
    ok &&= pass;
    console.log(
      `slow consumer, --workers ${workers}: hexlog read ${mib(r.fed)} MiB of input, the consumer took ${mib(r.consumed)} MiB of records; read ahead of the consumer: ${mib(ahead)} MiB of input, ${mib(r.grewDuringStall)} MiB read while it stalled; exit ${r.code}, peak RSS ${peak.toFixed(0)} MiB  ${pass ? "PASS" : "FAIL"}`,
    );
  }
  {
    const r = await parquetRun();
    const peak = r.stats.maxRssBytes / 1048576;
    const pass = r.code === 0 && peak <= LIMIT_MIB && r.rows === r.stats.records;
    ok &&= pass;
    console.log(
      `parquet: ${r.seconds.toFixed(1)} s, ${(size / 1048576 / r.seconds).toFixed(1)} MiB/s, ${r.stats.records} records, DuckDB read ${r.rows} rows from ${r.files} files, peak RSS ${peak.toFixed(0)} MiB (≤ ${LIMIT_MIB})  ${pass ? "PASS" : "FAIL"}`,
    );
  }
  if (!only) ok = (await runFaults()) && ok;
  process.exitCode = ok ? 0 : 1;
}

await main();
