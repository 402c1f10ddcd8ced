/** createWebhookHandler mounted on a Node HTTP server in this process. */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { compileLogType, createWebhookHandler, deadLetter, fixedClock, loadLogTypes, secretHeaderAuth, type Clock, type LineOutput, type WebhookAuth } from "../../src/index.js";
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
});
