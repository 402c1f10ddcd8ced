/** createWebhookHandler mounted on a Node HTTP server in this process. */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  bearerAuth,
  compileLogType,
  createWebhookHandler,
  deadLetter,
  fixedClock,
  loadLogTypes,
  normalizeStream,
  secretHeaderAuth,
  type Clock,
  type LineOutput,
  type WebhookAuth,
  type WebhookOptions,
} from "../../src/index.js";
import { errorLine } from "../../src/output/report.js";
import { LineSink } from "../../src/output/sink.js";
import { send } from "../helpers/serve.js";

const CLOCK = fixedClock("2026-01-02T03:04:05Z") as Clock;
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Lines kept in memory; `fail` makes every write fail, as a full disk would. */
function memoryOutput(fail = false): LineOutput & { lines: string[] } {
  const pending: string[] = [];
  const out = {
    lines: [] as string[],
    closed: false,
    writeLine: (l: string) => void pending.push(l),
    flushWritten: async () => {
      if (fail) {
        out.closed = true;
        return false;
      }
      out.lines.push(...pending.splice(0));
      return true;
    },
  };
  return out;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("createWebhookHandler", () => {
  it("normalizes a text log type's body line by line", async () => {
    const { logType } = await compileLogType(readFileSync("testdata/schemas/text/apache-common.yml", "utf8"));
    const records = memoryOutput();
    const handler = createWebhookHandler({ types: [logType!], clock: CLOCK, records, deadLetter });
    const url = await listen(handler);
    const reply = await send(url, { method: "POST", body: readFileSync("testdata/text/apache/common.log"), headers: { "content-type": "text/plain" } });
    expect(reply.status).toBe(200);
    expect(reply.json.records).toBe(records.lines.length);
    expect(records.lines.length).toBeGreaterThan(0);
    expect(JSON.parse(records.lines[0]!)).toMatchObject({ p_log_type: "Custom.ApacheCommon", p_parse_time: "2026-01-02T03:04:05Z" });
    expect(handler.stats.records).toBe(records.lines.length);
  });

  it("answers 503 and stops accepting when its output fails, counting nothing as received", async () => {
    const { types } = await loadLogTypes();
    const records = memoryOutput(true);
    const handler = createWebhookHandler({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, records, deadLetter });
    const url = await listen(handler);
    const reply = await send(url, { method: "POST", body: readFileSync("testdata/hex/audit.ndjson") });
    expect(reply.status).toBe(503);
    expect(handler.stopping).toBe(true);
    expect(handler.stats.records).toBe(0);
    expect((await send(url, { method: "POST", body: readFileSync("testdata/hex/audit.ndjson") })).status).toBe(503);
  });

  it("writes failed events as dead letters and checks the shared secret", async () => {
    const { types } = await loadLogTypes();
    const records = memoryOutput();
    const deadLetters = memoryOutput();
    const auth = secretHeaderAuth("X-Hex-Secret:s3cret") as WebhookAuth;
    const handler = createWebhookHandler({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, records, deadLetters, deadLetter, auth });
    const url = await listen(handler);
    expect((await send(url, { method: "POST", body: '{"x":1}' })).status).toBe(401);
    const reply = await send(url, { method: "POST", body: '{"x":1}\n', headers: { "x-hex-secret": "s3cret" } });
    expect(reply.json).toMatchObject({ events: 1, records: 0, errors: 1 });
    expect(JSON.parse(deadLetters.lines[0]!)).toMatchObject({ file: "http#2", line: 1, logType: "Hex.Audit", raw: '{"x":1}' });
    expect(handler.rejected.get(401)).toBe(1);
  });

  it("caps the bytes of bodies read at once: past --max-buffered a request gets 503 with Retry-After, a small one still fits, and every 200's records are written", async () => {
    const { types } = await loadLogTypes();
    const records = memoryOutput();
    const maxBody = 64 * 1024;
    // One large body (counted as the largest body) fits, two do not; a small one fits beside it.
    const handler = createWebhookHandler({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, records, deadLetter, maxBodyBytes: maxBody, maxBufferedBytes: 100 * 1024 });
    const url = await listen(handler);
    const lines = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n").filter(Boolean);
    const small = `${lines.slice(0, 2).join("\n")}\n`;
    let big = "";
    for (let i = 0; big.length < 40 * 1024; i++) big += `${lines[i % lines.length]}\n`;

    // A large body that is only half sent holds its share of the budget.
    const sock = connect(Number(new URL(url).port), "127.0.0.1");
    let answer = "";
    sock.on("data", (d: Buffer) => (answer += d.toString("utf8")));
    const closed = new Promise((resolve) => sock.on("close", resolve));
    await new Promise((resolve) => sock.on("connect", resolve));
    sock.write(`POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(big)}\r\n\r\n${big.slice(0, 1000)}`);
    while (handler.requests < 1) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));

    const refused = await send(url, { method: "POST", body: big });
    expect([refused.status, refused.headers["retry-after"]]).toEqual([503, "1"]);
    const fits = await send(url, { method: "POST", body: small });
    expect([fits.status, fits.json.records]).toEqual([200, 2]);

    sock.end(big.slice(1000));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    const again = await send(url, { method: "POST", body: big });
    expect(again.status).toBe(200);
    const acknowledged = 2 + (JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { records: number }).records + (again.json.records as number);
    expect(records.lines).toHaveLength(acknowledged);
    expect(handler.rejected.get(503)).toBe(1);
  });

  it("holds bodies back while a slow output is behind: its unwritten bytes stay under the cap plus one body's records, and every 200's records are written", async () => {
    const { types } = await loadLogTypes();
    // A file or pipe that takes one chunk whenever the test says so.
    const written: string[] = [];
    const waiting: Array<() => void> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        waiting.push(() => {
          written.push(chunk.toString("utf8"));
          callback();
        });
      },
    });
    const sink = new LineSink(stream);
    let peak = 0;
    const records: LineOutput = {
      writeLine: (line) => {
        sink.writeLine(line);
        peak = Math.max(peak, sink.pendingBytes);
      },
      flushWritten: () => sink.flushWritten(),
      get closed() {
        return sink.closed;
      },
      get pendingBytes() {
        return sink.pendingBytes;
      },
      waitForRoom: (limit) => sink.waitForRoom(limit),
    };
    const cap = 32 * 1024;
    const handler = createWebhookHandler({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, records, deadLetter, maxPendingOutputBytes: cap });
    const url = await listen(handler);
    const lines = readFileSync("testdata/hex/audit.ndjson", "utf8").split("\n").filter(Boolean);
    let body = "";
    for (let i = 0; body.length < 64 * 1024; i++) body += `${lines[i % lines.length]}\n`;

    const answers = Promise.all(Array.from({ length: 6 }, () => send(url, { method: "POST", body })));
    let done = false;
    void answers.finally(() => (done = true));
    // The output takes a chunk per turn of the event loop, far slower than bodies arrive.
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      waiting.shift()?.();
    }
    const replies = await answers;
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const output = written.join("");
    // Every acknowledged record is in the output, whole.
    expect(output.endsWith("\n")).toBe(true);
    const recordLines = output.split("\n").filter(Boolean);
    expect(recordLines).toHaveLength(replies.reduce((n, r) => n + (r.json.records as number), 0));
    for (const l of recordLines) JSON.parse(l);
    // One body's records, as written (all bodies are alike); without turns every body waiting
    // for the drain would make its records at once.
    const oneBody = Buffer.byteLength(output) / replies.length;
    expect(oneBody).toBeGreaterThan(2 * cap);
    expect(peak).toBeGreaterThan(cap);
    expect(peak).toBeLessThanOrEqual(cap + oneBody);
  });

  it("counts a request waiting for a stalled output against maxBodiesInFlight, so more get 503 instead of waiting with their first chunks read", async () => {
    const { types } = await loadLogTypes();
    const { waiting, sink, records } = stalledOutput();
    const handler = createWebhookHandler({ types: types.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, records, deadLetter, maxBodiesInFlight: 2, maxPendingOutputBytes: 1024 });
    const url = await listen(handler);
    const body = readFileSync("testdata/hex/audit.ndjson");
    const first = send(url, { method: "POST", body });
    while (sink.pendingBytes === 0) await new Promise((resolve) => setImmediate(resolve));
    // The output now holds the first body's records unwritten: the second waits for it.
    const second = send(url, { method: "POST", body });
    while (handler.requests < 2) await new Promise((resolve) => setImmediate(resolve));
    const third = await send(url, { method: "POST", body });
    expect([third.status, third.headers["retry-after"]]).toEqual([503, "1"]);
    let done = false;
    const both = Promise.all([first, second]).finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      waiting.shift()?.();
    }
    expect((await both).map((r) => [r.status, r.json.records])).toEqual([
      [200, 18],
      [200, 18],
    ]);
  });
  it("answers 503 with Retry-After, unread, a request that waited maxOutputWaitMs for an output that stays stalled (not a 408 blaming the sender)", async () => {
    const { types } = await loadLogTypes();
    const { waiting, sink, records } = stalledOutput();
    const refused: string[] = [];
    const handler = createWebhookHandler({
      types: types.filter((t) => t.name === "Hex.Audit"),
      clock: CLOCK,
      records,
      deadLetter,
      maxPendingOutputBytes: 1024,
      maxOutputWaitMs: 20,
      onRefused: (request, status, message) => void refused.push(`${request} ${status} ${message}`),
    });
    const url = await listen(handler);
    const body = readFileSync("testdata/hex/audit.ndjson");
    const first = send(url, { method: "POST", body });
    while (sink.pendingBytes === 0) await new Promise((resolve) => setImmediate(resolve));
    // The output never takes the first body's records: the second gives up waiting.
    const second = await send(url, { method: "POST", body });
    expect([second.status, second.headers["retry-after"], second.json.error]).toEqual([503, "5", "the output is behind; retry later"]);
    expect(refused).toEqual(["2 503 the output is behind; retry later"]);
    // The first, already read, is still answered once its records are written.
    let done = false;
    const answered = first.finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      waiting.shift()?.();
    }
    expect([(await answered).status, (await answered).json.records]).toEqual([200, 18]);
  });
});

/** An output that takes a chunk only when the test calls one of `waiting`. */
function stalledOutput(): { waiting: Array<() => void>; sink: LineSink; records: LineOutput } {
  const waiting: Array<() => void> = [];
  const stream = new Writable({ write: (_chunk, _encoding, callback) => void waiting.push(callback) });
  const sink = new LineSink(stream);
  const records: LineOutput = {
    writeLine: (line) => sink.writeLine(line),
    flushWritten: () => sink.flushWritten(),
    get closed() {
      return sink.closed;
    },
    waitForRoom: (limit) => sink.waitForRoom(limit),
  };
  return { waiting, sink, records };
}

/** Built-in log types, loaded once for the receivers below. */
const BUILTIN = (await loadLogTypes()).types;
const read = (...parts: string[]): Buffer => readFileSync(join("testdata", ...parts));
const HEX_NDJSON = read("hex", "audit.ndjson");
const HEX_ARRAY = read("hex", "audit-array.json");
const HEX_PRETTY = read("hex", "audit-pretty.json");
const AUTH0 = read("auth0", "events.ndjson");
const HEX_AUTH = { "x-hex-secret": "hex-shared-secret-7f3c" };
const TOKEN = "auth0-bearer-token-91d2";

/**
 * A receiver as `hexlog serve -t NAME` builds it (records, dead letters and error lines kept in
 * memory), mounted on an HTTP server in this process.
 */
async function receiver(typeNames: string[], options: Partial<WebhookOptions> = {}) {
  const records = memoryOutput();
  const deadLetters = memoryOutput();
  const errorLines: string[] = [];
  const types = typeNames.map((n) => BUILTIN.find((t) => t.name === n)!);
  const handler = createWebhookHandler({ types, clock: CLOCK, records, deadLetters, deadLetter, onFailure: (f) => errorLines.push(errorLine(f)), ...options });
  const url = await listen(handler);
  return {
    url,
    handler,
    records: () => records.lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    deadLetters: () => deadLetters.lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    errorLines,
  };
}

const withoutRowId = (r: Record<string, unknown>): Record<string, unknown> => ({ ...r, p_row_id: undefined });

describe("the webhook receiver: authentication", () => {
  it("accepts a Hex-style shared secret header and refuses a wrong or missing one alike", async () => {
    const s = await receiver(["Hex.Audit"], { auth: secretHeaderAuth("X-Hex-Secret:hex-shared-secret-7f3c") as WebhookAuth });
    const ok = await send(s.url, { headers: HEX_AUTH, body: HEX_NDJSON });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ request: 1, events: 18, records: 18, errors: 0 });
    const wrong = await send(s.url, { headers: { "x-hex-secret": "hex-shared-secret-7f3d" }, body: HEX_NDJSON });
    const missing = await send(s.url, { body: HEX_NDJSON });
    const otherHeader = await send(s.url, { headers: { "x-other": "hex-shared-secret-7f3c" }, body: HEX_NDJSON });
    for (const r of [wrong, missing, otherHeader]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: "unauthorized" });
    }
    expect(s.records()).toHaveLength(18);
  });

  it("matches the secret header's name whatever its case", async () => {
    const s = await receiver(["Hex.Audit"], { auth: secretHeaderAuth("X-Hex-Secret:hex-shared-secret-7f3c") as WebhookAuth });
    const r = await send(s.url, { headers: { "X-HEX-SECRET": "hex-shared-secret-7f3c" }, body: HEX_ARRAY });
    expect(r.status).toBe(200);
  });

  it("accepts an Auth0-style bearer token and refuses a wrong, missing or non-bearer one", async () => {
    const s = await receiver(["Auth0.Events"], { auth: bearerAuth(TOKEN) as WebhookAuth });
    const ok = await send(s.url, { headers: { authorization: `Bearer ${TOKEN}` }, body: AUTH0 });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ records: 13, errors: 0 });
    const lower = await send(s.url, { headers: { authorization: `bearer ${TOKEN}` }, body: AUTH0 });
    expect(lower.status).toBe(200);
    for (const authorization of [`Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, "Bearer ", undefined]) {
      const r = await send(s.url, { headers: authorization === undefined ? {} : { authorization }, body: AUTH0 });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: "unauthorized" });
      expect(r.headers["www-authenticate"]).toBe('Bearer realm="hexlog"');
    }
    expect(s.records()).toHaveLength(26);
  });
});

describe("the webhook receiver: bodies", () => {
  it("reads NDJSON, JSON arrays, pretty-printed and single JSON bodies like parse does", async () => {
    const s = await receiver(["Hex.Audit"]);
    const single = HEX_NDJSON.toString("utf8").split("\n")[0] as string;
    const replies = [];
    for (const body of [HEX_NDJSON, HEX_ARRAY, HEX_PRETTY, single]) replies.push(await send(s.url, { body }));
    expect(replies.map((r) => [r.status, r.json.records, r.json.errors])).toEqual([
      [200, 18, 0],
      [200, 6, 0],
      [200, 3, 0],
      [200, 1, 0],
    ]);
    const served = s.records();
    expect(served).toHaveLength(28);
    // The records are the ones the stream API (parse's pipeline) makes of the same input, row ids aside.
    const parsed: Array<Record<string, unknown>> = [];
    for await (const o of normalizeStream(Readable.from([HEX_NDJSON]), { types: BUILTIN.filter((t) => t.name === "Hex.Audit"), clock: CLOCK })) {
      if (o.ok) parsed.push(JSON.parse(o.json) as Record<string, unknown>);
    }
    expect(parsed).toHaveLength(18);
    expect(served.slice(0, 18).map(withoutRowId)).toEqual(parsed.map(withoutRowId));
  });

  it("decompresses gzip, deflate and br bodies, and gzip recognised by its bytes alone", async () => {
    const s = await receiver(["Hex.Audit"]);
    const cases: Array<[Record<string, string>, Buffer]> = [
      [{ "content-encoding": "gzip" }, gzipSync(HEX_NDJSON)],
      [{ "content-encoding": "deflate" }, deflateSync(HEX_NDJSON)],
      [{ "content-encoding": "br" }, brotliCompressSync(HEX_NDJSON)],
      [{}, gzipSync(HEX_ARRAY)],
    ];
    for (const [headers, body] of cases) expect((await send(s.url, { headers, body })).status).toBe(200);
    expect(s.records()).toHaveLength(18 * 3 + 6);
  });

  it("answers 200 with the error count and writes failed events as dead letters and error lines", async () => {
    const s = await receiver(["Hex.Audit"]);
    const r = await send(s.url, { body: read("bad", "missing-required.ndjson") });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ request: 1, events: 11, records: 6, errors: 5 });
    expect(s.records()).toHaveLength(6);
    const letters = s.deadLetters();
    expect(letters.map((l) => [l.file, l.line, l.logType])).toEqual([2, 4, 6, 8, 10].map((line) => ["http#1", line, "Hex.Audit"]));
    expect(letters[0]?.error).toBe("event.occurred_at: required field is missing");
    expect(s.errorLines).toContain("http#1:2: Hex.Audit: event.occurred_at: required field is missing");
  });

  it("refuses bodies over maxBodyBytes with 413, also when only their decompressed size is over", async () => {
    const s = await receiver(["Hex.Audit"], { maxBodyBytes: 20000 });
    const big = Buffer.concat([HEX_NDJSON, HEX_NDJSON]);
    expect(big.length).toBeGreaterThan(20000);
    const plain = await send(s.url, { body: big });
    expect(plain.status).toBe(413);
    expect(plain.json).toEqual({ error: "the body is larger than 20000 bytes" });
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20));
    expect(bomb.length).toBeLessThan(20000);
    const zipped = await send(s.url, { headers: { "content-encoding": "gzip" }, body: bomb });
    expect(zipped.status).toBe(413);
    expect(zipped.json).toEqual({ error: "the decompressed body is larger than 20000 bytes" });
    const sneaky = await send(s.url, { body: bomb });
    expect(sneaky.status).toBe(413);
    const fits = await send(s.url, { body: HEX_NDJSON });
    expect(fits.status).toBe(200);
    expect(s.records()).toHaveLength(18);
  });

  it("answers 1 MiB bodies by default and refuses bigger ones", async () => {
    const s = await receiver(["Hex.Audit"]);
    const line = (HEX_NDJSON.toString("utf8").split("\n")[0] as string) + "\n";
    const fit = Buffer.from(line.repeat(Math.floor((1024 * 1024) / Buffer.byteLength(line))));
    expect((await send(s.url, { body: fit })).status).toBe(200);
    expect((await send(s.url, { body: Buffer.concat([fit, Buffer.from(line)]) })).status).toBe(413);
  });

  it("refuses non-JSON media types and encodings with 415, and bodies that are not JSON at all with 400", async () => {
    const s = await receiver(["Hex.Audit"]);
    const html = await send(s.url, { headers: { "content-type": "text/html" }, body: "<html></html>" });
    expect(html.status).toBe(415);
    expect(html.json.error).toBe("unsupported Content-Type text/html: send JSON, NDJSON or a JSON array");
    expect((await send(s.url, { headers: { "content-type": "application/xml" }, body: "<a/>" })).status).toBe(415);
    expect((await send(s.url, { headers: { "content-encoding": "zstd" }, body: HEX_NDJSON })).status).toBe(415);
    const text = await send(s.url, { body: "hello, this is not JSON\n" });
    expect(text.status).toBe(400);
    expect(text.json.error).toBe("the body is not JSON: send JSON, NDJSON or a JSON array");
    expect((await send(s.url, { body: "  \n" })).json).toEqual({ error: "the body is empty" });
    expect((await send(s.url, { headers: { "content-encoding": "gzip" }, body: "not gzip" })).status).toBe(400);
    for (const type of ["application/json; charset=utf-8", "application/x-ndjson", "application/vnd.hex+json", "text/plain"]) {
      expect((await send(s.url, { headers: { "content-type": type }, body: HEX_PRETTY })).status).toBe(200);
    }
    expect(s.records()).toHaveLength(12);
  });

  it("answers 405 to other methods and 200 to GET /healthz without credentials", async () => {
    const s = await receiver(["Hex.Audit"], { auth: bearerAuth(TOKEN) as WebhookAuth });
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await send(s.url, { method });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe("POST");
    }
    const health = await send(s.url, { method: "GET", path: "/healthz" });
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: "ok" });
    expect((await send(s.url, { method: "POST", path: "/healthz", headers: { authorization: `Bearer ${TOKEN}` }, body: "{}" })).status).toBe(405);
  });

  it("answers 503 with Retry-After when the records cannot be written", async () => {
    const records = memoryOutput(true);
    const handler = createWebhookHandler({ types: BUILTIN.filter((t) => t.name === "Hex.Audit"), clock: CLOCK, records, deadLetter });
    const reply = await send(await listen(handler), { body: HEX_NDJSON });
    expect(reply.status).toBe(503);
    expect(reply.headers["retry-after"]).toBeDefined();
  });
});

describe("the webhook receiver: sources", () => {
  it("stamps the source id and label on every record", async () => {
    const s = await receiver(["Auth0.Events"], { sourceId: "local-1", sourceLabel: "laptop" });
    expect((await send(s.url, { body: AUTH0 })).status).toBe(200);
    const recs = s.records();
    expect(recs).toHaveLength(13);
    expect(recs[0]).toMatchObject({ p_log_type: "Auth0.Events", p_source_id: "local-1", p_source_label: "laptop" });
  });

  it("classifies each event among several log types, failing events none of them takes", async () => {
    const s = await receiver(["Hex.Audit", "Auth0.Events"]);
    expect((await send(s.url, { body: read("sources", "hex-and-auth0.ndjson") })).json).toMatchObject({ records: 12, errors: 0 });
    expect((await send(s.url, { body: read("panther", "audit.ndjson") })).json).toMatchObject({ records: 0, errors: 14 });
    expect(s.records().map((x) => x.p_log_type)).toEqual("HAAHHAHAHAAH".split("").map((c) => (c === "H" ? "Hex.Audit" : "Auth0.Events")));
  });
});

describe("the webhook receiver: robustness", () => {
  it("keeps every event of concurrent requests, each request's records whole and together", async () => {
    const s = await receiver(["Hex.Audit"]);
    const lines = HEX_NDJSON.toString("utf8").trim().split("\n");
    const n = 40;
    const bodies = Array.from({ length: n }, (_, i) => lines.map((l, j) => l.replace(/"keySuffix":"[^"]*"/, `"keySuffix":"req${i}-${j}"`)).join("\n"));
    const replies = await Promise.all(bodies.map((body) => send(s.url, { body })));
    expect(replies.every((r) => r.status === 200 && r.json.records === 18)).toBe(true);
    const recs = s.records();
    expect(recs).toHaveLength(n * 18);
    // Records of one request follow each other in order.
    for (let k = 0; k < recs.length; k += 18) {
      const req = String(recs[k]?.keySuffix).split("-")[0];
      expect(recs.slice(k, k + 18).map((r) => r.keySuffix)).toEqual(lines.map((_, j) => `${req}-${j}`));
    }
  });

  it("survives clients that hang up mid-body, counting them as aborted", async () => {
    const s = await receiver(["Hex.Audit"]);
    const { port } = new URL(s.url);
    for (let i = 0; i < 5; i++) {
      const sock = connect(Number(port), "127.0.0.1");
      await new Promise<void>((resolve) => sock.on("connect", () => resolve()));
      sock.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${HEX_NDJSON.length}\r\n\r\n`);
      sock.write(HEX_NDJSON.subarray(0, 5000));
      sock.destroy();
    }
    expect((await send(s.url, { body: HEX_NDJSON })).json.records).toBe(18);
    expect(s.records()).toHaveLength(18);
  });
});
