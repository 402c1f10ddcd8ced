/** createWebhookHandler mounted on a Node HTTP server in this process. */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
});
