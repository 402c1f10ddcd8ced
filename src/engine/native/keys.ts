/**
 * Case-insensitive keys, as Go's JSON decoder (and so every Panther native parser) matches them:
 * an input key that is not a schema key but equals one ignoring case is read as that key
 * (CloudTrail's `resources[].ARN` for a schema's `arn`). An exact match always wins, and keys
 * inside json fields are left as they are.
 */
import type { Shape } from "../compile.js";

type ObjectShape = Extract<Shape, { kind: "object" }>;

const MAX_DEPTH = 64;

/** Lower-cased key → schema key, per object level (built once per shape). */
const folded = new WeakMap<ObjectShape, Map<string, string>>();

function foldedKeys(shape: ObjectShape): Map<string, string> {
  let m = folded.get(shape);
  if (!m) {
    m = new Map();
    for (const k of shape.fields.keys()) if (!m.has(k.toLowerCase())) m.set(k.toLowerCase(), k);
    folded.set(shape, m);
  }
  return m;
}

/** The event with its keys matched to the schema's; the same object when nothing changes. */
export function matchKeys(value: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  return shape.kind === "object" ? (matchObject(value, shape, 0) as Record<string, unknown>) : value;
}

function matchValue(value: unknown, shape: Shape, depth: number): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (shape.kind === "object") return Array.isArray(value) ? value : matchObject(value as Record<string, unknown>, shape, depth);
  if (shape.kind === "array") {
    if (!Array.isArray(value)) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = matchValue(value[i], shape.element, depth + 1);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  return value;
}

function matchObject(o: Record<string, unknown>, shape: ObjectShape, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const child = shape.fields.get(key);
    if (child) {
      const v = matchValue(o[key], child, depth + 1);
      if (v !== o[key]) {
        out ??= copyUpTo(o, keys, i);
        out[key] = v;
      } else if (out) out[key] = v;
      continue;
    }
    const target = foldedKeys(shape).get(key.toLowerCase());
    if (target === undefined || Object.hasOwn(o, target)) {
      if (out) out[key] = o[key];
      continue;
    }
    out ??= copyUpTo(o, keys, i);
    out[target] = matchValue(o[key], shape.fields.get(target) as Shape, depth + 1);
  }
  return out ?? o;
}

/** A copy of the keys before index `end` (without a prototype: keys such as `__proto__` stay data). */
function copyUpTo(o: Record<string, unknown>, keys: readonly string[], end: number): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < end; i++) out[keys[i] as string] = o[keys[i] as string];
  return out;
}
