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

/**
 * The event with its keys matched to the schema's; the same object when nothing changes.
 * `inPlace`: the event may be changed where it lies (it is one log type's alone): an object
 * whose own keys are renamed is still a new one, but objects and arrays above it take it in
 * place of the old one instead of being copied too (CloudTrail's `resources[].ARN` would
 * otherwise copy the whole event).
 */
export function matchKeys(value: Record<string, unknown>, shape: Shape, inPlace = false): Record<string, unknown> {
  return shape.kind === "object" ? (matchObject(value, shape, 0, inPlace) as Record<string, unknown>) : value;
}

function matchValue(value: unknown, shape: Shape, depth: number, inPlace: boolean): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (shape.kind === "object") return Array.isArray(value) ? value : matchObject(value as Record<string, unknown>, shape, depth, inPlace);
  if (shape.kind === "array") {
    if (!Array.isArray(value)) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = matchValue(value[i], shape.element, depth + 1, inPlace);
      if (v !== value[i]) (out ??= inPlace ? value : value.slice())[i] = v;
    }
    return out ?? value;
  }
  return value;
}

function matchObject(o: Record<string, unknown>, shape: ObjectShape, depth: number, inPlace: boolean): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  let folded: Map<string, string> | undefined;
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const child = shape.fields.get(key);
    if (child) {
      // A leaf's value is read only to be copied (a read by a varying name is a slow lookup).
      if (child.kind === "leaf") {
        if (out) put(out, key, o[key]);
        continue;
      }
      const value = o[key];
      const v = matchValue(value, child, depth + 1, inPlace);
      if (v !== value) {
        // Another value under the same key keeps the object's shape: no copy needed in place.
        if (inPlace && out === undefined) put(o, key, v);
        else put((out ??= copyUpTo(o, keys, i)), key, v);
      } else if (out) put(out, key, v);
      continue;
    }
    const target = (folded ??= foldedKeys(shape)).get(key.toLowerCase());
    if (target === undefined || Object.hasOwn(o, target)) {
      if (out) put(out, key, o[key]);
      continue;
    }
    out ??= copyUpTo(o, keys, i);
    put(out, target, matchValue(o[key], shape.fields.get(target) as Shape, depth + 1, inPlace));
  }
  return out ?? o;
}

/**
 * A copy of the keys before index `end`: a plain object, as JSON.parse makes them (one without a
 * prototype is a dictionary to V8, and the normalizer and JSON.stringify read those slowly).
 */
function copyUpTo(o: Record<string, unknown>, keys: readonly string[], end: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < end; i++) put(out, keys[i] as string, o[keys[i] as string]);
  return out;
}

/** Sets an own data property, `__proto__` included (as JSON.parse does), never the prototype. */
function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}
