/**
 * Turns the observation tree into schema fields: one type per field (widened where values
 * disagree), `required` where every object had a value, indicators on strings, and `isEventTime`
 * on the timestamp most likely to be the event time. What cannot be described is left out with a
 * note saying why.
 */
import type { FieldSchema, ValueSchema } from "../../language/types.js";
import { chooseIndicators } from "./indicators.js";
import { BOOLEAN, FLOAT, INTEGER, MAX_DEPTH, TEXT, type Node } from "./observe.js";
import { chooseTimeFormats } from "./time.js";

/** Something the user should know about the inferred schema, at a field path (`event.targets[].id`). */
export interface InferNote {
  path: string;
  message: string;
}

interface EventTimeCandidate {
  field: FieldSchema;
  rank: number;
  /** Present in every event (required here and in every enclosing object). */
  always: boolean;
  depth: number;
}

class Builder {
  readonly notes: InferNote[] = [];
  readonly candidates: EventTimeCandidate[] = [];

  note(path: string, message: string): void {
    this.notes.push({ path, message });
  }

  /**
   * The fields of the objects seen at `node`. `timeCandidates` is false inside arrays (an
   * element's time is no event time) and `always` says whether `node` is in every event.
   */
  fields(node: Node, path: string, timeCandidates: boolean, always: boolean): FieldSchema[] {
    for (const [name, why] of node.skipped) this.note(path === "" ? name : `${path}.${name}`, `left out: ${why}`);
    const out: FieldSchema[] = [];
    for (const [name, child] of node.fields) {
      const fpath = path === "" ? name : `${path}.${name}`;
      const value = this.value(child, fpath, timeCandidates, always && child.present === node.objects);
      if (value === undefined) continue;
      const field: FieldSchema = { name, ...value };
      const stringLike = value.type === "string" || value.type === "json";
      // "" is a value for strings and json, and absent for every other type.
      if (child.present - (stringLike ? 0 : child.empties) === node.objects) field.required = true;
      out.push(field);
      const rank = child.hints.eventTimeRank;
      if (timeCandidates && value.type === "timestamp" && rank !== undefined) {
        this.candidates.push({ field, rank, always: always && field.required === true, depth: child.depth });
      }
    }
    return out;
  }

  /** `always`: the value is in every event (for the event-time choice); false inside arrays. */
  value(node: Node, path: string, timeCandidates: boolean, always: boolean): ValueSchema | undefined {
    if (node.present === 0) {
      this.note(path, "left out: always null");
      return undefined;
    }
    if (node.tooDeep > 0) {
      this.note(path, `typed json: nested deeper than ${MAX_DEPTH} levels`);
      return { type: "json" };
    }
    const scalar = node.kinds !== 0 || node.empties > 0;
    const shapes = [node.objects > 0 ? "objects" : "", node.arrays > 0 ? "arrays" : "", scalar ? scalarWords(node) : ""].filter((s) => s !== "");
    if (shapes.length > 1) {
      this.note(path, `typed json: holds ${shapes.join(" and ")}`);
      return { type: "json" };
    }
    if (node.objects > 0) {
      const fields = this.fields(node, path, timeCandidates, always);
      if (fields.length > 0) return { type: "object", fields };
      this.note(path, node.fields.size === 0 && node.skipped.size === 0 ? "left out: always an empty object" : "left out: none of its fields could be described");
      return undefined;
    }
    if (node.arrays > 0) {
      const el = node.element;
      if (el === undefined || el.present === 0) {
        this.note(path, "left out: always an empty array (or only null elements), so the element type is unknown");
        return undefined;
      }
      // When the elements cannot be described, their own note says why.
      const element = this.value(el, `${path}[]`, false, false);
      return element === undefined ? undefined : { type: "array", element };
    }
    return scalarValue(node);
  }

  /** Marks the likeliest event time: best name rank, then present in every event, then shallowest, then first. */
  markEventTime(): void {
    let best: EventTimeCandidate | undefined;
    for (const c of this.candidates) {
      if (
        best === undefined ||
        c.rank < best.rank ||
        (c.rank === best.rank && c.always && !best.always) ||
        (c.rank === best.rank && c.always === best.always && c.depth < best.depth)
      ) {
        best = c;
      }
    }
    if (best !== undefined) best.field.isEventTime = true;
  }
}

function scalarWords(node: Node): string {
  const words: string[] = [];
  if (node.kinds & BOOLEAN) words.push("booleans");
  if (node.kinds & (INTEGER | FLOAT)) words.push("numbers");
  if (node.kinds & TEXT || node.empties > 0) words.push("strings");
  return words.join(" and ");
}

/** The type of a field holding only scalars: timestamp when every value reads as one, else the narrowest type that holds them all. */
function scalarValue(node: Node): ValueSchema {
  const kinds = node.kinds;
  if (kinds !== 0 && node.timeMasks !== undefined && node.timeMasks.size > 0) {
    const formats = chooseTimeFormats(node.timeMasks);
    if (formats !== undefined) return { type: "timestamp", timeFormats: formats };
  }
  if (kinds === BOOLEAN) return { type: "boolean" };
  if (kinds === INTEGER) return { type: "bigint" };
  if (kinds !== 0 && (kinds & ~(INTEGER | FLOAT)) === 0) return { type: "float" };
  // Mixed kinds, text, or only "": a string holds them all (numbers and booleans keep their literal text).
  const value: ValueSchema = { type: "string" };
  if (kinds !== 0) {
    const indicators = chooseIndicators(node.indicatorMask, node.hints);
    if (indicators.length > 0) value.indicators = indicators;
  }
  return value;
}

/** The fields for the events observed at `root`, with isEventTime set, and the notes. */
export function buildFields(root: Node): { fields: FieldSchema[]; notes: InferNote[] } {
  const b = new Builder();
  const fields = b.fields(root, "", true, true);
  b.markEventTime();
  return { fields, notes: b.notes };
}
