// Creates the two JetStream streams a hexlog pipeline needs, for machines with only Debian's
// nats-server (no `nats` CLI): RAW for webhook bodies (subjects raw.>) and RECORDS for records
// and dead letters (records.> and dead), deduplicating over 2 minutes. Existing streams are left
// as they are.
// Usage: node examples/nats-streams.mjs [nats://127.0.0.1:4222] [PREFIX]
// (PREFIX, e.g. TEST_, goes before the stream names and, lowercased, before the subjects.)
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";

const [, , servers = "nats://127.0.0.1:4222", prefix = ""] = process.argv;
const p = prefix.toLowerCase();
const nc = await connect({ servers });
const jsm = await jetstreamManager(nc);
const streams = [
  { name: `${prefix}RAW`, subjects: [`${p}raw.>`] },
  // Longer than the consumer's ack wait (30 s): a redelivery after a crash is still recognised.
  { name: `${prefix}RECORDS`, subjects: [`${p}records.>`, `${p}dead`], duplicate_window: nanos(120_000) },
];
for (const s of streams) {
  const exists = await jsm.streams.info(s.name).then(() => true, () => false);
  if (!exists) await jsm.streams.add(s);
  console.log(`${exists ? "kept" : "created"} stream ${s.name} (${s.subjects.join(", ")})`);
}
await nc.close();
