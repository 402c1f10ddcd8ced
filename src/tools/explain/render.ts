/**
 * An event trace for people (text, one block per event) and for programs (one JSON object per
 * line). Everything that came from input — values, keys, file names, messages quoting values —
 * passes through escapeForTerminal before it is printed.
 */
import type { Palette } from "../../output/color.js";
import { escapeForTerminal } from "../../output/terminal-text.js";
import type { CandidateTrace, EventTrace, FieldTrace, ParserTrace } from "./trace.js";

/** Values longer than this are cut in text output (JSON output keeps them whole). */
const MAX_VALUE_CHARS = 160;

const e = escapeForTerminal;

const same = (text: string): string => text;
const NO_COLOUR: Palette = { red: same, green: same, yellow: same, cyan: same, magenta: same, gray: same, dimCyan: same };

/** The trace as lines of text for a terminal (no colours unless a palette gives them). */
export function renderText(t: EventTrace, c: Palette = NO_COLOUR): string {
  const out: string[] = [];
  const f = t.framing;
  out.push(c.cyan(`── ${e(f.file)}:${f.line}`) + c.gray(` · ${f.bytes} bytes · ${f.framer === "json" ? "one JSON value" : "one line"}`));
  if (f.error !== undefined) {
    out.push(c.red(`  ✗ framing: ${e(f.error)}`));
    return out.join("\n");
  }
  if (t.candidates.length > 0) {
    out.push(t.candidates.length === 1 ? "log type:" : `classification (${t.candidates.length} candidates, in order; the first that reads the event wins):`);
    const width = Math.max(...t.candidates.map((x) => x.logType.length));
    const skipped = t.candidates.some((x) => x.outcome === "skipped");
    for (const x of t.candidates) out.push(`  ${candidateLine(x, width, c, skipped)}`);
  }
  // The winner's walk, or the one the engine blames when none matched.
  const shown = t.candidates.find((x) => x.outcome === "matched") ?? t.candidates.find((x) => x.closest) ?? (t.candidates.length === 1 ? t.candidates[0] : undefined);
  if (shown && (shown.fields.length > 0 || shown.parser?.captures || shown.parser?.attempts)) out.push(...candidateBlock(shown, c));
  out.push(...outcomeLines(t, c));
  return out.join("\n");
}

function candidateLine(x: CandidateTrace, width: number, c: Palette, skipped: boolean): string {
  const name = x.logType.padEnd(width);
  const why = x.error ? `${x.error.path ? `${e(x.error.path)}: ` : ""}${e(x.error.message)}` : "";
  switch (x.outcome) {
    case "matched":
      return `${c.green("✓")} ${name}  ${c.green("matched")}`;
    case "skipped":
      return `${c.yellow("–")} ${name}  ${c.yellow(why)}`;
    case "not-tried":
      return c.gray(`· ${name}  not tried (${skipped ? "the line is skipped" : "an earlier type took the event"})`);
    default:
      return `${c.red("✗")} ${name}  ${why}${x.closest ? c.gray("  ← came closest") : ""}`;
  }
}

function candidateBlock(x: CandidateTrace, c: Palette): string[] {
  const out: string[] = [];
  if (x.parser && x.parser.kind !== "json") out.push(...parserLines(x.parser, c));
  if (x.lossless) out.push(c.gray(`${x.logType}: read losslessly: ${e(x.lossless)}`));
  if (x.fields.length > 0) {
    out.push(`${x.logType} fields, in schema order:`);
    for (const field of x.fields) out.push(...fieldLines(field, c));
  }
  if (x.dropped.length > 0) out.push(`dropped (in the input, not in the schema): ${x.dropped.map(e).join(", ")}`);
  if (x.eventTime) {
    const et = x.eventTime;
    out.push(`p_event_time: ${et.value} ${c.gray(et.field !== undefined ? `(isEventTime field ${e(et.field)})` : `(${e(et.fallback ?? "")})`)}`);
  }
  if (x.indicators && Object.keys(x.indicators).length > 0) {
    for (const [k, list] of Object.entries(x.indicators)) out.push(`${k}: ${list.map((v) => e(JSON.stringify(v))).join(", ")}`);
  }
  return out;
}

function parserLines(p: ParserTrace, c: Palette): string[] {
  const out: string[] = [];
  if (p.attempts && p.attempts.length > 1) {
    out.push("fastmatch patterns, in order (the first that matches wins):");
    for (const a of p.attempts) {
      out.push(`  match[${a.pattern}] ${a.result === "matched" ? c.green("✓ matched") : c.red(`✗ ${e(a.result)}`)}`);
    }
  }
  if (p.captures) {
    const which = p.kind === "fastmatch" ? `placeholder` : p.kind === "regex" ? "group" : "column";
    out.push(`${p.kind} captures${p.pattern !== undefined ? ` (match[${p.pattern}])` : ""}:`);
    const names = p.captures.map((cap, i) => (cap.name === null ? `${which} ${i + 1} (not kept)` : e(cap.name)));
    const width = Math.max(0, ...names.map((n) => n.length));
    p.captures.forEach((cap, i) => {
      const left = cap.kept === false ? c.gray("  (in emptyValues: left out)") : "";
      out.push(`  ${(names[i] as string).padEnd(width)}  ${cap.value === null ? c.gray("(took no part)") : value(JSON.stringify(cap.value))}${left}`);
    });
    for (const x of p.expanded ?? []) out.push(`  ${e(x.name)} ${c.gray("(expandFields)")}  ${x.value === null ? c.gray("(empty, left out)") : value(JSON.stringify(x.value))}`);
  }
  return out;
}

function fieldLines(f: FieldTrace, c: Palette): string[] {
  const input = f.input !== f.path && !f.input.includes("[") ? c.gray(` ← ${e(f.input)}`) : "";
  let now = "";
  switch (f.status) {
    case "absent":
      now = c.gray("absent");
      break;
    case "null":
      now = c.gray("null, left out");
      break;
    case "not-reached":
      now = `${f.raw !== undefined ? `${value(f.raw)} ` : ""}${c.gray("(not read)")}`;
      break;
    case "empty":
      now = `${f.raw !== undefined ? `${value(f.raw)} ` : ""}${c.gray(f.type.startsWith("array") ? "→ empty, left out" : "→ no value, left out")}`;
      break;
    default:
      if (f.raw !== undefined && f.output !== undefined) now = f.raw === f.output ? value(f.raw) : `${value(f.raw)} → ${value(f.output)}`;
      else if (f.raw !== undefined) now = value(f.raw);
  }
  const out = [`  ${c.cyan(e(f.path))}${input}  ${c.yellow(e(f.type))}${f.required ? c.gray(" required") : ""}${now ? `  ${now}` : ""}`];
  const detail = (s: string): void => {
    out.push(`      ${s}`);
  };
  for (const t of f.transformations ?? []) detail(`${t.kind}: ${e(t.detail)}${t.result !== undefined ? ` → ${value(t.result)}` : c.gray(" → nothing")}`);
  if (f.coercion) detail(c.gray(`coercion: ${f.coercion}`));
  if (f.timeFormats && f.timeFormats.length > 0) {
    // The error of a field with one format already says why that format failed.
    const said = f.timeFormats.length === 1 && f.error !== undefined;
    const parts = f.timeFormats.map((t) =>
      t.result === "matched" ? c.green(`${e(t.format)} ✓`) : t.result === "not tried" ? c.gray(`${e(t.format)} (not tried)`) : c.red(`${e(t.format)} ✗`) + c.gray(t.message && !said ? ` (${e(t.message)})` : ""),
    );
    detail(`time formats: ${parts.join(", ")}`);
  }
  for (const v of f.validate ?? []) detail(`validate ${v.rule} ${v.ok ? c.green("✓") : c.red("✗")}`);
  for (const i of f.indicators ?? []) detail(`indicator ${i.indicator} → ${i.field} ${value(JSON.stringify(i.value))}`);
  if (f.eventTime === "chosen") detail(c.green("isEventTime: sets p_event_time"));
  else if (f.eventTime === "earlier field chose") detail(c.gray("isEventTime: an earlier field already set p_event_time"));
  else if (f.eventTime === "no value") detail(c.gray("isEventTime: no value here"));
  if (f.error !== undefined) detail(f.status === "not-reached" ? c.gray(e(f.error)) : c.red(`✗ ${e(f.error)}`));
  return out;
}

/** JSON text of a value, cut when long, escaped for the terminal. */
function value(json: string): string {
  const cut = json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS)}… (${json.length} characters)` : json;
  return e(cut);
}

function outcomeLines(t: EventTrace, c: Palette): string[] {
  const o = t.outcome;
  const out: string[] = [];
  if (o.kind === "skipped") out.push(c.yellow("result: no event (the line is skipped)"));
  else if (o.kind === "record") out.push(`${c.green(`result: a ${o.logType} record`)}\n  ${e(o.record)}`);
  else out.push(c.red(`result: error: ${o.logType ? `${o.logType}: ` : ""}${o.path ? `${e(o.path)}: ` : ""}${e(o.message)}`));
  const agree = o.kind === "record" ? t.winner === o.logType : o.kind === "skipped" ? t.candidates.some((x) => x.outcome === "skipped") : t.winner === null;
  if (!agree) out.push(c.red("internal: the trace and the engine disagree about this event; please report it"));
  return out;
}

/** One line of JSON for an event trace; values stay JSON (numbers as written). */
export function renderJson(t: EventTrace): string {
  const o = {
    ...t,
    candidates: t.candidates.map((x) => ({
      ...x,
      ...(x.record !== undefined ? { record: new RawJson(x.record) } : {}),
      fields: x.fields.map((f) => ({
        ...f,
        ...(f.raw !== undefined ? { raw: new RawJson(f.raw) } : {}),
        ...(f.output !== undefined ? { output: new RawJson(f.output) } : {}),
        ...(f.transformations ? { transformations: f.transformations.map((s) => ({ ...s, ...(s.result !== undefined ? { result: new RawJson(s.result) } : {}) })) } : {}),
      })),
    })),
    outcome: t.outcome.kind === "record" ? { ...t.outcome, record: new RawJson(t.outcome.record) } : t.outcome,
  };
  return escapeForTerminal(toJson(o));
}

/** JSON text that goes into the output as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify with RawJson values written verbatim (undefined members left out). */
function toJson(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(x)}`);
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(v);
}
