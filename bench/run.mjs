// npm run bench: every cost issue 19 tracks, measured in one run so the ratios hold even when the
// shared machine's speed drifts. Sections (HEXLOG_BENCH_ONLY=types,text,small,schemas,parquet picks some;
// large runs only when named):
//  - types:   each built-in log type on ~HEXLOG_BENCH_MB MB (default 100) of NDJSON: the floor
//             (bench/floor.mjs: split lines, JSON.parse, two fields, JSON.stringify, write),
//             `hexlog parse` on one thread and with `--workers 2`, alternating; and, for
//             reference, two one-thread processes at once on half the file each (the most two
//             cores give two V8 isolates that share nothing).
//  - text:    fastmatch (Apache common) and regex (Apache combined): lines/s on one thread on
//             HEXLOG_BENCH_TEXT_MB MB (default 30); one thread against `--workers 2` on
//             HEXLOG_BENCH_MB MB (under 32 MiB, `--workers` runs on one thread).
//  - small:   start-up: `node -e 0`, `hexlog --version`, a one-event parse; a 1 MB input on one
//             thread and two.
//  - large:   `--workers 2` against one thread (and two processes on halves) on
//             HEXLOG_BENCH_LARGE_MB MB (default 1000) of each built-in type and both text logs,
//             HEXLOG_BENCH_LARGE_RUNS rounds (default 3). Not in the default set.
//  - schemas: a directory of 90 schemas: validate-schema, `hexlog test DIR one_tests.yml`,
//             `parse -s DIR -t ONE` of one event; each with the schema cache filled (under
//             a temporary directory) and with --no-cache.
// Each time is the median of HEXLOG_BENCH_RUNS runs (default 5; 15 for the short commands); each
// ratio the median of the ratios round by round (see pairRatio). Ratios of wall time are the
// targets, ratios of CPU time are printed too (a busy machine moves them less).
// Results go to bench/results.json; the previous file's ratios are printed beside the new ones.
// HEXLOG_BENCH_BIN runs another build (e.g. a copy of the last release) with the same corpora.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.HEXLOG_BENCH_BIN ?? join(root, "bin", "hexlog");
const dir = join(root, ".bench");
const megabytes = Number(process.env.HEXLOG_BENCH_MB ?? 100);
const textMegabytes = Number(process.env.HEXLOG_BENCH_TEXT_MB ?? 30);
const runs = Number(process.env.HEXLOG_BENCH_RUNS ?? 5);
const shortRuns = Math.max(runs * 3, 5);
const only = process.env.HEXLOG_BENCH_ONLY ? new Set(process.env.HEXLOG_BENCH_ONLY.split(",")) : null;
const resultsFile = process.env.HEXLOG_BENCH_RESULTS ?? join(root, "bench", "results.json");
const node = process.execPath;

/** CPU seconds of a `times` line (`0m1.234s 0m0.100s`): user plus system. */
const cpuOf = (line) => line.split(/\s+/).reduce((sum, t) => {
  const m = /^([0-9]+)m([0-9.]+)s$/.exec(t);
  return m ? sum + Number(m[1]) * 60 + Number(m[2]) : sum;
}, 0);

/**
 * Runs a command with its output thrown away: wall seconds, CPU seconds (user + system of the
 * process and its threads, from the shell's `times`: steadier than wall time on a busy machine)
 * and the stats line hexlog and the floor print with HEXLOG_STATS.
 */
function run(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("sh", ["-c", '"$@" >/dev/null; rc=$?; times; exit $rc', "sh", cmd, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HEXLOG_STATS: "1", ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const statsLine = err.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      if (code !== 0 && code !== 1) return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${err}`));
      let stats = {};
      try {
        stats = statsLine ? JSON.parse(statsLine) : {};
      } catch {}
      const cpu = cpuOf(out.trim().split("\n").pop() ?? "");
      resolve({ seconds, cpu, stats });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs the commands in turn, round after round; the median seconds and peak RSS of each. */
async function rounds(n, commands) {
  const times = commands.map(() => []);
  const cpus = commands.map(() => []);
  const rss = commands.map(() => []);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < commands.length; c++) {
      const res = await commands[c]();
      times[c].push(res.seconds);
      cpus[c].push(res.cpu);
      if (res.stats.maxRssBytes) rss[c].push(res.stats.maxRssBytes / 1048576);
    }
  }
  return commands.map((_, c) => ({ seconds: median(times[c]), cpu: median(cpus[c]), times: times[c], cpus: cpus[c], rssMiB: rss[c].length ? Math.max(...rss[c]) : null }));
}

/**
 * `a` against `b` (results of one `rounds` call): the median of their ratio round by round.
 * A round runs its commands back to back, so a slow spell of the shared machine mostly slows
 * both of a pair; a ratio of two medians taken from different rounds moved by up to 0.2 between
 * two runs of the same build.
 */
const pairRatio = (a, b, what = "times") => median(a[what].map((x, r) => x / b[what][r]));

async function corpus(kind, mb) {
  const file = join(dir, `${kind}-${mb}m.ndjson`);
  if (!existsSync(file) || statSync(file).size < mb * 1024 * 1024 * 0.99) {
    mkdirSync(dir, { recursive: true });
    await run(node, [join(root, "bench", "generate.mjs"), file, String(mb), kind]);
  }
  return file;
}

/** The file cut in two at the first line end past its middle (made beside it, again when the file is newer). */
function halves(file) {
  const names = [file.replace(/\.ndjson$/, ".first-half.ndjson"), file.replace(/\.ndjson$/, ".second-half.ndjson")];
  const made = statSync(file).mtimeMs;
  if (!names.every((n) => existsSync(n) && statSync(n).mtimeMs >= made)) {
    const bytes = readFileSync(file);
    const cut = bytes.indexOf(10, bytes.length >> 1) + 1;
    writeFileSync(names[0], bytes.subarray(0, cut));
    writeFileSync(names[1], bytes.subarray(cut));
  }
  return names;
}

const results = { when: new Date().toISOString(), bin, megabytes, textMegabytes, runs, figures: {} };
const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : null;
const rows = [];
/** One figure: printed with the previous run's value beside it. */
function figure(name, value, unit, target) {
  results.figures[name] = value;
  const before = previous?.figures?.[name];
  rows.push({ name, value, unit, target, before });
  const fmt = (v) => (v === undefined || v === null ? "" : unit === "×" ? `${v.toFixed(2)}×` : unit === "s" ? `${v.toFixed(3)} s` : `${Math.round(v).toLocaleString("en-US")} ${unit}`);
  console.log(`${name.padEnd(50)} ${fmt(value).padStart(14)}${before !== undefined ? `   (last run ${fmt(before)})` : ""}${target ? `   target ${target}` : ""}`);
}

// `large` is left out unless asked for: ~10 minutes and ~10 GB of corpora under .bench/.
const want = (s) => (only ? only.has(s) : s !== "large");

if (want("types")) {
  for (const [kind, type] of [["hex", "Hex.Audit"], ["auth0", "Auth0.Events"], ["panther", "Panther.Audit"]]) {
    const file = await corpus(kind, megabytes);
    const [first, second] = halves(file);
    const [f, one, two, apart] = await rounds(runs, [
      () => run(node, [join(root, "bench", "floor.mjs"), file], { FLOOR_LOG_TYPE: type }),
      () => run(bin, ["parse", "-t", type, "-q", file]),
      () => run(bin, ["parse", "-t", type, "-q", "--workers", "2", file]),
      // Two processes at once, one thread each, on half the events each: what two cores give two
      // V8 isolates that share nothing, each paying its own start-up and JIT warm-up.
      () => run("sh", ["-c", '"$0" parse -t "$1" -q "$2" >/dev/null & "$0" parse -t "$1" -q "$3" >/dev/null; wait', bin, type, first, second]),
    ]);
    console.log(`${type}: ${(statSync(file).size / 1048576).toFixed(0)} MiB; floor ${f.seconds.toFixed(2)} s, hexlog ${one.seconds.toFixed(2)} s (peak ${one.rssMiB?.toFixed(0)} MiB), --workers 2 ${two.seconds.toFixed(2)} s (peak ${two.rssMiB?.toFixed(0)} MiB)`);
    figure(`${type} one thread / floor`, pairRatio(f, one), "×", "≥ 0.90");
    figure(`${type} one thread / floor, CPU time`, pairRatio(f, one, "cpus"), "×");
    figure(`${type} --workers 2 / floor`, pairRatio(f, two), "×");
    figure(`${type} --workers 2 / one thread`, pairRatio(one, two), "×", "≥ 1.6");
    figure(`${type} --workers 2 / one thread, CPU time`, pairRatio(one, two, "cpus"), "×");
    figure(`${type} two processes on halves / one thread`, pairRatio(one, apart), "×");
    // How close the threads come to what the second core gave two processes in this same run.
    figure(`${type} --workers 2 / two processes on halves`, pairRatio(apart, two), "×");
    results.figures[`${type} peak RSS MiB`] = Math.max(one.rssMiB ?? 0, two.rssMiB ?? 0);
  }
}

if (want("large")) {
  // --workers 2 where a run's fixed cost (start-up, JIT warm-up: ~0.3 s that a second thread
  // cannot split) no longer weighs: HEXLOG_BENCH_LARGE_MB (1000) MB of each kind.
  const largeMegabytes = Number(process.env.HEXLOG_BENCH_LARGE_MB ?? 1000);
  const largeRuns = Number(process.env.HEXLOG_BENCH_LARGE_RUNS ?? 3);
  for (const [kind, name, how] of [
    ["hex", "Hex.Audit", ["-t", "Hex.Audit"]],
    ["auth0", "Auth0.Events", ["-t", "Auth0.Events"]],
    ["panther", "Panther.Audit", ["-t", "Panther.Audit"]],
    ["apache-common", "fastmatch", ["-s", join(root, "testdata/schemas/text/apache-common.yml")]],
    ["apache-combined", "regex", ["-s", join(root, "testdata/schemas/text/apache-combined.yml")]],
  ]) {
    const file = await corpus(kind, largeMegabytes);
    const [first, second] = halves(file);
    const [one, two, apart] = await rounds(largeRuns, [
      () => run(bin, ["parse", ...how, "-q", file]),
      () => run(bin, ["parse", ...how, "-q", "--workers", "2", file]),
      () => run("sh", ["-c", '"$0" parse "$1" "$2" -q "$3" >/dev/null & "$0" parse "$1" "$2" -q "$4" >/dev/null; wait', bin, ...how, first, second]),
    ]);
    console.log(`${name}, ${(statSync(file).size / 1048576).toFixed(0)} MiB: one thread ${one.seconds.toFixed(2)} s, --workers 2 ${two.seconds.toFixed(2)} s, two processes on halves ${apart.seconds.toFixed(2)} s`);
    figure(`${name} ${largeMegabytes} MB: --workers 2 / one thread`, pairRatio(one, two), "×", "≥ 1.6");
    figure(`${name} ${largeMegabytes} MB: --workers 2 / one thread, CPU time`, pairRatio(one, two, "cpus"), "×");
    figure(`${name} ${largeMegabytes} MB: two processes on halves / one thread`, pairRatio(one, apart), "×");
  }
}

if (want("text")) {
  for (const [kind, schema, name] of [
    ["apache-common", "testdata/schemas/text/apache-common.yml", "fastmatch"],
    ["apache-combined", "testdata/schemas/text/apache-combined.yml", "regex"],
  ]) {
    const file = await corpus(kind, textMegabytes);
    const lines = readFileSync(file).reduce((n, b) => (b === 10 ? n + 1 : n), 0);
    const [one] = await rounds(runs, [() => run(bin, ["parse", "-s", join(root, schema), "-q", file])]);
    figure(`${name} lines/s, one thread`, lines / one.seconds, "lines/s", name === "fastmatch" ? "≥ 300,000" : "≥ 200,000");
    figure(`${name} lines/s of CPU time, one thread`, lines / one.cpu, "lines/s");
    // Workers on HEXLOG_BENCH_MB like the JSON types (the goal is set on ≥ 100 MB): under 32 MiB
    // (the default 30 MB text corpus) `--workers 2` runs on one thread.
    const big = await corpus(kind, megabytes);
    const [oneBig, two] = await rounds(runs, [
      () => run(bin, ["parse", "-s", join(root, schema), "-q", big]),
      () => run(bin, ["parse", "-s", join(root, schema), "-q", "--workers", "2", big]),
    ]);
    figure(`${name} --workers 2 / one thread`, pairRatio(oneBig, two), "×", "≥ 1.6");
    figure(`${name} --workers 2 / one thread, CPU time`, pairRatio(oneBig, two, "cpus"), "×");
    results.figures[`${name} peak RSS MiB`] = Math.max(oneBig.rssMiB ?? 0, two.rssMiB ?? 0);
  }
}

if (want("small")) {
  mkdirSync(dir, { recursive: true });
  const one = join(dir, "one-event.ndjson");
  writeFileSync(one, readFileSync(join(root, "testdata", "hex", "audit.ndjson"), "utf8").split("\n")[0] + "\n");
  const small = await corpus("hex", 1);
  const [bare, version, parseOne, oneThread, twoThreads] = await rounds(shortRuns, [
    () => run(node, ["-e", "0"]),
    () => run(bin, ["--version"]),
    () => run(bin, ["parse", "-t", "Hex.Audit", "-q", one]),
    () => run(bin, ["parse", "-t", "Hex.Audit", "-q", small]),
    () => run(bin, ["parse", "-t", "Hex.Audit", "-q", "--workers", "2", small]),
  ]);
  console.log(`node -e 0: ${bare.seconds.toFixed(3)} s wall, ${bare.cpu.toFixed(3)} s CPU`);
  figure("hexlog --version / node -e 0", pairRatio(version, bare), "×", "≤ 1.2");
  figure("hexlog --version / node -e 0, CPU time", pairRatio(version, bare, "cpus"), "×");
  figure("parse of one event / node -e 0", pairRatio(parseOne, bare), "×", "≤ 1.5");
  figure("parse of one event / node -e 0, CPU time", pairRatio(parseOne, bare, "cpus"), "×");
  figure("1 MB: --workers 2 / one thread (time)", pairRatio(twoThreads, oneThread), "×", "≤ 1.0");
}

if (want("schemas")) {
  const set = join(dir, "schemas90");
  const tests = join(dir, "schemas90_one_tests.yml");
  buildSchemaSet(set, tests);
  const event = join(dir, "one-event.ndjson");
  writeFileSync(event, readFileSync(join(root, "testdata", "hex", "audit.ndjson"), "utf8").split("\n")[0] + "\n");
  // The schema cache (src/catalog/schema-cache.ts) in a directory of the bench's own: "cold" runs
  // without it (--no-cache: every schema read, checked and compiled), "warm" after a run filled it.
  const cacheEnv = { HEXLOG_CACHE_DIR: mkdtempSync(join(tmpdir(), "hexlog-bench-cache-")) };
  await run(bin, ["validate-schema", set], cacheEnv);
  await run(bin, ["parse", "-s", set, "-q", event], cacheEnv);
  const [bare, validateCold, validate, testCold, test, parseCold, parse] = await rounds(runs, [
    () => run(node, ["-e", "0"]),
    () => run(bin, ["--no-cache", "validate-schema", set]),
    () => run(bin, ["validate-schema", set], cacheEnv),
    () => run(bin, ["--no-cache", "test", set, tests]),
    () => run(bin, ["test", set, tests], cacheEnv),
    () => run(bin, ["--no-cache", "parse", "-s", set, "-t", "Custom.Bench000", "-q", event]),
    () => run(bin, ["parse", "-s", set, "-t", "Custom.Bench000", "-q", event], cacheEnv),
  ]);
  console.log(`node -e 0: ${bare.seconds.toFixed(3)} s wall, ${bare.cpu.toFixed(3)} s CPU`);
  figure("validate-schema, 90 schemas", validate.seconds, "s", "≤ 0.5 s");
  figure("validate-schema, 90 schemas, CPU time", validate.cpu, "s");
  figure("validate-schema, 90 schemas, no cache", validateCold.seconds, "s");
  figure("validate-schema, 90 schemas, no cache, CPU time", validateCold.cpu, "s");
  figure("test DIR one_tests.yml, 90 schemas", test.seconds, "s");
  figure("test DIR one_tests.yml, 90 schemas, CPU time", test.cpu, "s");
  figure("test DIR one_tests.yml, 90 schemas, no cache", testCold.seconds, "s");
  figure("parse -s DIR -t ONE, 90 schemas", parse.seconds, "s");
  figure("parse -s DIR -t ONE, 90 schemas, CPU time", parse.cpu, "s");
  figure("parse -s DIR -t ONE, 90 schemas, no cache", parseCold.seconds, "s");
}

/** 90 schemas: the built-in and testdata schemas under new names; tests for the first one. */
function buildSchemaSet(set, tests) {
  const sources = [
    "schemas/Hex.Audit.yml",
    "schemas/Auth0.Events.yml",
    "schemas/Panther.Audit.yml",
    ...readdirSync(join(root, "testdata/schemas/large")).map((f) => `testdata/schemas/large/${f}`),
    "testdata/schemas/text/apache-common.yml",
    "testdata/schemas/text/apache-combined.yml",
    "testdata/schemas/text/syslog.yml",
    "testdata/schemas/text/vpcflow.yml",
  ];
  mkdirSync(set, { recursive: true });
  for (let i = 0; i < 90; i++) {
    const src = sources[i % sources.length];
    const name = `Custom.Bench${String(i).padStart(3, "0")}`;
    const text = readFileSync(join(root, src), "utf8").replace(/^schema: .*$/m, `schema: ${name}`);
    writeFileSync(join(set, `bench${String(i).padStart(3, "0")}.yml`), text);
  }
  // The first schema is Hex.Audit's: its unit tests, renamed.
  writeFileSync(tests, readFileSync(join(root, "testdata/hex/audit_tests.yml"), "utf8").replaceAll("Hex.Audit", "Custom.Bench000"));
}

if (want("parquet")) {
  // `--format parquet` throughput as a ratio to NDJSON output on the Hex.Audit corpus (no target).
  await (await import("./parquet.mjs")).benchParquet({ corpus: await corpus("hex", megabytes), runs });
}

// A run of some sections (the default run leaves out `large`) keeps the others' figures from the last run.
const SECTIONS = ["types", "large", "text", "small", "schemas", "parquet"];
if (!SECTIONS.every(want) && previous?.figures) results.figures = { ...previous.figures, ...results.figures };
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
console.log(`wrote ${resultsFile}`);
