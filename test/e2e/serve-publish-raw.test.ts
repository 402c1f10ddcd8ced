/**
 * `hexlog serve --publish-raw`: the webhook receiver as the front of a JetStream pipeline. Bodies
 * are stored in the raw stream as they came (decompressed) and answered 200 only once stored;
 * a worker normalizes them from there.
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { DiscardPolicy } from "@nats-io/jetstream";
import { hexlog } from "../helpers/cli.js";
import { consumerDone, hexEvents, natsUrl, releaseNats, readStream, startWorker, topology } from "../helpers/nats.js";
import { send, startServer } from "../helpers/serve.js";

let url: string;
beforeEach(async () => {
  url = await natsUrl();
});
afterAll(releaseNats);

describe("hexlog serve --publish-raw", () => {
  test("accepted bodies are stored in the stream and answered with where; a consume worker turns them into records", async () => {
    const t = await topology(url);
    try {
      const server = await startServer(["-t", "Hex.Audit", "--bearer", "tok", "--publish-raw", `${url}/${t.rawSubject}`]);
      const events = hexEvents(4, 4);
      const ndjson = `${events[0]}\n${events[1]}\n`;
      const first = await send(server.url, { headers: { authorization: "Bearer tok" }, body: ndjson });
      expect(first.status).toBe(200);
      expect(first.json).toEqual({ request: 1, stream: t.raw, seq: 1 });
      const second = await send(server.url, { headers: { authorization: "Bearer tok", "content-encoding": "gzip" }, body: gzipSync(`[${events[2]},${events[3]}]`) });
      expect(second.json).toEqual({ request: 2, stream: t.raw, seq: 2 });
      const refused = await send(server.url, { headers: { authorization: "Bearer nope" }, body: ndjson });
      expect(refused.status).toBe(401);

      const r = await server.stop();
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`bodies to stream ${t.raw} as ${t.rawSubject}`);
      expect(r.stderr).toContain(`hexlog: 2 bodies stored in stream ${t.raw}`);
      expect((await readStream(t, t.raw)).map((m) => m.data)).toEqual([ndjson, `[${events[2]},${events[3]}]`]);

      const w = startWorker(["--nats", url, "--stream", t.raw, "--consumer", "workers", "-t", "Hex.Audit", "--publish", t.recordSubject, "--dead-letters", t.deadSubject, "-q"]);
      await w.ready;
      await consumerDone(t, "workers", 2);
      w.child.kill("SIGTERM");
      expect((await w.exited).code).toBe(0);
      const out = await readStream(t, t.out);
      expect(out.filter((m) => m.subject === t.deadSubject)).toHaveLength(1);
      expect(out.filter((m) => m.subject.endsWith("Hex.Audit")).map((m) => (JSON.parse(m.data) as { keySuffix: string }).keySuffix)).toEqual(["k0", "k1", "k2"]);
    } finally {
      await t.close();
    }
  });

  test("a body the stream does not store is answered 503, never 200", async () => {
    // The raw stream holds one message and refuses new ones.
    const t = await topology(url);
    try {
      const cfg = (await t.jsm.streams.info(t.raw)).config;
      await t.jsm.streams.update(t.raw, { ...cfg, max_msgs: 1, discard: DiscardPolicy.New });
      const server = await startServer(["-t", "Hex.Audit", "--publish-raw", `${url}/${t.rawSubject}`]);
      const body = hexEvents(1)[0] as string;
      expect((await send(server.url, { body })).status).toBe(200);
      const full = await send(server.url, { body });
      expect(full.status).toBe(503);
      expect(full.headers["retry-after"]).toBe("5");
      const r = await server.stop();
      expect(r.stderr).toContain("hexlog: http#2: 503: the stream did not store the body: ");
      expect((await readStream(t, t.raw)).length).toBe(1);
    } finally {
      await t.close();
    }
  });

  test("a subject no stream stores, or -o beside it, is a usage error before listening", async () => {
    const noStream = await hexlog(["serve", "--port", "0", "-t", "Hex.Audit", "--publish-raw", `${url}/nowhere.raw`]);
    expect(noStream.code).toBe(2);
    expect(noStream.stderr).toBe("hexlog: --publish-raw: no stream stores subject nowhere.raw: add one, e.g. nats stream add RAW --subjects 'nowhere.>'\n");
    const withOutput = await hexlog(["serve", "--port", "0", "--publish-raw", `${url}/raw.x`, "-o", "records.ndjson"]);
    expect(withOutput.code).toBe(2);
    expect(withOutput.stderr).toContain("-o and --errors do not apply");
    const bad = await hexlog(["serve", "--port", "0", "--publish-raw", "raw.x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--publish-raw "raw.x" is not URL/SUBJECT');
  });
});
