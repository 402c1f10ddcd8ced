/**
 * A batch's failed events, packed for the trip from a worker to the main thread. Cloned as
 * objects, 87,000 failures of a 256 KiB batch of `{}` lines took about 17 MiB of the main
 * thread's heap per batch (each a dozen small objects and strings, the same log type and
 * message copied into every one), and eight batches waiting to be written pushed `--workers 2`
 * to 540 MiB. Packed, they are two typed arrays (transferred, not copied), one string of
 * their raw texts and the distinct reasons once each: about 20 bytes per failure plus its raw
 * text; the main thread unpacks one failure at a time as it writes them, so those objects die
 * young.
 */
import type { EventFailure } from "../events.js";

/** What failures share: everything but the line, the place and the raw text. */
export interface FailureReason {
  logType: string | null;
  path: string;
  message: string;
  truncated?: boolean | undefined;
  candidates?: ReadonlyArray<{ logType: string; path: string; message: string }> | undefined;
}

export interface PackedFailures {
  count: number;
  /** Per failure: its line number. */
  lines: Float64Array;
  /** Per failure, three numbers: the batch's records before it, where its raw text ends in `raw`, its reason. */
  places: Uint32Array;
  /** The raw texts one after another (a string, so any text comes back exactly as it went). */
  raw: string;
  reasons: FailureReason[];
}

/** A failure of a batch; `at` is the number of the batch's records before it. */
export type BatchFailure = Omit<EventFailure, "file"> & { at: number };

const PLACE = 3;
/** Raw texts are joined a few at a time so that no long list of small strings is kept. */
const RAW_PARTS = 1024;

/** Packs failures as they come. */
export class FailurePacker {
  private count = 0;
  private lines = new Float64Array(0);
  private places = new Uint32Array(0);
  private rawLength = 0;
  private rawParts: string[] = [];
  private readonly rawJoined: string[] = [];
  private readonly reasons: FailureReason[] = [];
  /** Reasons without candidates, by their text: one entry for a batch of the same failure. */
  private readonly reasonIds = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  add(f: Omit<EventFailure, "file">, at: number): void {
    if (this.count === this.lines.length) this.grow();
    const i = this.count++;
    this.rawLength += f.raw.length;
    this.rawParts.push(f.raw);
    if (this.rawParts.length >= RAW_PARTS) this.joinRaw();
    this.lines[i] = f.line;
    this.places[i * PLACE] = at;
    this.places[i * PLACE + 1] = this.rawLength;
    this.places[i * PLACE + 2] = this.reasonOf(f);
  }

  /** The failures packed (arrays trimmed to their count); the packer starts over empty. */
  take(): PackedFailures {
    this.joinRaw();
    const packed: PackedFailures = {
      count: this.count,
      lines: this.lines.slice(0, this.count),
      places: this.places.slice(0, this.count * PLACE),
      raw: this.rawJoined.join(""),
      reasons: this.reasons.slice(),
    };
    this.count = 0;
    this.lines = new Float64Array(0);
    this.places = new Uint32Array(0);
    this.rawLength = 0;
    this.rawJoined.length = 0;
    this.reasons.length = 0;
    this.reasonIds.clear();
    return packed;
  }

  private grow(): void {
    const n = Math.max(64, this.lines.length * 2);
    const lines = new Float64Array(n);
    lines.set(this.lines);
    const places = new Uint32Array(n * PLACE);
    places.set(this.places);
    this.lines = lines;
    this.places = places;
  }

  private joinRaw(): void {
    if (this.rawParts.length === 0) return;
    this.rawJoined.push(this.rawParts.join(""));
    this.rawParts = [];
  }

  private reasonOf(f: Omit<EventFailure, "file">): number {
    const reason: FailureReason = { logType: f.logType, path: f.path, message: f.message, truncated: f.truncated, candidates: f.candidates };
    if (f.candidates) return this.reasons.push(reason) - 1;
    // Every part but the last is prefixed with its length, so no two reasons share a key (paths
    // and messages quote input, which may hold any character).
    const type = f.logType === null ? "-" : `${f.logType.length}:${f.logType}`;
    const key = `${type}${f.path.length}:${f.path}${f.truncated === undefined ? "u" : f.truncated ? "t" : "f"}${f.message}`;
    let id = this.reasonIds.get(key);
    if (id === undefined) {
      id = this.reasons.push(reason) - 1;
      this.reasonIds.set(key, id);
    }
    return id;
  }
}

/** No failures: what most batches carry. */
export function noFailures(): PackedFailures {
  return { count: 0, lines: new Float64Array(0), places: new Uint32Array(0), raw: "", reasons: [] };
}

/** The buffers to transfer with the packed failures (none when empty). */
export function failureBuffers(p: PackedFailures): ArrayBuffer[] {
  return p.count === 0 ? [] : [p.lines.buffer as ArrayBuffer, p.places.buffer as ArrayBuffer];
}

/** Roughly what the packed failures hold in memory, in bytes (strings counted at two bytes a character). */
export function packedBytes(p: PackedFailures): number {
  let n = p.lines.byteLength + p.places.byteLength + 2 * p.raw.length;
  for (const r of p.reasons) n += 64 + 2 * (r.path.length + r.message.length) + (r.candidates ? 128 * r.candidates.length : 0);
  return n;
}

/** The `i`th failure of the batch, unpacked. */
export function failureAt(p: PackedFailures, i: number): BatchFailure {
  const at = p.places[i * PLACE] as number;
  const end = p.places[i * PLACE + 1] as number;
  const start = i === 0 ? 0 : (p.places[(i - 1) * PLACE + 1] as number);
  const reason = p.reasons[p.places[i * PLACE + 2] as number] as FailureReason;
  return {
    line: p.lines[i] as number,
    logType: reason.logType,
    path: reason.path,
    message: reason.message,
    raw: p.raw.slice(start, end),
    truncated: reason.truncated,
    candidates: reason.candidates,
    at,
  };
}
