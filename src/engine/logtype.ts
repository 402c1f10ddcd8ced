/** A log type ready to run: its checked schema plus the compiled normalizer (and text parser). */
import { checkSchema } from "../schema/check.js";
import type { LogSchema, SchemaIssue } from "../schema/types.js";
import { compileSchema, type CompiledSchema } from "./compile.js";
import { compileTextParser, type CompiledTextParser } from "./parsers/index.js";

export interface LogType {
  readonly name: string;
  readonly description: string;
  readonly schema: LogSchema;
  readonly compiled: CompiledSchema;
  /** The line parser of a text schema (fastmatch, regex, csv); absent for JSON schemas. */
  readonly text?: CompiledTextParser | undefined;
}

/** Checks and compiles a schema document (its plain YAML value). */
export function buildLogType(value: unknown, defaultName: string): { logType?: LogType; issues: SchemaIssue[] } {
  const { schema, issues } = checkSchema(value, defaultName);
  if (!schema) return { issues };
  const compiled = compileSchema(schema);
  const text = compileTextParser(schema.parser);
  if (Array.isArray(compiled) || Array.isArray(text)) {
    return { issues: [...issues, ...(Array.isArray(compiled) ? compiled : []), ...(Array.isArray(text) ? text : [])] };
  }
  return {
    logType: { name: schema.schema, description: schema.description ?? `${schema.schema} log type`, schema, compiled, text },
    issues,
  };
}
