// Writes a deterministic Hex.Audit NDJSON corpus of at least `megabytes` MB.
// Usage: node bench/generate.mjs <out-file> [megabytes]
import { createWriteStream } from "node:fs";

const [, , out = ".bench/hex-audit.ndjson", mb = "110"] = process.argv;
const target = Number(mb) * 1024 * 1024;

let seed = 42;
function rand() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rand() * 16)]).join("");
const ulid = () => Array.from({ length: 26 }, () => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[Math.floor(rand() * 32)]).join("");

const actions = ["RUN_CELL", "CREATE_PROJECT", "VIEW_PROJECT", "DOWNLOAD_CSV", "UPDATE_WORKSPACE_SETTINGS", "LOGIN", "INVITE_USER", "PUBLISH_APP"];
const users = Array.from({ length: 200 }, (_, i) => ({ id: `user-${hex(8)}-${i}`, email: `analyst${i}@example.com` }));
const agents = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "hex-python-sdk/0.4.1",
];

function event(i) {
  const t = Date.UTC(2026, 0, 1) + i * 1375;
  const occurred = new Date(t).toISOString();
  const delivered = new Date(t + 2000 + Math.floor(rand() * 500)).toISOString();
  const u = pick(users);
  const action = pick(actions);
  const ev = {
    source: "Hex",
    keySuffix: ulid(),
    timestamp: delivered,
    event: {
      actor: { id: u.id, type: "USER", metadata: { email: u.email, workspace: "Acme Analytics", workspaceId: "ws-7f3c2a", actorOrgRole: pick(["ADMIN", "MEMBER", "EDITOR"]) } },
      action,
      context: { location: `203.0.113.${Math.floor(rand() * 254) + 1}`, user_agent: pick(agents) },
      targets: [{ id: `prj-${hex(12)}`, type: "project", metadata: { created: action === "CREATE_PROJECT", representation: `{"name":"Quarterly revenue ${i % 97}"}` } }],
      version: "1.0",
      metadata: { result: rand() < 0.95 ? "SUCCESS" : "FAILURE", hexTraceId: hex(32), source: "web", isRefreshingKey: false },
      occurred_at: occurred,
    },
  };
  return JSON.stringify(ev);
}

const stream = createWriteStream(out);
let written = 0;
let i = 0;
function pump() {
  while (written < target) {
    let chunk = "";
    for (let k = 0; k < 1000; k++) chunk += event(i++) + "\n";
    written += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) return stream.once("drain", pump);
  }
  stream.end(() => console.error(`wrote ${i} events, ${(written / 1048576).toFixed(1)} MiB to ${out}`));
}
pump();
