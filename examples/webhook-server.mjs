// A Node HTTP server receiving Hex's audit webhooks with hexlog's handler, records to stdout.
// Run: node examples/webhook-server.mjs 8080   (then POST NDJSON with header X-Hex-Secret: s3cret)
import { createServer } from "node:http";
import { createWebhookHandler, deadLetter, loadLogTypes, secretHeaderAuth } from "hexlog";

const port = Number(process.argv[2] ?? 0);
const { types } = await loadLogTypes();
/** Records to stdout; `flushWritten` resolves once they were handed over, so a 200 means written. */
const stdout = {
  closed: false,
  pending: [],
  writeLine(line) {
    this.pending.push(line);
  },
  flushWritten() {
    const text = this.pending.splice(0).map((l) => `${l}\n`).join("");
    return new Promise((resolve) => process.stdout.write(text, (e) => resolve(!e)));
  },
};
const handler = createWebhookHandler({
  types: types.filter((t) => t.name === "Hex.Audit"),
  auth: secretHeaderAuth("X-Hex-Secret:s3cret"),
  records: stdout,
  deadLetter,
  onFailure: (f) => console.error(`${f.file}:${f.line}: ${f.path}: ${f.message}`),
});
const server = createServer(handler).listen(port, "127.0.0.1", () => {
  console.error(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => {
  handler.stop();
  server.close(() => console.error(`${handler.stats.records} records received`));
});
