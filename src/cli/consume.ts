/**
 * `hexlog consume`: one stateless worker of a JetStream pipeline. Flags → connection and
 * consumer options → run until SIGTERM/SIGINT, then drain and print the summary.
 */
import { paletteFor } from "../output/color.js";
import { errorLine, summary } from "../output/report.js";
import { LineSink } from "../output/sink.js";
import { openConsumer } from "../server/consume.js";
import { connectNats, shownServers } from "../server/nats.js";
import { EXIT_INTERRUPTED, EXIT_OK, UsageError } from "./errors.js";
import { chooseSource } from "./load-sources.js";
import { loadLogTypes, selectTypes, type TypeChoiceOptions } from "./load-types.js";
import { parseNow } from "./parse.js";

export interface ConsumeCommandOptions extends TypeChoiceOptions {
  nats: string;
  stream: string;
  consumer: string;
  publish: string;
  deadLetters: string;
  maxInflight: number;
  ackWait: number;
  maxEventBytes: number;
  creds?: string;
  token?: string;
  tlsCa?: string;
  now?: string;
  quiet?: boolean;
}

/** Exit code when the connection is closed for good under a running worker. */
const EXIT_OUTPUT_FAILED = 3;

export async function runConsume(opts: ConsumeCommandOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const loaded = await loadLogTypes(opts.schemas ?? []);
  const typeArgs = (opts.type ?? []).flatMap((t) => t.split(",")).filter((t) => t !== "");
  const chosen = opts.source === undefined ? undefined : await chooseSource(opts.sources, opts.source, loaded.types, typeArgs);
  const selected = selectTypes(loaded.types, chosen ? chosen.logTypes : typeArgs);
  const clock = opts.now === undefined ? undefined : parseNow(opts.now);
  const stderr = new LineSink(process.stderr);
  const errC = await paletteFor(process.stderr);
  if (!opts.quiet) for (const w of loaded.warnings) stderr.writeLine(errC.yellow(w));

  const say = (line: string): void => {
    if (!opts.quiet) stderr.writeLine(errC.yellow(`hexlog: ${line}`));
    void stderr.flush();
  };
  const connected = await connectNats({ servers: opts.nats, name: `hexlog consume ${opts.consumer}`, creds: opts.creds, token: opts.token, tlsCa: opts.tlsCa }, say);
  if (!connected.ok) throw new UsageError(connected.message);
  const nc = connected.nc;
  const opened = await openConsumer({
    nc,
    stream: opts.stream,
    consumer: opts.consumer,
    types: selected.map((t) => t.logType),
    sourceId: opts.sourceId ?? chosen?.source.id,
    sourceLabel: opts.sourceLabel ?? chosen?.source.label,
    publish: opts.publish,
    deadLetters: opts.deadLetters,
    maxInflight: opts.maxInflight,
    ackWaitSeconds: opts.ackWait,
    maxEventBytes: opts.maxEventBytes,
    clock,
  }).catch((e: unknown) => ({ ok: false as const, message: `cannot set up the consumer: ${(e as Error).message}` }));
  if (!opened.ok) {
    await nc.close();
    throw new UsageError(opened.message);
  }
  const worker = opened.consumer;
  for (const w of worker.warnings) say(`warning: ${w}`);
  // Printed even with --quiet, like serve's "listening on": scripts wait for it.
  stderr.writeLine(`hexlog: consuming stream ${opts.stream} as ${opts.consumer} at ${shownServers(opts.nats)}`);
  if (!opts.quiet) stderr.writeLine(`hexlog: log types ${selected.map((t) => t.logType.name).join(", ")}; records to ${opts.publish}, dead letters to ${opts.deadLetters}`);
  await stderr.flush();

  const stop = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    // A second signal does not wait for the publishes in flight; unacked messages come again.
    if (++signals > 1) process.exit(EXIT_INTERRUPTED);
    if (!opts.quiet) stderr.writeLine("hexlog: stopping: finishing the messages in flight");
    void stderr.flush();
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const spinner = !opts.quiet && process.stderr.isTTY && !process.env.CI ? await startSpinner() : undefined;

  const stats = await worker.run(stop.signal, {
    failure: (f) => {
      if (!opts.quiet) stderr.writeLine(errC.red(errorLine(f)));
    },
    warning: (w) => say(w),
    progress: (s) => {
      if (spinner) spinner.text = `${s.messages.toLocaleString("en-US")} messages, ${s.events.toLocaleString("en-US")} events, ${s.errors} errors`;
    },
  });
  spinner?.stop();
  const lost = nc.isClosed();
  // Sends the acks still buffered before the connection closes.
  if (!lost) await nc.drain();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!opts.quiet) {
    stderr.writeLine(
      `hexlog: ${stats.messages} messages acked (${stats.redelivered} redelivered, ${stats.duplicates} duplicate publishes dropped by the server, ${stats.retried} retried)`,
    );
    stderr.writeLine(summary(stats, seconds, errC));
  }
  if (lost) stderr.writeLine(errC.red("hexlog: the connection to NATS was closed; unacked messages go to the other workers"));
  await stderr.flush();
  return lost ? EXIT_OUTPUT_FAILED : EXIT_OK;
}

async function startSpinner(): Promise<{ text: string; stop(): void }> {
  const { default: ora } = await import("ora");
  return ora({ text: "waiting for messages", stream: process.stderr, discardStdin: false }).start();
}
