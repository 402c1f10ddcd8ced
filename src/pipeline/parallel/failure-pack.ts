/**
 * A batch's failed events, packed for the trip from a worker to the main thread. Cloned as
 * objects, 87,000 failures of a 256 KiB batch of `{}` lines took about 17 MiB of the main
 * thread's heap per batch (each a dozen small objects and strings, the same log type and
 * message copied into every one), and eight batches waiting to be written pushed `--workers 2`
 * to 540 MiB. Packed, they are a few bytes each of varints (transferred, not copied), one
 * string of their raw texts and the distinct reasons once each; the main thread unpacks one
 * failure at a time as it writes them, so those objects die young.
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
  /**
   * Per failure, four varints: its line and the batch's records before it (each as the zigzag
   * difference from the failure before), the length of its raw text, its reason's index.
   */
  places: Uint8Array;
  /** The raw texts one after another (a string, so any text comes back exactly as it went). */
  raw: string;
  reasons: FailureReason[];
}

/** A failure of a batch; `at` is the number of the batch's records before it. */
export type BatchFailure = Omit<EventFailure, "file"> & { at: number };

/** Raw texts are joined a few at a time so that no long list of small strings is kept. */
const RAW_PARTS = 1024;

/** Packs failures as they come. */
export class FailurePacker {
  private count = 0;
  private places = new Uint8Array(0);
  private length = 0;
  private line = 0;
  private at = 0;
  private rawParts: string[] = [];
  private readonly rawJoined: string[] = [];
  private readonly reasons: FailureReason[] = [];
  /** Reasons without candidates, by their text: one entry for a batch of the same failure. */
  private readonly reasonIds = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  add(f: Omit<EventFailure, "file">, at: number): void {
    this.count++;
    this.rawParts.push(f.raw);
    if (this.rawParts.length >= RAW_PARTS) this.joinRaw();
    // A varint takes at most 8 bytes for the numbers here (below 2^53).
    if (this.length + 32 > this.places.length) this.grow();
    this.varint(zigzag(f.line - this.line));
    this.varint(zigzag(at - this.at));
    this.varint(f.raw.length);
    this.varint(this.reasonOf(f));
    this.line = f.line;
    this.at = at;
  }

  /** The failures packed; the packer starts over empty. */
  take(): PackedFailures {
    this.joinRaw();
    const packed: PackedFailures = { count: this.count, places: this.places.slice(0, this.length), raw: this.rawJoined.join(""), reasons: this.reasons.slice() };
    this.count = 0;
    this.length = 0;
    this.line = 0;
    this.at = 0;
    this.rawJoined.length = 0;
    this.reasons.length = 0;
    this.reasonIds.clear();
    return packed;
  }

  private varint(n: number): void {
    // Arithmetic, not bit operations: line numbers may pass 2^32.
    while (n >= 128) {
      this.places[this.length++] = (n % 128) + 128;
      n = Math.floor(n / 128);
    }
    this.places[this.length++] = n;
  }

  private grow(): void {
    const bigger = new Uint8Array(Math.max(4096, this.places.length * 2));
    bigger.set(this.places.subarray(0, this.length));
    this.places = bigger;
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
  return { count: 0, places: new Uint8Array(0), raw: "", reasons: [] };
}

/** The buffers to transfer with the packed failures (none when empty). */
export function failureBuffers(p: PackedFailures): ArrayBuffer[] {
  return p.count === 0 ? [] : [p.places.buffer as ArrayBuffer];
}

/** Roughly what the packed failures hold in memory, in bytes (strings counted at two bytes a character). */
export function packedBytes(p: PackedFailures): number {
  let n = p.places.byteLength + 2 * p.raw.length;
  for (const r of p.reasons) n += 64 + 2 * (r.path.length + r.message.length) + (r.candidates ? 128 * r.candidates.length : 0);
  return n;
}

/** Unpacks a batch's failures one at a time, in order. */
export class FailureReader {
  private read = 0;
  private offset = 0;
  private rawAt = 0;
  private line = 0;
  private at = 0;

  constructor(private readonly p: PackedFailures) {}

  /** The next failure, or undefined after the last. */
  next(): BatchFailure | undefined {
    if (this.read === this.p.count) return undefined;
    this.read++;
    this.line += unzigzag(this.varint());
    this.at += unzigzag(this.varint());
    const rawLength = this.varint();
    const reason = this.p.reasons[this.varint()] as FailureReason;
    const raw = this.p.raw.slice(this.rawAt, this.rawAt + rawLength);
    this.rawAt += rawLength;
    return { line: this.line, logType: reason.logType, path: reason.path, message: reason.message, raw, truncated: reason.truncated, candidates: reason.candidates, at: this.at };
  }

  private varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.p.places[this.offset++] as number;
      n += (b % 128) * scale;
      if (b < 128) return n;
      scale *= 128;
    }
  }
}

function zigzag(d: number): number {
  return d >= 0 ? d * 2 : -d * 2 - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
