/**
 * A worker thread of `parse --workers N`: builds a batch runner (parse-batch.ts) from its setup
 * message, then runs each batch it is sent and hands the result back, bytes by transfer.
 */
import { parentPort } from "node:worker_threads";
import { enableRegexBacktrackingGuard } from "../../engine/parsers/regex/linear.js";
import { BatchRunner } from "./batch-runner.js";
import { failureBuffers } from "./failure-pack.js";
import type { WorkerReply, WorkerRequest } from "./messages.js";

const port = parentPort;
if (!port) throw new Error("parse-worker runs as a worker thread");

// Worker threads are started by the command line's parallel runtime, which owns the process.
enableRegexBacktrackingGuard();

let runner: BatchRunner | undefined;

port.on("message", (m: WorkerRequest) => {
  if (m.kind === "setup") {
    runner = new BatchRunner(m.setup);
    const ready: WorkerReply = { kind: "ready" };
    port.postMessage(ready);
    return;
  }
  if (m.kind === "release") {
    runner?.release(m.id);
    return;
  }
  if (!runner) throw new Error("parse worker: a batch came before the setup");
  const result = runner.run(m);
  const transfer = [result.input.buffer as ArrayBuffer];
  if (result.records) transfer.push(result.records.buffer as ArrayBuffer);
  if (result.spare) transfer.push(result.spare.buffer as ArrayBuffer);
  transfer.push(...failureBuffers(result.failures));
  port.postMessage(result, transfer);
});
