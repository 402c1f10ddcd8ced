// Fault injection at big sizes (npm run stress; `node bench/stress-faults.mjs` alone). Each part
// asserts records + dead letters = events decoded, no cut lines, bounded RSS and the exit code.
//  1. Long lines, 1–64 MiB (JSON and text, one and two workers): time per MiB and the slope of a
//     least-squares fit; linear means the 64 MiB line costs per MiB what the 8 MiB one does.
//  2. One over-limit 64 MiB line at the default --max-event-bytes: skipped at read speed.
//  3. Regex blow-up: a nested-quantifier schema on a 9 MB line: a dead letter or a record, the
//     next line read, memory bounded.
//  4. gzip with trailing garbage and cut short, 40 MB decoded: everything decoded accounted for.
//  5. 1000 concurrent 1 MiB bodies against serve: each answered 200 or 503 (with Retry-After),
//     every acknowledged record written, RSS ≤ 150 MiB.
//  6. 2M events that all fail, one and two workers: peak RSS ≤ 150 MiB for both.
//  7. The CI suite's fault tests at full size (HEXLOG_STRESS_BIG=1): a 20 MiB event over the
//     default limit with one and two workers (test/e2e/hostile-input.test.ts), and consume's
//     SIGKILL and server-restart faults over 50,000 events (test/e2e/consume.test.ts).
import { execFileSync, spawn } from "node:child_process";
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "hexlog");
const LIMIT_MIB = 150;
const MiB = 1024 * 1024;
const hexLines = readFileSync(join(root, "testdata", "hex", "audit.ndjson"), "utf8").split("\n").filter(Boolean);

function run(args, { input, env } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], { stdio: [input ? "pipe" : "ignore", "pipe", "pipe"], env: { ...process.env, HEXLOG_STATS: "1", ...env } });
    let out = Buffer.alloc(0);
    const outChunks = [];
    let err = "";
    child.stdout.on("data", (d) => outChunks.push(d));
    child.stderr.on("data", (d) => (err += d));
    if (input) child.stdin.end(input);
    child.on("close", (code) => {
      out = Buffer.concat(outChunks);
      const statsLine = err.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: out.toString("utf8"), stderr: err, stats: statsLine ? JSON.parse(statsLine) : {} });
    });
  });
}

const lines = (text) => text.split("\n").filter((l) => l !== "");
const wholeLines = (text) => text === "" || text.endsWith("\n");
const peak = (r) => (r.stats.maxRssBytes ?? 0) / MiB;

function fit(points) {
  const n = points.length;
  const sx = points.reduce((a, [x]) => a + x, 0);
  const sy = points.reduce((a, [, y]) => a + y, 0);
  const sxx = points.reduce((a, [x]) => a + x * x, 0);
  const sxy = points.reduce((a, [x, y]) => a + x * y, 0);
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { slope, intercept: (sy - slope * sx) / n };
}

async function longLines(dir) {
  let ok = true;
  const textSchema = join(dir, "anything.yml");
  writeFileSync(textSchema, "schema: Custom.Words\nparser:\n  fastmatch:\n    match: ['%{first} %{rest}']\nfields:\n  - name: first\n    type: string\n    required: true\n  - name: rest\n    type: string\n");
  for (const kind of ["json", "text"]) {
    for (const workers of [1, 2]) {
      const points = [];
      for (const size of [1, 2, 4, 8, 16, 32, 64]) {
        const path = join(dir, `long-${kind}.txt`);
        let body;
        if (kind === "json") {
          const event = JSON.parse(hexLines[0]);
          event.event.context.user_agent = "x".repeat(size * MiB);
          body = `${JSON.stringify(event)}\n${hexLines[1]}\n`;
        } else {
          body = `${"w".repeat(size * MiB)}\nsecond line\n`;
        }
        writeFileSync(path, body);
        const args = kind === "json" ? ["parse", "-t", "Hex.Audit"] : ["parse", "-s", textSchema, "-t", "Custom.Words"];
        const r = await run([...args, "-q", "--max-event-bytes", String(256 * MiB), "--workers", String(workers), path]);
        const accounted = r.stats.records + r.stats.errors === r.stats.events && r.stats.events === 2;
        ok &&= accounted && wholeLines(r.stdout);
        points.push([size, r.seconds]);
        process.stdout.write(`  ${kind} line of ${size} MiB, --workers ${workers}: ${r.seconds.toFixed(2)} s, peak RSS ${peak(r).toFixed(0)} MiB${accounted ? "" : "  EVENTS LOST"}\n`);
      }
      const { slope, intercept } = fit(points);
      const per8 = (points[3][1] - intercept) / 8;
      const per64 = (points[6][1] - intercept) / 64;
      const linear = per64 <= 2 * Math.max(per8, 0.005);
      ok &&= linear;
      console.log(`long ${kind} lines, --workers ${workers}: slope ${(slope * 1000).toFixed(1)} ms/MiB (fixed cost ${intercept.toFixed(2)} s); per MiB at 8 MiB ${(per8 * 1000).toFixed(1)} ms, at 64 MiB ${(per64 * 1000).toFixed(1)} ms  ${linear ? "PASS (linear)" : "FAIL (superlinear)"}`);
    }
  }
  return ok;
}

async function overLimit(dir) {
  const path = join(dir, "over.ndjson");
  writeFileSync(path, `{"a":"${"x".repeat(64 * MiB)}"}\n${hexLines[0]}\n`);
  let ok = true;
  for (const workers of [1, 2]) {
    const r = await run(["parse", "-t", "Hex.Audit", "-q", "--workers", String(workers), path]);
    const pass = r.code === 1 && r.stats.events === 2 && r.stats.records === 1 && r.stats.errors === 1 && peak(r) <= LIMIT_MIB;
    ok &&= pass;
    console.log(`one 64 MiB event over the 10 MiB limit, --workers ${workers}: ${r.seconds.toFixed(2)} s (${(64 / r.seconds).toFixed(0)} MiB/s), 1 dead letter + 1 record, peak RSS ${peak(r).toFixed(0)} MiB  ${pass ? "PASS" : "FAIL"}`);
  }
  return ok;
}

async function errorHeavy() {
  // Every event a dead letter: 2M `{}` lines on a pipe (so workers start whatever the size).
  const input = "{}\n".repeat(2_000_000);
  const peaks = [];
  let ok = true;
  for (const workers of [1, 2]) {
    const r = await run(["parse", "-t", "Hex.Audit", "-q", "--workers", String(workers), "--errors", "/dev/null"], { input });
    const pass = r.code === 1 && r.stats.events === 2_000_000 && r.stats.errors === 2_000_000 && r.stats.records === 0 && peak(r) <= LIMIT_MIB;
    ok &&= pass;
    peaks.push(peak(r));
    console.log(`2M events, every one a dead letter, --workers ${workers}: ${r.seconds.toFixed(1)} s, peak RSS ${peak(r).toFixed(0)} MiB (≤ ${LIMIT_MIB})  ${pass ? "PASS" : "FAIL"}`);
  }
  console.log(`  --workers 2 against 1: peak RSS ${(peaks[1] - peaks[0]).toFixed(0)} MiB more`);
  return ok;
}

async function regexBlowUp(dir) {
  const schema = join(dir, "nested.yml");
  writeFileSync(schema, "schema: Custom.Nested\nparser:\n  regex:\n    match: ['^(?P<w>(?:(?:a|b)*c?)*)$']\nfields:\n  - name: w\n    type: string\n    required: true\n");
  const path = join(dir, "nested.txt");
  writeFileSync(path, `${"ab".repeat(4.5e6)}\n${"ab".repeat(4.5e6)}!\nab\n`);
  const r = await run(["parse", "-s", schema, "-t", "Custom.Nested", "-q", path]);
  const pass = r.stats.events === 3 && r.stats.records === 2 && r.stats.errors === 1 && !r.stderr.includes("internal error") && peak(r) <= 2 * LIMIT_MIB;
  console.log(`regex with nested quantifiers on 9 MB lines: ${r.seconds.toFixed(1)} s, ${r.stats.records} records + ${r.stats.errors} dead letter of ${r.stats.events} lines, peak RSS ${peak(r).toFixed(0)} MiB, exit ${r.code}  ${pass ? "PASS" : "FAIL"}`);
  return pass;
}

async function gzipFaults(dir) {
  const text = `${Array.from({ length: 45000 }, (_, i) => hexLines[i % hexLines.length]).join("\n")}\n`;
  const gz = gzipSync(text);
  let ok = true;
  for (const [name, bytes, expected] of [
    ["trailing garbage", Buffer.concat([gz, Buffer.from(text.slice(0, 100000))]), "is not gzip"],
    ["cut short", gz.subarray(0, Math.floor(gz.length * 0.6)), "unexpected end of file"],
  ]) {
    const path = join(dir, `${name.replace(/ /g, "-")}.gz`);
    writeFileSync(path, bytes);
    const errors = join(dir, "dead.ndjson");
    const r = await run(["parse", "-t", "Hex.Audit", "-q", "--errors", errors, path]);
    const dead = lines(readFileSync(errors, "utf8"));
    const recs = lines(r.stdout);
    // Events decoded: what `gzip -dc` would give up to the fault, counted by hexlog's own stats.
    const pass = r.code === 1 && recs.length + dead.length === r.stats.events && wholeLines(r.stdout) && r.stderr.includes(expected) && (name === "cut short" ? dead.length === 1 : recs.length === 45000);
    ok &&= pass;
    console.log(`gzip ${name} (${(text.length / MiB).toFixed(0)} MiB decoded): ${recs.length} records + ${dead.length} dead letters = ${r.stats.events} events, exit ${r.code}  ${pass ? "PASS" : "FAIL"}`);
  }
  return ok;
}

/** Posts a body; resolves with the status, the records a 200 acknowledged and a 503's Retry-After. */
function post(port, body) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", agent: false, headers: { "content-length": body.length } }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, records: res.statusCode === 200 ? JSON.parse(text).records : 0, retryAfter: res.headers["retry-after"] }));
    });
    req.on("error", () => resolve({ status: 0, records: 0 }));
    req.end(body);
  });
}

/** Lines of a file that may be larger than a string can hold, and whether it ends with a newline. */
async function countLines(path) {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(path)) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) count++;
    last = chunk[chunk.length - 1];
  }
  return { count, whole: last === 10 };
}

/**
 * 1000 senders of 1 MiB at once. Records to /dev/null: peak RSS ≤ 150 MiB. Records to a file
 * (`toFile`), or to a pipe read 5 s late (`slowReader`): every record a 200 acknowledged is
 * there, whole lines only, and the same peak RSS bound.
 */
async function concurrentBodies(toFile = false, slowReader = false) {
  const dir = mkdtempSync(join(tmpdir(), "hexlog-stress-serve-"));
  const output = join(dir, "records.ndjson");
  const args = ["serve", "-t", "Hex.Audit", "--port", "0", "-q", ...(toFile ? ["-o", output] : []), ...(process.env.HEXLOG_STRESS_SERVE_ARGS ?? "").split(" ").filter(Boolean)];
  // slowReader: stdout is a pipe whose reader starts 5 s late (`| (sleep 5; cat > FILE)`).
  let readerDone;
  let stdout = "ignore";
  if (slowReader) {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("sh", ["-c", `(sleep 5; cat > "$1") < "$2"`, "sh", output, fifo], { stdio: "ignore" });
    // Listened for now: the reader may end before the server's 'close' is seen.
    readerDone = new Promise((resolve) => reader.on("close", resolve));
    stdout = openSync(fifo, "w");
  }
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", stdout, "pipe"], env: { ...process.env, HEXLOG_STATS: "1" } });
  if (typeof stdout === "number") closeSync(stdout);
  let err = "";
  const port = await new Promise((resolve) => {
    child.stderr.on("data", (d) => {
      err += d;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
  });
  let body = "";
  for (let i = 0; body.length < MiB - 2000; i++) body += `${hexLines[i % hexLines.length]}\n`;
  const buf = Buffer.from(body);
  const answers = await Promise.all(Array.from({ length: 1000 }, () => post(port, buf)));
  // RSS of the server while it still runs, from /proc.
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  child.kill("SIGTERM");
  const code = await new Promise((resolve) => child.on("close", resolve));
  const counts = answers.reduce((m, a) => m.set(a.status, (m.get(a.status) ?? 0) + 1), new Map());
  const acknowledged = answers.reduce((n, a) => n + a.records, 0);
  const retry = answers.every((a) => a.status !== 503 || a.retryAfter !== undefined);
  const answered = [...counts.keys()].every((s) => s === 200 || s === 503) && retry;
  const shown = `${[...counts].map(([s, n]) => `${n}× ${s}`).join(", ")}${retry ? " (each 503 with Retry-After)" : " (a 503 WITHOUT Retry-After)"}`;
  let pass;
  await readerDone;
  if (toFile || slowReader) {
    // Nothing lost: every record a 200 acknowledged is in the file, whole lines only.
    const { count, whole } = await countLines(output);
    pass = code === 0 && hwm <= LIMIT_MIB && answered && count === acknowledged && whole;
    const what = toFile ? "serve -o FILE" : "serve | (sleep 5; cat > FILE)";
    console.log(`${what}, 1000 concurrent 1 MiB bodies: ${shown}; ${acknowledged} records acknowledged, ${count} in the file; peak RSS ${hwm.toFixed(0)} MiB (≤ ${LIMIT_MIB}), exit ${code}  ${pass ? "PASS" : "FAIL"}`);
  } else {
    pass = code === 0 && hwm <= LIMIT_MIB && answered;
    console.log(`serve, 1000 concurrent 1 MiB bodies: ${shown}; peak RSS ${hwm.toFixed(0)} MiB (≤ ${LIMIT_MIB}), exit ${code}  ${pass ? "PASS" : "FAIL"}`);
  }
  rmSync(dir, { recursive: true, force: true });
  return pass;
}

export { concurrentBodies, errorHeavy };

/** The CI tests that have a big size, run at that size by vitest. */
function fullSizeTests() {
  const files = ["test/e2e/hostile-input.test.ts", "test/e2e/consume.test.ts"];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=dot", ...files, "-t", "20 MiB|faults"], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, HEXLOG_STRESS_BIG: "1" },
    });
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`the CI fault tests at full size (20 MiB event, 50,000 consume events): ${seconds.toFixed(1)} s  ${code === 0 ? "PASS" : "FAIL"}`);
      resolve(code === 0);
    });
  });
}

export async function runFaults() {
  const dir = mkdtempSync(join(tmpdir(), "hexlog-stress-"));
  mkdirSync(dir, { recursive: true });
  try {
    let ok = true;
    ok = (await longLines(dir)) && ok;
    ok = (await overLimit(dir)) && ok;
    ok = (await errorHeavy()) && ok;
    ok = (await regexBlowUp(dir)) && ok;
    ok = (await gzipFaults(dir)) && ok;
    ok = (await concurrentBodies()) && ok;
    ok = (await concurrentBodies(true)) && ok;
    ok = (await concurrentBodies(false, true)) && ok;
    ok = (await fullSizeTests()) && ok;
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = (await runFaults()) ? 0 : 1;
}
