/** A log type ready to run: its checked schema plus the compiled normalizer. */
import { checkSchema } from "../schema/check.js";
import type { LogSchema, SchemaIssue } from "../schema/types.js";
import { compileSchema, type CompiledSchema } from "./compile.js";

export interface LogType {
  readonly name: string;
  readonly description: string;
  readonly schema: LogSchema;
  readonly compiled: CompiledSchema;
}

/** Checks and compiles a schema document (its plain YAML value). */
export function buildLogType(value: unknown, defaultName: string): { logType?: LogType; issues: SchemaIssue[] } {
  const { schema, issues } = checkSchema(value, defaultName);
  if (!schema) return { issues };
  const compiled = compileSchema(schema);
  if (Array.isArray(compiled)) return { issues: [...issues, ...compiled] };
  return {
    logType: { name: schema.schema, description: schema.description ?? `${schema.schema} log type`, schema, compiled },
    issues,
  };
}
