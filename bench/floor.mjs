// The performance floor of SPEC §5: a bare Node loop that splits lines, JSON.parses each,
// adds two fields and JSON.stringifies it. hexlog must reach 80% of its throughput.
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";

const file = process.argv[2];
const logType = process.env.FLOOR_LOG_TYPE ?? "Hex.Audit";
const decoder = new StringDecoder("utf8");
let rest = "";
let events = 0;
const out = process.stdout;
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
  const text = rest + decoder.write(chunk);
  const lines = text.split("\n");
  rest = lines.pop() ?? "";
  const parts = [];
  for (const line of lines) {
    if (line === "") continue;
    const o = JSON.parse(line);
    o.p_log_type = logType;
    o.p_parse_time = new Date().toISOString();
    parts.push(JSON.stringify(o));
    events++;
  }
  if (!out.write(parts.join("\n") + "\n")) await new Promise((r) => out.once("drain", r));
}
if (process.env.HEXLOG_STATS) {
  process.stderr.write(JSON.stringify({ events, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + "\n");
}
