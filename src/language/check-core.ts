/**
 * What every check of the language shares: problems collected with their paths instead of
 * stopping at the first, and the checks of plain YAML values (mappings, booleans, string lists).
 */
import { didYouMean } from "./suggest.js";
import type { SchemaIssue, SchemaPath } from "./types.js";

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Problems collected with their paths, and the checks every part of the language shares. */
export class IssueCollector {
  readonly issues: SchemaIssue[] = [];
  /** List items left out of the schema because of their errors (so later items move up). */
  readonly dropped: SchemaPath[] = [];

  error(path: SchemaPath, rule: string, message: string, atKey = false): void {
    this.issues.push(atKey ? { path, rule, message, severity: "error", atKey } : { path, rule, message, severity: "error" });
  }

  warn(path: SchemaPath, rule: string, message: string): void {
    this.issues.push({ path, rule, message, severity: "warning" });
  }

  unknownKeys(o: Obj, allowed: readonly string[], path: SchemaPath): void {
    for (const key of Object.keys(o)) {
      if (allowed.includes(key)) continue;
      this.issues.push({ path: [...path, key], rule: "unknown-key", message: `unknown key "${key}"${didYouMean(key, allowed)}`, severity: "error", atKey: true });
    }
  }

  bool(o: Obj, key: string, path: SchemaPath): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") {
      this.error([...path, key], "type-mismatch", `${key} must be true or false, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  stringList(v: unknown, path: SchemaPath, what: string, allowEmptyItems = false): string[] | undefined {
    if (!Array.isArray(v)) {
      this.error(path, "type-mismatch", `${what} must be a list of strings, got ${describe(v)}`);
      return undefined;
    }
    if (v.length === 0) {
      this.error(path, "empty-list", `${what} must not be empty`);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item !== "string") this.error([...path, i], "type-mismatch", `${what} items must be strings, got ${describe(item)}`);
      else if (item === "" && !allowEmptyItems) this.error([...path, i], "empty-value", `${what} items must not be empty`);
      else {
        out.push(item);
        return;
      }
      this.dropped.push([...path, i]);
    });
    return out;
  }
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}
