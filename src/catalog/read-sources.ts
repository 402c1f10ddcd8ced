/**
 * Reading a sources file (`--sources`, HEXLOG_SOURCES): JSON as Panther's API returns it or YAML
 * written by hand (one YAML 1.2 reader takes both), plain or gzip. Problems come back with
 * file:line:column.
 */
import { locate, parseSchemaText } from "../language/yaml-source.js";
import { readSources, type LogSource } from "./sources.js";
import { InputError, readInput } from "../input/open.js";

/** Panther's ListSources response for hundreds of sources is well under a MiB. */
export const MAX_SOURCES_BYTES = 16 * 1024 * 1024;

export interface SourcesFile {
  file: string;
  sources: LogSource[];
  /** `file:line:col: message` lines; when there are any, `sources` is not to be used. */
  problems: string[];
}

/** Reads and checks a sources file. Rejects with an InputError when it cannot be read. */
export async function readSourcesFile(file: string): Promise<SourcesFile> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of readInput(file)) {
    // Counted after decompression, as read: a small gzip file can expand without end.
    total += chunk.length;
    if (total > MAX_SOURCES_BYTES) {
      throw new InputError(file, `${file === "-" ? "stdin" : file}: too large for a sources file (more than ${MAX_SOURCES_BYTES / 1048576} MiB)`);
    }
    chunks.push(Buffer.from(chunk));
  }
  const { source, problems: yamlProblems } = parseSchemaText(Buffer.concat(chunks).toString("utf8"), file);
  if (yamlProblems.length > 0) {
    return { file, sources: [], problems: yamlProblems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`) };
  }
  const { sources, issues } = readSources(source.value);
  const problems = issues.map((issue) => {
    const pos = locate(source, issue.path, issue.atKey);
    return `${file}:${pos.line}:${pos.col}: ${issue.message}`;
  });
  return { file, sources, problems };
}
