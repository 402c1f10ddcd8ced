// Normalizes Hex audit events with hexlog as a library: one event, then a whole file as a stream.
// Run: node examples/normalize-events.mjs testdata/hex/audit.ndjson
import { createReadStream } from "node:fs";
import { loadLogTypes, Normalizer, normalizeStream } from "hexlog";

const file = process.argv[2] ?? "testdata/hex/audit.ndjson";
const { types, problems } = await loadLogTypes();
if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
const hex = types.filter((t) => t.name === "Hex.Audit");

// One event, given as an object: the record comes back as an object and as JSON text.
const normalizer = new Normalizer({ types: hex });
const one = normalizer.normalize({
  source: "Hex",
  event: { action: "LOGIN", occurred_at: "2026-01-01T00:00:00Z", actor: { id: "u1", type: "USER", metadata: { email: "ana@example.com" } } },
});
console.log(one.ok ? `one event: ${one.record.p_log_type} at ${one.record.p_event_time}` : `one event failed: ${one.path}: ${one.message}`);

// A file as a stream: each outcome carries its line; failures their raw text.
let records = 0;
let failures = 0;
const emails = new Set();
for await (const outcome of normalizeStream(createReadStream(file), { types: hex, label: file })) {
  if (!outcome.ok) {
    failures++;
    console.error(`${outcome.file}:${outcome.line}: ${outcome.path}: ${outcome.message}`);
    continue;
  }
  records++;
  for (const e of outcome.indicators.p_any_emails ?? []) emails.add(e);
}
console.log(`${file}: ${records} records, ${failures} failures, ${emails.size} distinct emails`);
