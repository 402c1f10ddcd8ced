/**
 * hexlog serve end to end: what only the process shows — flags and environment, TLS files, exit
 * codes, signals, stdout back-pressure, stderr. The receiver's behaviour (auth, bodies, limits,
 * dead letters) is tested in process in test/server/webhook.test.ts.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXED, hexlog, readLines, records, ROOT, tempDir, testdata } from "../helpers/cli.js";
import { send, startServer, type Server } from "../helpers/serve.js";

const read = (...parts: string[]): Buffer => readFileSync(join(ROOT, testdata(...parts)));
const HEX_NDJSON = read("hex", "audit.ndjson");
const HEX_ARRAY = read("hex", "audit-array.json");
const HEX_PRETTY = read("hex", "audit-pretty.json");
const AUTH0 = read("auth0", "events.ndjson");

const SECRET = "X-Hex-Secret:hex-shared-secret-7f3c";
const HEX_AUTH = { "x-hex-secret": "hex-shared-secret-7f3c" };
const TOKEN = "auth0-bearer-token-91d2";

let running: Server[] = [];

async function serve(args: string[], env: Record<string, string | undefined> = {}): Promise<Server> {
  const s = await startServer([...args, ...FIXED], env);
  running.push(s);
  return s;
}

// Tests run concurrently (each waits on its own server): servers left running are killed at the end.
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop("SIGKILL");
  running = [];
});

describe.concurrent("hexlog serve: the same pipeline as parse", () => {
  it("reads a text log type's body line by line, giving the records parse gives", async () => {
    const schema = ["-s", testdata("schemas", "text", "apache-common.yml"), "-t", "Custom.ApacheCommon"];
    const s = await serve(schema);
    const body = read("text", "apache", "common.log");
    const reply = await send(s.url, { method: "POST", body, headers: { "content-type": "text/plain" } });
    expect(reply.status).toBe(200);
    const parsed = await hexlog(["parse", ...schema, ...FIXED, testdata("text", "apache", "common.log")]);
    await s.stop();
    const strip = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "p_row_id"));
    const fromServe = records(s.stdout()).map(strip);
    expect(fromServe.length).toBeGreaterThan(0);
    expect(reply.json).toMatchObject({ records: fromServe.length });
    expect(fromServe).toEqual(records(parsed.stdout).map(strip));
  });

  it("answers 503, not 200, when the records cannot be written (a full disk)", async () => {
    const s = await serve(["-t", "Hex.Audit", "-o", "/dev/full"]);
    const reply = await send(s.url, { method: "POST", body: HEX_NDJSON });
    expect(reply.status).toBe(503);
    expect(reply.headers["retry-after"]).toBeDefined();
    // It stops accepting and ends on its own, saying why.
    const end = await s.exited;
    expect(end.code).not.toBe(0);
    expect(end.stderr).toMatch(/cannot write output/);
  });
});

describe.concurrent("hexlog serve: authentication", () => {
  it("takes the secrets from HEXLOG_SECRET_HEADER and HEXLOG_BEARER and never prints them", async () => {
    const hex = await serve(["-t", "Hex.Audit"], { HEXLOG_SECRET_HEADER: SECRET });
    expect((await send(hex.url, { headers: HEX_AUTH, body: HEX_PRETTY })).status).toBe(200);
    expect((await send(hex.url, { body: HEX_PRETTY })).status).toBe(401);
    const auth0 = await serve(["-t", "Auth0.Events"], { HEXLOG_BEARER: TOKEN });
    expect((await send(auth0.url, { headers: { authorization: `Bearer ${TOKEN}` }, body: AUTH0 })).status).toBe(200);
    expect((await send(auth0.url, { headers: { authorization: "Bearer nope" }, body: AUTH0 })).status).toBe(401);
    const [a, b] = await Promise.all([hex.stop(), auth0.stop()]);
    expect(a.stderr).toContain("auth: shared secret in header x-hex-secret");
    expect(b.stderr).toContain("auth: bearer token");
    for (const r of [a, b]) {
      expect(r.stderr).not.toContain("hex-shared-secret-7f3c");
      expect(r.stderr).not.toContain(TOKEN);
    }
  });
});

describe.concurrent("hexlog serve: sources and output", () => {
  it("receives as a log source: its log types, its id and label on every record", async () => {
    const s = await serve(["--sources", testdata("sources", "list-sources.json"), "--source", "Webhooks"]);
    expect((await send(s.url, { body: read("sources", "hex-and-auth0.ndjson") })).json).toMatchObject({ records: 12, errors: 0 });
    const r = await send(s.url, { body: read("panther", "audit.ndjson") });
    expect(r.json).toMatchObject({ records: 0, errors: 14 });
    const done = await s.stop();
    const recs = records(done.stdout);
    expect(recs.map((x) => x.p_log_type)).toEqual("HAAHHAHAHAAH".split("").map((c) => (c === "H" ? "Hex.Audit" : "Auth0.Events")));
    expect(recs.every((x) => x.p_source_id === "e7b9d1a3-4c6f-4b2e-a8d0-5f3c9e1b7a26" && x.p_source_label === "Webhooks")).toBe(true);
  });

  it("serves https with --tls-cert and --tls-key, stamping --source-id and --source-label, records to --output, bodies up to 1 MiB by default", async () => {
    const cert = read("serve", "localhost-cert.pem");
    const file = join(tempDir(), "records.ndjson");
    const s = await serve(["-t", "Hex.Audit", "--tls-cert", testdata("serve", "localhost-cert.pem"), "--tls-key", testdata("serve", "localhost-key.pem"), "--source-id", "local-1", "--source-label", "laptop", "-o", file]);
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await send(s.url, { body: HEX_ARRAY, ca: cert });
    expect(r.status).toBe(200);
    expect(r.json.records).toBe(6);
    // --max-body's default, as the flag gives it to the receiver.
    const line = (HEX_NDJSON.toString("utf8").split("\n")[0] as string) + "\n";
    const count = Math.floor((1024 * 1024) / Buffer.byteLength(line));
    const fit = Buffer.from(line.repeat(count));
    expect((await send(s.url, { body: fit, ca: cert })).status).toBe(200);
    expect((await send(s.url, { body: Buffer.concat([fit, Buffer.from(line)]), ca: cert })).status).toBe(413);
    const done = await s.stop();
    expect(done.stdout).toBe("");
    const recs = readLines(file);
    expect(recs).toHaveLength(6 + count);
    expect(recs[0]).toMatchObject({ p_log_type: "Hex.Audit", p_source_id: "local-1", p_source_label: "laptop" });
  });
});

describe.concurrent("hexlog serve: robustness", () => {
  it("does not let a stalled client block others, and cuts it off after --timeout", async () => {
    const s = await serve(["-t", "Hex.Audit", "--timeout", "5"]);
    const { port } = new URL(s.url);
    const stalled = connect(Number(port), "127.0.0.1");
    let answer = "";
    stalled.on("data", (d: Buffer) => (answer += d.toString("utf8")));
    const closed = new Promise<void>((resolve) => stalled.on("close", () => resolve()));
    stalled.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${HEX_NDJSON.length}\r\n\r\n`);
    stalled.write(HEX_NDJSON.subarray(0, 1000));
    const other = await send(s.url, { body: HEX_PRETTY });
    expect(other.status).toBe(200);
    // Answered while the stalled request still waits, unanswered.
    expect(answer).toBe("");
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const done = await s.stop();
    expect(done.code).toBe(0);
    expect(records(done.stdout)).toHaveLength(3);
  });

  it("holds requests back while stdout is not read, refuses those past --max-connections with 503, and loses nothing when it is read again", async () => {
    const s = await serve(["-t", "Hex.Audit", "-q", "--max-connections", "8"]);
    s.child.stdout.pause();
    const n = 60;
    let answered = 0;
    const pending = Array.from({ length: n }, () =>
      send(s.url, { body: HEX_NDJSON }).then((r) => {
        answered++;
        return r;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // 60 × 18 records are far more than a pipe holds: most requests must still be waiting.
    expect(answered).toBeLessThan(n);
    const health = await send(s.url, { method: "GET", path: "/healthz" });
    expect(health.status).toBe(200);
    s.child.stdout.resume();
    const replies = await Promise.all(pending);
    // A request waiting for the output holds its connection slot (its first chunks are read).
    expect(replies.every((r) => r.status === 200 || (r.status === 503 && r.headers["retry-after"] === "1"))).toBe(true);
    const accepted = replies.filter((r) => r.status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(8);
    expect(accepted).toBeLessThan(n);
    const done = await s.stop();
    expect(records(done.stdout)).toHaveLength(accepted * 18);
  });

  it("on SIGTERM stops accepting, finishes requests in flight, flushes and exits 0", async () => {
    const dir = tempDir();
    const dead = join(dir, "dead.ndjson");
    const s = await serve(["-t", "Hex.Audit", "--errors", dead]);
    expect((await send(s.url, { body: HEX_NDJSON })).status).toBe(200);
    // A request in flight: headers and half the body sent before the signal, the rest after.
    const { port } = new URL(s.url);
    const body = Buffer.concat([HEX_PRETTY, read("bad", "missing-required.ndjson")]);
    const sock = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => sock.on("connect", () => resolve()));
    let answer = "";
    sock.on("data", (d: Buffer) => (answer += d.toString("utf8")));
    const sockClosed = new Promise<void>((resolve) => sock.on("close", () => resolve()));
    sock.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
    sock.write(body.subarray(0, 3000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    s.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(send(s.url, { body: HEX_NDJSON })).rejects.toThrow(/ECONNREFUSED/);
    sock.write(body.subarray(3000));
    const done = await s.exited;
    await sockClosed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('{"request":2,"events":14,"records":9,"errors":5}');
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(done.code).toBe(0);
    expect(records(done.stdout)).toHaveLength(18 + 9);
    expect(readLines(dead)).toHaveLength(5);
    expect(done.stderr).toContain("hexlog: stopping: finishing 1 request in flight");
    expect(done.stderr).toContain("32 events → 27 records, 5 errors");
  });

  it("cuts off a client that never finishes on a second signal, exiting 130", async () => {
    const s = await serve(["-t", "Hex.Audit"]);
    const { port } = new URL(s.url);
    const sock = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => sock.on("connect", () => resolve()));
    sock.on("error", () => undefined);
    sock.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${HEX_NDJSON.length}\r\n\r\n{`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    s.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.child.exitCode).toBeNull();
    s.child.kill("SIGTERM");
    const done = await s.exited;
    expect(done.code).toBe(130);
    expect(done.stdout).toBe("");
  });

  it("writes every acknowledged record when stopped in the middle of a burst", async () => {
    const s = await serve(["-t", "Hex.Audit", "-q"]);
    // Connections still in the kernel's accept queue when the server stops are reset: not acknowledged.
    const burst = Array.from({ length: 30 }, () => send(s.url, { body: HEX_NDJSON }).catch(() => undefined));
    await Promise.race(burst);
    s.child.kill("SIGINT");
    const replies = await Promise.all(burst);
    const done = await s.exited;
    expect(done.code).toBe(0);
    const acknowledged = replies.reduce((sum, r) => sum + (r?.status === 200 ? Number(r.json.records) : 0), 0);
    expect(acknowledged).toBeGreaterThanOrEqual(18);
    expect(records(done.stdout)).toHaveLength(acknowledged);
  });
});

describe.concurrent("hexlog serve: usage errors", () => {
  it("refuses --secret-header together with --bearer, and a malformed --secret-header without echoing it", async () => {
    const both = await hexlog(["serve", "--port", "0", "--secret-header", SECRET, "--bearer", TOKEN]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give either --secret-header or --bearer, not both");
    const bad = await hexlog(["serve", "--port", "0", "--secret-header", "no-colon-s3cr3t"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--secret-header must be NAME:VALUE");
    expect(bad.stderr).not.toContain("s3cr3t");
  });

  it("exits 2 when the port is taken, a log type is unknown, or the TLS files are missing", async () => {
    const s = await serve(["-t", "Hex.Audit"]);
    const taken = await hexlog(["serve", "--port", new URL(s.url).port]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the address is already in use/);
    const unknown = await hexlog(["serve", "--port", "0", "-t", "Nope.Type"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown log type "Nope.Type"');
    const tls = await hexlog(["serve", "--port", "0", "--tls-cert", "missing.pem", "--tls-key", "missing.pem"]);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toContain("cannot read the TLS files");
    const port = await hexlog(["serve", "--port", "70000"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port must be an integer from 0 to 65535");
  });

  it("has help with examples", async () => {
    const r = await hexlog(["serve", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("HEXLOG_BEARER");
  });
});
