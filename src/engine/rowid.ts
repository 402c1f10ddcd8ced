/**
 * p_row_id values: unique per record. Like Panther's, an id is hex of a 6-byte node id, the
 * run's start time (µs since 2020-01-01, varint) and a per-run counter (varint). With a seed
 * (--seed) node id and start come from the seed, so golden tests get the same ids every run.
 */
import { createRequire } from "node:module";

const EPOCH_2020_MS = Date.UTC(2020, 0, 1);

/** Where the engine takes each record's p_row_id from. */
export interface RowIdSource {
  next(): string;
}

/** A source that can also write its ids as bytes, without a string per id (parse --workers fills millions). */
export interface RowIdBytes extends RowIdSource {
  /** The length of the id `ahead` places after the next one (0: the next one). Ids never get shorter. */
  idLength(ahead: number): number;
  /** Writes the next id (the one next() would give) as ASCII at `at`; returns its length. */
  writeNext(out: Uint8Array, at: number): number;
}

export function writesBytes(s: RowIdSource): s is RowIdBytes {
  return typeof (s as Partial<RowIdBytes>).writeNext === "function";
}

export class RowIds implements RowIdBytes {
  private readonly prefix: string;
  private readonly prefixBytes: Uint8Array;
  private counter = 0;

  constructor(seed?: number, nowMs = Date.now()) {
    let node: Buffer;
    let startMicros: bigint;
    if (seed === undefined) {
      // Unique, not secret: Math.random (seeded by V8 from the OS) spares loading node:crypto at start-up.
      node = Buffer.alloc(6);
      for (let i = 0; i < 6; i++) node[i] = Math.floor(Math.random() * 256);
      startMicros = BigInt(Math.max(0, nowMs - EPOCH_2020_MS)) * 1000n;
    } else {
      node = Buffer.alloc(6);
      let x = (seed >>> 0) ^ 0x9e3779b9;
      for (let i = 0; i < 6; i++) {
        // xorshift32: a few well-mixed bytes from the seed
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        node[i] = x & 0xff;
      }
      startMicros = BigInt(seed >>> 0);
    }
    this.prefix = node.toString("hex") + varintHex(startMicros);
    this.prefixBytes = Buffer.from(this.prefix, "latin1");
  }

  next(): string {
    return this.prefix + counterHex(++this.counter);
  }

  idLength(ahead: number): number {
    return this.prefix.length + 2 * varintBytes(this.counter + 1 + ahead);
  }

  writeNext(out: Uint8Array, at: number): number {
    const p = this.prefixBytes;
    for (let i = 0; i < p.length; i++) out[at + i] = p[i] as number;
    return p.length + writeCounterHex(++this.counter, out, at + p.length);
  }
}

/** Bytes of the varint of a non-negative integer. */
function varintBytes(n: number): number {
  let bytes = 1;
  for (; n >= 128; n = Math.floor(n / 128)) bytes++;
  return bytes;
}

/** ASCII codes of the hex digits. */
const HEX_CODES = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** counterHex written as ASCII at `at`; returns its length. */
function writeCounterHex(n: number, out: Uint8Array, at: number): number {
  let i = at;
  for (;;) {
    const low = n % 128;
    n = Math.floor(n / 128);
    const byte = n > 0 ? low | 0x80 : low;
    out[i++] = HEX_CODES[byte >> 4] as number;
    out[i++] = HEX_CODES[byte & 15] as number;
    if (n === 0) return i - at;
  }
}

function varintHex(n: bigint): string {
  let out = "";
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) byte |= 0x80;
    out += byte < 16 ? `0${byte.toString(16)}` : byte.toString(16);
  } while (n > 0n);
  return out;
}

/** Two hex digits per byte value, so ids are built without number formatting. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** varintHex for the per-run counter, in plain number arithmetic (BigInt is slow per record). */
function counterHex(n: number): string {
  let out = "";
  for (;;) {
    const low = n % 128;
    n = Math.floor(n / 128);
    out += HEX_BYTE[n > 0 ? low | 0x80 : low] as string;
    if (n === 0) return out;
  }
}

/**
 * Row ids fixed by where an event came from, for stateless workers (hexlog consume): the same
 * input stream, sequence and event index give the same id on any worker and on any redelivery,
 * so a record published twice is the same record. Layout as above with a node id hashed from
 * the stream name, then the sequence and the event index as varints.
 */
export class SequenceRowIds implements RowIdSource {
  private readonly node: string;
  private prefix = "";
  private index = 0;

  constructor(streamName: string) {
    // node:crypto loads here, not at start-up: only `consume` numbers records this way.
    const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
    this.node = createHash("sha256").update(`hexlog-stream:${streamName}`).digest("hex").slice(0, 12);
  }

  /** The id of the next record is that of event `index` (0-based) of message `sequence` (until moved again). */
  at(sequence: number, index: number): void {
    this.prefix = this.node + varintHex(BigInt(sequence));
    this.index = index;
  }

  next(): string {
    return this.prefix + counterHex(this.index);
  }
}
