/**
 * Log source definitions: what a sources file says, in any of the forms users have at hand —
 * the response of Panther's ListSources query (`data.sources.edges[].node`), of its GetSource
 * query (`data.source`), a bare list of such nodes, or a hand-written list of
 * `{id, label, logTypes}`. Problems are values with the path they were found at.
 */
import { suggest } from "../language/suggest.js";
import type { SchemaPath } from "../language/types.js";

/** One log source integration, as hexlog uses it. */
export interface LogSource {
  id: string;
  label: string;
  /** Panther's integrationType (`http`, `aws-s3`, …), when known. */
  type: string | null;
  /** The log types the source carries, in the order given (the order events are classified in). */
  logTypes: string[];
  healthy: boolean | null;
  /** When the source last received an event (as Panther reported it). */
  lastEventReceivedAt: string | null;
}

export interface SourceIssue {
  path: SchemaPath;
  message: string;
  /** Point at the key rather than its value (unknown keys). */
  atKey?: boolean;
}

const FORMS = "expected the response of Panther's ListSources or GetSource query, a list of source nodes, or a list of {id, label, logTypes}";

/** Keys of a hand-written entry. */
const ENTRY_KEYS = ["id", "label", "logTypes", "type"] as const;

export function readSources(value: unknown): { sources: LogSource[]; issues: SourceIssue[] } {
  const issues: SourceIssue[] = [];
  const sources: LogSource[] = [];
  const paths: SchemaPath[] = [];
  const add = (node: unknown, path: SchemaPath): void => {
    const s = readNode(node, path, issues);
    if (s) {
      sources.push(s);
      paths.push(path);
    }
  };

  if (Array.isArray(value)) {
    value.forEach((node, i) => add(node, [i]));
  } else if (isObject(value)) {
    const graphqlError = firstGraphqlError(value);
    const hasData = "data" in value;
    const root = hasData ? value.data : value;
    const base: SchemaPath = hasData ? ["data"] : [];
    if (graphqlError !== undefined && !isObject(root)) {
      issues.push({ path: ["errors"], message: `the file holds an error response from Panther's API: ${graphqlError}` });
    } else if (isObject(root) && "sources" in root) {
      const edges = isObject(root.sources) ? root.sources.edges : undefined;
      if (!Array.isArray(edges)) {
        issues.push({ path: [...base, "sources"], message: "expected sources.edges to be a list (the ListSources query's response)" });
      } else {
        edges.forEach((edge, i) => {
          const path = [...base, "sources", "edges", i];
          if (isObject(edge) && "node" in edge) add(edge.node, [...path, "node"]);
          else issues.push({ path, message: "expected an edge with a node" });
        });
      }
    } else if (isObject(root) && "source" in root) {
      if (root.source === null) issues.push({ path: [...base, "source"], message: "the GetSource response has no source (was the id right?)" });
      else add(root.source, [...base, "source"]);
    } else {
      issues.push({ path: [], message: `not a sources file: ${FORMS}` });
    }
  } else {
    issues.push({ path: [], message: `not a sources file: ${FORMS}` });
  }

  const seen = new Map<string, number>();
  sources.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first === undefined) seen.set(s.id, i);
    else issues.push({ path: paths[i] ?? [], message: `source id "${s.id}" appears twice (labels "${sources[first]?.label}" and "${s.label}")` });
  });
  return { sources, issues };
}

/** A node of the API (integrationId, integrationLabel, …) or a hand-written entry (id, label, …). */
function readNode(node: unknown, path: SchemaPath, issues: SourceIssue[]): LogSource | undefined {
  if (!isObject(node)) {
    issues.push({ path, message: "expected a source (an object with an id, a label and logTypes)" });
    return undefined;
  }
  const before = issues.length;
  const fromApi = "integrationId" in node || "integrationLabel" in node;
  let source: LogSource;
  if (fromApi) {
    // The API may return more fields than hexlog uses (users extend the query): they are ignored.
    source = {
      id: text(node, "integrationId", path, issues, true) ?? "",
      label: text(node, "integrationLabel", path, issues, true) ?? "",
      type: text(node, "integrationType", path, issues, false) ?? null,
      logTypes: logTypes(node, path, issues, false),
      healthy: flag(node, "isHealthy", path, issues),
      lastEventReceivedAt: text(node, "lastEventReceivedAtTime", path, issues, false) ?? null,
    };
  } else {
    for (const key of Object.keys(node)) {
      if ((ENTRY_KEYS as readonly string[]).includes(key)) continue;
      const hint = suggest(key, ENTRY_KEYS);
      issues.push({ path: [...path, key], message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`, atKey: true });
    }
    source = {
      id: text(node, "id", path, issues, true) ?? "",
      label: text(node, "label", path, issues, true) ?? "",
      type: text(node, "type", path, issues, false) ?? null,
      logTypes: logTypes(node, path, issues, true),
      healthy: null,
      lastEventReceivedAt: null,
    };
  }
  return issues.length === before ? source : undefined;
}

function text(node: Record<string, unknown>, key: string, path: SchemaPath, issues: SourceIssue[], required: boolean): string | undefined {
  const v = node[key];
  if (v === undefined || v === null) {
    if (required) issues.push({ path, message: `${key} is missing` });
    return undefined;
  }
  if (typeof v !== "string" || (required && v.trim() === "")) {
    issues.push({ path: [...path, key], message: `${key} must be a non-empty string` });
    return undefined;
  }
  return v;
}

function flag(node: Record<string, unknown>, key: string, path: SchemaPath, issues: SourceIssue[]): boolean | null {
  const v = node[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "boolean") {
    issues.push({ path: [...path, key], message: `${key} must be true or false` });
    return null;
  }
  return v;
}

/** The API gives `null` for sources that carry no log types; a hand-written entry must list them. */
function logTypes(node: Record<string, unknown>, path: SchemaPath, issues: SourceIssue[], required: boolean): string[] {
  const v = node.logTypes;
  if ((v === undefined || v === null) && !required) return [];
  if (!Array.isArray(v)) {
    issues.push(v === undefined || v === null ? { path, message: "logTypes is missing" } : { path: [...path, "logTypes"], message: "logTypes must be a list of log type names" });
    return [];
  }
  const out: string[] = [];
  v.forEach((t, i) => {
    if (typeof t !== "string" || t.trim() === "") issues.push({ path: [...path, "logTypes", i], message: "expected a log type name" });
    else if (out.includes(t)) issues.push({ path: [...path, "logTypes", i], message: `log type ${t} is listed twice` });
    else out.push(t);
  });
  return out;
}

/** The first message of a GraphQL error response (`{"errors":[{"message":…}], "data": null}`). */
function firstGraphqlError(value: Record<string, unknown>): string | undefined {
  const errors = value.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first: unknown = errors[0];
  return isObject(first) && typeof first.message === "string" ? first.message : "(no message)";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
