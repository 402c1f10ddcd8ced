// npm run bench: generates ≥100 MB of Hex.Audit NDJSON, then times the floor loop and
// `hexlog parse --type Hex.Audit` on it in one run (alternating, best of N), and prints
// throughput, the hexlog/floor ratio and peak memory. Targets (SPEC §5): ratio ≥ 0.80,
// peak RSS ≤ 150 MiB.
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
  for (let i = 0; i < runs; i++) {
    floor.push(await run(process.execPath, [join(root, "bench", "floor.mjs"), corpus]));
    hex.push(await run(process.execPath, [join(root, "bin", "hexlog"), "parse", "--type", "Hex.Audit", "-q", corpus]));
  }
  const best = (xs) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const f = best(floor);
  const h = best(hex);
  const events = h.stats.events ?? f.stats.events;
  const line = (name, r) =>
    `${name.padEnd(8)} ${r.seconds.toFixed(2)} s  ${(mib / r.seconds).toFixed(1)} MiB/s  ${Math.round(events / r.seconds).toLocaleString("en-US")} events/s  peak RSS ${(r.stats.maxRssBytes / 1048576).toFixed(0)} MiB`;
  console.log(line("floor", f));
  console.log(line("hexlog", h));
  const ratio = f.seconds / h.seconds;
  const peak = h.stats.maxRssBytes / 1048576;
  console.log(`ratio hexlog/floor throughput: ${ratio.toFixed(2)} (target ≥ 0.80)  ${ratio >= 0.8 ? "PASS" : "FAIL"}`);
  console.log(`hexlog peak memory: ${peak.toFixed(0)} MiB (target ≤ 150 MiB)  ${peak <= 150 ? "PASS" : "FAIL"}`);
  console.log(`runs: best of ${runs}; floor times ${floor.map((r) => r.seconds.toFixed(2)).join(", ")}; hexlog times ${hex.map((r) => r.seconds.toFixed(2)).join(", ")}`);
  if (h.stats.errors) console.log(`note: hexlog reported ${h.stats.errors} errors on the corpus`);
}

await main();
