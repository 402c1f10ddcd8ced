/**
 * The sources file and `--source` for the commands that take them: every problem is a usage
 * error (exit 2) that says what is available.
 */
import { InputError } from "../input/open.js";
import { readSourcesFile } from "../catalog/read-sources.js";
import { pickSource, SourceProblem, sourceLogTypes } from "../catalog/select-source.js";
import type { LogSource } from "../catalog/sources.js";
import { UsageError } from "./errors.js";
import type { LoadedType } from "../catalog/load-types.js";

export interface ChosenSource {
  source: LogSource;
  /** The log types to classify among, in the source's order (or --type's). */
  logTypes: string[];
}

export async function loadSources(file: string | undefined): Promise<LogSource[]> {
  if (file === undefined || file === "") {
    throw new UsageError("no sources file: give --sources FILE or set HEXLOG_SOURCES", [
      "export one with Panther's ListSources query (see the README), or write a YAML list of {id, label, logTypes}",
    ]);
  }
  if (file === "-") throw new UsageError("--sources needs a file path (stdin carries the events)");
  let read;
  try {
    read = await readSourcesFile(file);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  if (read.problems.length > 0) throw new UsageError(`${file} is not a usable sources file:`, read.problems);
  return read.sources;
}

/** `--source <label or id>` against the sources file and the loaded log types; `only` is --type. */
export async function chooseSource(file: string | undefined, ref: string, loaded: readonly LoadedType[], only: readonly string[]): Promise<ChosenSource> {
  const picked = pickSource(await loadSources(file), ref);
  if (picked instanceof SourceProblem) throw new UsageError(picked.message, picked.details);
  const logTypes = sourceLogTypes(
    picked,
    loaded.map((t) => t.name),
    only,
  );
  if (logTypes instanceof SourceProblem) throw new UsageError(logTypes.message, logTypes.details);
  return { source: picked, logTypes };
}
