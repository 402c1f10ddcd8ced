/** `hexlog sources`: the log sources of a sources file, and the log types no schema defines. */
import { paletteFor } from "../output/color.js";
import { sourceJson, sourcesTable } from "../output/sources.js";
import { sourceName, undefinedLogTypes } from "../catalog/select-source.js";
import { LineSink } from "../output/sink.js";
import { EXIT_OK } from "./errors.js";
import { loadSources } from "./load-sources.js";
import { loadLogTypes, schemaProblemLines } from "./load-types.js";

export interface SourcesOptions {
  sources?: string;
  schemas?: string[];
  quiet?: boolean;
}

export async function runSources(fileArg: string | undefined, opts: SourcesOptions): Promise<number> {
  const sources = await loadSources(fileArg ?? opts.sources);
  const loaded = await loadLogTypes(opts.schemas ?? []);
  const names = loaded.types.map((t) => t.logType.name);
  const stdout = new LineSink(process.stdout);
  const stderr = new LineSink(process.stderr);
  const [outC, errC] = await Promise.all([paletteFor(process.stdout), paletteFor(process.stderr)]);

  if (process.stdout.isTTY) stdout.writeLine(sourcesTable(sources, outC));
  else for (const s of sources) stdout.writeLine(sourceJson(s));

  for (const line of schemaProblemLines(loaded.problems)) stderr.writeLine(errC.red(line));
  if (!opts.quiet) {
    for (const w of loaded.warnings) stderr.writeLine(errC.yellow(w));
    for (const s of sources) {
      const missing = undefinedLogTypes(s, names);
      if (missing.length === 0) continue;
      stderr.writeLine(errC.yellow(`warning: source ${sourceName(s)}: no loaded schema defines ${missing.join(", ")} (add it with --schemas)`));
    }
  }
  await Promise.all([stdout.flush(), stderr.flush()]);
  return EXIT_OK;
}
