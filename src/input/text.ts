/**
 * Byte-to-text helpers shared by the framers: UTF-8 decoding across chunk boundaries, removal of
 * a byte order mark at the start of an input, and byte-bounded prefixes of text.
 */

import { StringDecoder } from "node:string_decoder";

/** The most text kept as `raw` of an oversized event (a prefix, for the dead letter). */
export const OVERSIZE_RAW_BYTES = 64 * 1024;

/**
 * Decodes one input's bytes as UTF-8. Characters split across chunks are joined, invalid bytes
 * become U+FFFD, and a BOM at the very start of the input is dropped.
 */
export class Utf8Text {
  private decoder = new StringDecoder("utf8");

  /** `atStart`: the bytes begin the input (false when decoding resumes mid-input). */
  constructor(private atStart = true) {}

  decode(chunk: Buffer): string {
    const text = this.decoder.write(chunk);
    return this.atStart ? this.dropBom(text) : text;
  }

  /** The text still held back at end of input (an incomplete character becomes U+FFFD). */
  flush(): string {
    const text = this.decoder.end();
    const rest = this.atStart ? this.dropBom(text) : text;
    this.decoder = new StringDecoder("utf8");
    this.atStart = true;
    return rest;
  }

  private dropBom(text: string): string {
    if (text.length === 0) return text;
    this.atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  let candidate = text.length > maxBytes ? text.slice(0, maxBytes) : text;
  const last = candidate.charCodeAt(candidate.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) candidate = candidate.slice(0, -1);
  const bytes = Buffer.from(candidate, "utf8");
  if (bytes.length <= maxBytes) return candidate;
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return bytes.toString("utf8", 0, cut);
}

/** The message of an event larger than the limit. */
export function oversizeMessage(maxEventBytes: number): string {
  return `event exceeds the maximum size of ${maxEventBytes} bytes (--max-event-bytes)`;
}

/**
 * The largest `maxEventBytes` allowed. An event is held as one string (V8 caps strings at
 * 2^29 - 24 UTF-16 units, about 512 Mi) and its record is written as another, somewhat longer
 * one: half that leaves room for the escaping.
 */
export const MAX_EVENT_BYTES_LIMIT = 256 * 1024 * 1024;

export function checkMaxEventBytes(maxEventBytes: number): number {
  if (!Number.isSafeInteger(maxEventBytes) || maxEventBytes < 1 || maxEventBytes > MAX_EVENT_BYTES_LIMIT) {
    throw new RangeError(`maxEventBytes must be an integer from 1 to ${MAX_EVENT_BYTES_LIMIT}, got ${maxEventBytes}`);
  }
  return maxEventBytes;
}
