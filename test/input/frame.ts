import { JsonFramer, LineFramer, type FramedEvent } from "../../src/input/framing.js";

export interface FrameOptions {
  maxEventBytes?: number;
  /** Push the input in chunks of this many bytes (default: all at once). */
  chunkBytes?: number;
  /** Or cut it at exactly these byte offsets. */
  cuts?: number[];
  lines?: boolean;
}

/** Runs a whole input through a framer and returns every event, as the CLI would see them. */
export function frame(input: string | Buffer, options: FrameOptions = {}): FramedEvent[] {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const maxEventBytes = options.maxEventBytes ?? 10 * 1024 * 1024;
  const framer = options.lines ? new LineFramer({ maxEventBytes }) : new JsonFramer({ maxEventBytes });
  const out: FramedEvent[] = [];
  const cuts = options.cuts ?? chunkCuts(bytes.length, options.chunkBytes ?? bytes.length);
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    framer.push(bytes.subarray(from, to), out);
    from = to;
  }
  framer.end(out);
  return out;
}

function chunkCuts(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < length; at += size) cuts.push(at);
  return cuts;
}

/** Events reduced to what a reader compares: line, then value or error. */
export function summary(events: FramedEvent[]): Array<[number, unknown]> {
  return events.map((e) => [e.line, e.error === undefined ? e.value : `ERROR ${e.error}`]);
}
