/**
 * Schema inference (`hexlog infer`): a log schema that validates and parses every sample event.
 * Feed events one at a time with `add`, then ask for the `result`. Pure logic: no I/O.
 *
 * The rules, in short (README "hexlog infer" has them in full):
 * - integers → bigint, other numbers → float, booleans → boolean, strings → string unless every
 *   value is a time; objects → object, arrays → array of the merged element type;
 * - disagreeing values widen: integer + float → float; scalars of several kinds → string (a string
 *   field keeps numbers and booleans as their literal text); objects or arrays mixed with anything
 *   else → json;
 * - a timestamp only when every non-empty value parses with the chosen format(s);
 * - `required` when every enclosing object had a non-null value (and, for non-strings, not "");
 * - fields in order of first appearance; keys that cannot be field names are left out with a note.
 */
import { LosslessParseError, parseLossless } from "../../engine/lossless-json.js";
import type { LogSchema } from "../../language/types.js";
import { buildFields, type InferNote } from "./build.js";
import { Node, observeObject } from "./observe.js";

export type { InferNote } from "./build.js";

export interface InferOptions {
  /** The schema (log type) name. */
  name: string;
  description?: string | undefined;
}

export interface InferResult {
  /** Undefined when no field could be inferred (no events, or none with a usable field). */
  schema: LogSchema | undefined;
  notes: InferNote[];
  /** Events the schema was inferred from. */
  events: number;
}

export class SchemaInferrer {
  private readonly root = new Node("", undefined, 0, true);

  /**
   * Adds one event: `raw` is its JSON text, `value` what JSON.parse made of it. Returns why the
   * event was not used when it is not a JSON object (a top-level null is an event with no fields,
   * as `hexlog parse` reads it).
   */
  add(raw: string, value: unknown): string | undefined {
    if (value === null) {
      this.root.objects++;
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      return `not a JSON object (${Array.isArray(value) ? "an array" : `a ${typeof value}`})`;
    }
    // Number literals decide between bigint and float ("1.0" is a float, JSON.parse says 1).
    let exact: unknown;
    try {
      exact = parseLossless(raw);
    } catch (e) {
      if (!(e instanceof LosslessParseError)) throw e;
      exact = value;
    }
    observeObject(this.root, exact as Record<string, unknown>);
    return undefined;
  }

  result(options: InferOptions): InferResult {
    const events = this.root.objects;
    const { fields, notes } = buildFields(this.root);
    if (fields.length === 0) return { schema: undefined, notes, events };
    const schema: LogSchema = { schema: options.name, fields };
    if (options.description !== undefined && options.description !== "") schema.description = options.description;
    return { schema, notes, events };
  }
}
