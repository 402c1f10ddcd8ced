// Writes a deterministic corpus of at least `megabytes` MB for one kind of log.
// Usage: node bench/generate.mjs <out-file> [megabytes] [kind]
// kind: hex (Hex.Audit, the default), auth0 (Auth0.Events), panther (Panther.Audit),
//       apache-common (fastmatch), apache-combined (regex).
// The JSON kinds other than hex vary the events of testdata/ (ids, times, addresses).
import { createWriteStream, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [, , out = ".bench/hex-audit.ndjson", mb = "110", kind = "hex"] = process.argv;
const target = Number(mb) * 1024 * 1024;

let seed = 42;
function rand() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rand() * 16)]).join("");
const digits = (n) => Array.from({ length: n }, () => "0123456789"[Math.floor(rand() * 10)]).join("");
const ulid = () => Array.from({ length: 26 }, () => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[Math.floor(rand() * 32)]).join("");
const ip = () => `${pick(["192.0.2", "198.51.100", "203.0.113"])}.${Math.floor(rand() * 254) + 1}`;

const actions = ["RUN_CELL", "CREATE_PROJECT", "VIEW_PROJECT", "DOWNLOAD_CSV", "UPDATE_WORKSPACE_SETTINGS", "LOGIN", "INVITE_USER", "PUBLISH_APP"];
const users = Array.from({ length: 200 }, (_, i) => ({ id: `user-${hex(8)}-${i}`, email: `analyst${i}@example.com` }));
const agents = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "hex-python-sdk/0.4.1",
];

function hexEvent(i) {
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

const samples = (file) =>
  readFileSync(join(root, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");

const auth0Samples = () => samples("testdata/auth0/events.ndjson").map((l) => JSON.parse(l));
let auth0;
function auth0Event(i) {
  auth0 ??= auth0Samples();
  const ev = structuredClone(auth0[i % auth0.length]);
  // Auth0's log ids are 56 digits; user ids hold long digit runs too (both inside strings).
  const id = `900${digits(53)}`;
  ev.log_id = id;
  if (ev.data) {
    ev.data.log_id = id;
    ev.data.date = new Date(Date.UTC(2026, 0, 1) + i * 1117).toISOString();
    if (ev.data.ip) ev.data.ip = ip();
    if (typeof ev.data.user_id === "string") ev.data.user_id = `auth0|${hex(24)}`;
  }
  return JSON.stringify(ev);
}

let panther;
function pantherEvent(i) {
  panther ??= samples("testdata/panther/audit.ndjson").map((l) => JSON.parse(l));
  const ev = structuredClone(panther[i % panther.length]);
  const t = new Date(Date.UTC(2026, 0, 1) + i * 1375).toISOString();
  ev.timestamp = `${t.slice(0, 10)} ${t.slice(11, 23)}${digits(6)}`;
  if (ev.sourceIP) ev.sourceIP = ip();
  return JSON.stringify(ev);
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const paths = ["/", "/index.html", "/login", "/api/v1/items?page=2&sort=asc", "/static/app.js", "/wp-login.php", "/images/logo.png"];
function apacheCommon(i) {
  const d = new Date(Date.UTC(2026, 0, 1) + i * 731);
  const two = (n) => String(n).padStart(2, "0");
  const ts = `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  const user = rand() < 0.2 ? `user${Math.floor(rand() * 50)}` : "-";
  const status = pick([200, 200, 200, 304, 302, 404, 500]);
  const bytes = status === 304 ? "-" : String(Math.floor(rand() * 50000));
  return `${ip()} - ${user} [${ts}] "${pick(["GET", "GET", "POST", "HEAD"])} ${pick(paths)} HTTP/1.1" ${status} ${bytes}`;
}
function apacheCombined(i) {
  return `${apacheCommon(i)} "${pick(["-", "https://app.example.com/items", "https://www.example.com/start.html"])}" "${pick(agents)}"`;
}

const kinds = { hex: hexEvent, auth0: auth0Event, panther: pantherEvent, "apache-common": apacheCommon, "apache-combined": apacheCombined };
const event = kinds[kind];
if (!event) {
  console.error(`unknown kind ${kind}: one of ${Object.keys(kinds).join(", ")}`);
  process.exit(2);
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
