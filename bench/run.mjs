// npm run bench: generates ≥100 MB of Hex.Audit NDJSON, then times the floor loop,
// `hexlog parse --type Hex.Audit` and the same with `--workers 2` on it in one run (alternating,
// best of N), and prints throughput, the hexlog/floor ratio, the two-worker speed-up and peak
// memory. Targets (SPEC §5, issue 6): ratio ≥ 0.80, two workers ≥ 1.4× one, peak RSS ≤ 150 MiB.
// Then `--format parquet` throughput as a ratio to NDJSON output (bench/parquet.mjs; no target).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, statSync, closeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.HEXLOG_BENCH_FILE ?? join(root, ".bench", "hex-audit.ndjson");
const megabytes = Number(process.env.HEXLOG_BENCH_MB ?? 110);
const runs = Number(process.env.HEXLOG_BENCH_RUNS ?? 3);

function run(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const devnull = openSync("/dev/null", "w");
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ["ignore", devnull, "pipe"], env: { ...process.env, HEXLOG_STATS: "1", ...env } });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      closeSync(devnull);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const statsLine = err.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      if (code !== 0 && code !== 1) return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${err}`));
      resolve({ seconds, stats: statsLine ? JSON.parse(statsLine) : {} });
    });
  });
}

async function main() {
  if (!existsSync(corpus) || statSync(corpus).size < megabytes * 1024 * 1024 * 0.99) {
    mkdirSync(dirname(corpus), { recursive: true });
    await run(process.execPath, [join(root, "bench", "generate.mjs"), corpus, String(megabytes)]);
  }
  const size = statSync(corpus).size;
  const mib = size / 1048576;
  console.log(`corpus: ${corpus} (${mib.toFixed(1)} MiB)`);
  const floor = [];
  const hex = [];
  const hex2 = [];
  const hexlog = (...extra) => run(process.execPath, [join(root, "bin", "hexlog"), "parse", "--type", "Hex.Audit", "-q", ...extra, corpus]);
  for (let i = 0; i < runs; i++) {
    floor.push(await run(process.execPath, [join(root, "bench", "floor.mjs"), corpus]));
    hex.push(await hexlog());
    hex2.push(await hexlog("--workers", "2"));
  }
  const best = (xs) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const f = best(floor);
  const h = best(hex);
  const h2 = best(hex2);
  const events = h.stats.events ?? f.stats.events;
  const line = (name, r) =>
    `${name.padEnd(8)} ${r.seconds.toFixed(2)} s  ${(mib / r.seconds).toFixed(1)} MiB/s  ${Math.round(events / r.seconds).toLocaleString("en-US")} events/s  peak RSS ${(r.stats.maxRssBytes / 1048576).toFixed(0)} MiB`;
  console.log(line("floor", f));
  console.log(line("hexlog", h));
  console.log(line("hexlog×2", h2));
  const ratio = f.seconds / h.seconds;
  const peak = h.stats.maxRssBytes / 1048576;
  console.log(`ratio hexlog/floor throughput: ${ratio.toFixed(2)} (target ≥ 0.80)  ${ratio >= 0.8 ? "PASS" : "FAIL"}`);
  const speedup = h.seconds / h2.seconds;
  console.log(`--workers 2 vs one worker: ${speedup.toFixed(2)}× (target ≥ 1.40)  ${speedup >= 1.4 ? "PASS" : "FAIL"}`);
  const peak2 = h2.stats.maxRssBytes / 1048576;
  console.log(`hexlog peak memory: ${peak.toFixed(0)} MiB, with --workers 2 ${peak2.toFixed(0)} MiB (target ≤ 150 MiB)  ${Math.max(peak, peak2) <= 150 ? "PASS" : "FAIL"}`);
  const times = (xs) => xs.map((r) => r.seconds.toFixed(2)).join(", ");
  console.log(`runs: best of ${runs}; floor times ${times(floor)}; hexlog times ${times(hex)}; --workers 2 times ${times(hex2)}`);
  if (h.stats.errors) console.log(`note: hexlog reported ${h.stats.errors} errors on the corpus`);
  // Parquet output as a ratio to NDJSON output (bench/parquet.mjs).
  await (await import("./parquet.mjs")).benchParquet({ corpus, runs });
}

await main();
