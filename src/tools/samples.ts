/**
 * `validate-schema --samples`: sample events run through the schemas just validated, the way
 * `parse` runs them (readInput → JsonFramer, or LineFramer when a text schema is among them →
 * EventProcessor), keeping counts and the first failures instead of records.
 */
import { EventProcessor } from "../engine/process.js";
import type { LogType } from "../engine/logtype.js";
import { RowIds } from "../engine/rowid.js";
import { JsonFramer, LineFramer, type FramedEvent } from "../input/framing.js";
import { InputError, readInput } from "../input/open.js";
import type { SampleSummary } from "../output/findings.js";
import type { EventFailure } from "../output/report.js";
import { UsageError } from "../cli/errors.js";
import { isoMillis } from "../cli/parse.js";

const MAX_EVENT_BYTES = 10 * 1024 * 1024;

export async function runSamples(files: readonly string[], types: readonly LogType[], maxListed: number): Promise<{ summary: SampleSummary; failures: EventFailure[] }> {
  const processor = new EventProcessor(types, { rowIds: new RowIds() });
  const now = Date.now();
  processor.setClock(Math.floor(now / 1000), isoMillis(now));
  const single = types.length === 1 ? (types[0] as LogType).name : null;
  const summary: SampleSummary = { files: [...files], events: 0, matched: 0, unmatched: 0, skipped: 0, perType: {}, listed: 0 };
  const failures: EventFailure[] = [];
  const fail = (f: EventFailure): void => {
    summary.unmatched++;
    if (failures.length < maxListed) failures.push(f);
  };

  for (const file of files) {
    const label = file === "-" ? "<stdin>" : file;
    const framer = processor.lineBased ? new LineFramer({ maxEventBytes: MAX_EVENT_BYTES }) : new JsonFramer({ maxEventBytes: MAX_EVENT_BYTES });
    const lines = processor.lineBased ? processor.openStream() : undefined;
    const events: FramedEvent[] = [];
    const handle = (): void => {
      if (!lines) processor.expandFramed(events);
      for (const ev of events) {
        summary.events++;
        if (ev.error !== undefined) {
          fail({ file: label, line: ev.line, logType: single, path: "", message: ev.error, raw: ev.raw });
          continue;
        }
        const r = lines ? processor.processLine(ev.raw, lines) : processor.process(ev.raw, ev.value);
        if (r === null) {
          // A header or a skipped line of a text schema: read, but no event.
          summary.skipped++;
        } else if (r.ok) {
          summary.matched++;
          summary.perType[r.logType] = (summary.perType[r.logType] ?? 0) + 1;
        } else {
          fail({ file: label, line: ev.line, logType: r.logType, path: r.path, message: r.message, raw: ev.raw });
        }
      }
      events.length = 0;
    };
    try {
      for await (const chunk of readInput(file)) {
        framer.push(chunk, events);
        handle();
      }
      framer.end(events);
      handle();
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
  }
  summary.listed = failures.length;
  return { summary, failures };
}
