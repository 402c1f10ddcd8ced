// Parquet output throughput as a ratio to NDJSON output: `hexlog parse --type Hex.Audit` on the
// bench corpus, records to /dev/null as NDJSON vs `--format parquet --out <tmp dir>`, alternating,
// best of N. Run alone (`node bench/parquet.mjs`, after `npm run build`) or from bench/run.mjs.
// Environment: HEXLOG_BENCH_FILE, HEXLOG_BENCH_MB, HEXLOG_BENCH_RUNS as for bench/run.mjs.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function hexlog(args) {
  return new Promise((resolve, reject) => {
    const devnull = openSync("/dev/null", "w");
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(root, "bin", "hexlog"), ...args], { stdio: ["ignore", devnull, "pipe"], env: { ...process.env, HEXLOG_STATS: "1" } });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      closeSync(devnull);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`hexlog ${args.join(" ")} exited ${code}: ${err}`));
      const line = err.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      resolve({ seconds, stats: line ? JSON.parse(line) : {} });
    });
  });
}

function sizeOf(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

/** Prints the figures and returns them. */
export async function benchParquet({ corpus, runs }) {
  const mib = statSync(corpus).size / 1048576;
  const ndjson = [];
  const parquet = [];
  let outBytes = 0;
  for (let i = 0; i < runs; i++) {
    ndjson.push(await hexlog(["parse", "--type", "Hex.Audit", "-q", corpus]));
    const out = mkdtempSync(join(tmpdir(), "hexlog-bench-parquet-"));
    try {
      parquet.push(await hexlog(["parse", "--type", "Hex.Audit", "-q", "--format", "parquet", "--out", out, corpus]));
      outBytes = sizeOf(out);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const best = (xs) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const n = best(ndjson);
  const p = best(parquet);
  const line = (name, r) => `${name.padEnd(8)} ${r.seconds.toFixed(2)} s  ${(mib / r.seconds).toFixed(1)} MiB/s  peak RSS ${(r.stats.maxRssBytes / 1048576).toFixed(0)} MiB`;
  console.log(line("ndjson", n));
  console.log(line("parquet", p));
  const ratio = n.seconds / p.seconds;
  console.log(`ratio parquet/ndjson throughput: ${ratio.toFixed(2)} (Parquet files ${(outBytes / 1048576).toFixed(1)} MiB for ${mib.toFixed(1)} MiB of input)`);
  console.log(`runs: best of ${runs}; ndjson times ${ndjson.map((r) => r.seconds.toFixed(2)).join(", ")}; parquet times ${parquet.map((r) => r.seconds.toFixed(2)).join(", ")}`);
  return { ratio, ndjsonSeconds: n.seconds, parquetSeconds: p.seconds, parquetPeakRssBytes: p.stats.maxRssBytes, parquetBytes: outBytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const corpus = process.env.HEXLOG_BENCH_FILE ?? join(root, ".bench", "hex-audit.ndjson");
  const megabytes = Number(process.env.HEXLOG_BENCH_MB ?? 110);
  if (!existsSync(corpus) || statSync(corpus).size < megabytes * 1024 * 1024 * 0.99) {
    mkdirSync(dirname(corpus), { recursive: true });
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, "bench", "generate.mjs"), corpus, String(megabytes)], { stdio: "inherit" });
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`generate.mjs exited ${code}`))));
    });
  }
  await benchParquet({ corpus, runs: Number(process.env.HEXLOG_BENCH_RUNS ?? 3) });
}
