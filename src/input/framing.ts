/**
 * Event framing: turns an input's bytes into events, one per top-level JSON value
 * (`JsonFramer`) or one per non-blank line (`LineFramer`, for text schemas).
 *
 * The JSON framer is on the hot path. A line that looks like a whole object (`{` … `}`) is handed
 * to JSON.parse as is; only when that fails, or for anything else (arrays, scalars, several
 * values on a line, values spanning lines), a character scanner finds the value boundaries.
 *
 * Recovery rules, so that one malformed event never swallows the ones after it:
 * - a raw newline inside a string ends the broken value at that line;
 * - while a value spans lines, a line starting at column 0 with `{` or `[` starts a new value
 *   (pretty printers indent nested lines), and the pending one is reported as broken;
 * - text that is not JSON is an error event running to the end of its line.
 * Elements of a top-level array are events of their own; separators between them are read
 * leniently (a missing or doubled comma loses nothing, since every element is checked alone).
 */

import {
  OVERSIZE_RAW_BYTES,
  Utf8Text,
  checkMaxEventBytes,
  oversizeMessage,
  utf8Prefix,
} from "./text.js";

export type FramedEvent =
  | { line: number; raw: string; value: unknown; error?: undefined }
  | { line: number; raw: string; error: string; value?: undefined; truncated?: boolean };

/**
 * Where a framer puts the events it completes: an array, or a consumer that handles each at once
 * (the event loop does, so a chunk's parsed events are not all alive together: see event-loop.ts).
 */
export interface FramedEvents {
  push(ev: FramedEvent): unknown;
}

/** What parseOrNot gives for text that is not JSON. */
const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * JSON.parse alone inside the try: `out.push` may run the engine, and its failures must not read
 * as the line's (the line would be framed a second time).
 */
function parseOrNot(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return NOT_JSON;
  }
}

export interface FramerOptions {
  /** The largest event accepted, in UTF-8 bytes (`--max-event-bytes`). */
  maxEventBytes: number;
  /**
   * Physical line number of the first byte pushed (default 1). Greater than 1 when framing
   * resumes mid-input at a line start (parallel parsing); a BOM is only dropped on line 1.
   */
  firstLine?: number;
}

const CR = 13;
const BOM = 0xfeff;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Characters that end a bare token (number, literal or garbage) between values. */
function endsToken(c: number): boolean {
  return (
    c === SPACE ||
    c === TAB ||
    c === CR ||
    c === COMMA ||
    c === COLON ||
    c === QUOTE ||
    c === OPEN_BRACE ||
    c === CLOSE_BRACE ||
    c === OPEN_BRACKET ||
    c === CLOSE_BRACKET
  );
}

/** Index of the quote closing a string whose content starts at `from`, or -1 if the line ends first. */
function closingQuote(line: string, from: number): number {
  for (;;) {
    const q = line.indexOf('"', from);
    if (q < 0) return -1;
    let j = q - 1;
    while (j >= from && line.charCodeAt(j) === BACKSLASH) j--;
    if ((q - 1 - j) % 2 === 0) return q;
    from = q + 1;
  }
}

/** JSON.parse's complaint as one short line (V8 quotes the whole input in some messages). */
function jsonErrorMessage(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e);
  const quoted = /^(Unexpected token '.*?'), .* is not valid JSON$/s.exec(message);
  if (quoted) message = quoted[1]!;
  message = message.replace(/\s+/g, " ");
  if (message.length > 200) message = `${message.slice(0, 197)}...`;
  return `invalid JSON: ${message}`;
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}

export class JsonFramer {
  private readonly max: number;
  private readonly rawLimit: number;
  private readonly text: Utf8Text;

  /** Physical line (1-based) of the text about to be framed. */
  private lineNo: number;
  /** The unfinished last line of the text seen so far. */
  private leftover = "";
  private leftoverBytes = 0;

  /** Inside a top-level array: its elements are the events. */
  private inArray = false;
  private arrayLine = 0;
  /** Whether an element of the current array started at column 0 (then column 0 is no signal). */
  private arrayColumn0 = false;

  /** A bracketed value left open at the end of a line (its lines are in `pending`). */
  private inValue = false;
  private depth = 0;
  private valueLine = 0;
  private pending: string[] = [];
  private pendingBytes = 0;

  /** Discarding an oversized event; nothing is buffered meanwhile. */
  private skipping = false;
  /** …at least to the end of the current physical line. */
  private skipToEol = false;
  private skipInString = false;
  private skipEscape = false;
  private atLineStart = true;

  constructor(options: FramerOptions) {
    this.max = checkMaxEventBytes(options.maxEventBytes);
    this.rawLimit = Math.min(OVERSIZE_RAW_BYTES, this.max);
    this.lineNo = options.firstLine ?? 1;
    this.text = new Utf8Text(this.lineNo === 1);
  }

  /**
   * Whether the text so far ended at a line start with nothing open: no partial line, value,
   * array or skipped event. A new framer started at the next line would then frame the rest of
   * the input exactly as this one will.
   */
  atBoundary(): boolean {
    return this.leftover.length === 0 && !this.inValue && !this.inArray && !this.skipping;
  }

  /** Frames a chunk of the input, appending the events it completes to `out`. */
  push(chunk: Buffer, out: FramedEvents): void {
    const text = this.text.decode(chunk);
    if (text.length > 0) this.feed(text, out);
  }

  /** Ends the input: frames its last line and reports anything left unterminated. */
  end(out: FramedEvents): void {
    const text = this.text.flush();
    if (text.length > 0) this.feed(text, out);
    if (!this.skipping && this.leftover.length > 0) {
      const line = stripCr(this.leftover);
      this.leftover = "";
      this.leftoverBytes = 0;
      this.frameLine(line, out, true);
    }
    if (this.inValue && !this.skipping) {
      this.pushError(out, this.valueLine, this.pending.join("\n"), "unterminated JSON value (input ended)");
    }
    if (this.inArray) {
      this.pushError(out, this.arrayLine, "[", "unterminated JSON array (input ended)");
    }
    this.reset();
  }

  private reset(): void {
    this.lineNo = 1;
    this.leftover = "";
    this.leftoverBytes = 0;
    this.inArray = false;
    this.arrayColumn0 = false;
    this.clearValue();
    this.skipping = false;
    this.skipToEol = false;
    this.skipInString = false;
    this.skipEscape = false;
    this.atLineStart = true;
  }

  private feed(text: string, out: FramedEvents): void {
    const len = text.length;
    let i = 0;
    while (i < len) {
      if (this.skipping) {
        const nl = text.indexOf("\n", i);
        const resume = this.skipSegment(text, i, nl < 0 ? len : nl);
        if (resume < 0) {
          if (nl < 0) return;
          this.skipLineEnd();
          this.lineNo++;
          i = nl + 1;
          continue;
        }
        i = resume;
      }

      const nl = text.indexOf("\n", i);
      if (nl < 0) {
        this.keepLeftover(text.slice(i), out);
        return;
      }
      if (this.leftover.length > 0) {
        const line = stripCr(this.leftover + text.slice(i, nl));
        this.leftover = "";
        this.leftoverBytes = 0;
        this.frameLine(line, out, false);
      } else {
        let end = nl;
        if (end > i && text.charCodeAt(end - 1) === CR) end--;
        // Fast path: a whole object on one line, parsed without scanning.
        if (
          end > i &&
          text.charCodeAt(i) === OPEN_BRACE &&
          text.charCodeAt(end - 1) === CLOSE_BRACE &&
          !this.inValue &&
          !this.inArray &&
          (end - i) * 3 <= this.max
        ) {
          const line = text.slice(i, end);
          const value = parseOrNot(line);
          if (value !== NOT_JSON) out.push({ line: this.lineNo, raw: line, value, error: undefined });
          else this.scanLine(line, out, false);
        } else if (end > i || this.inValue) {
          this.frameLine(text.slice(i, end), out, false);
        }
      }
      this.lineNo++;
      i = nl + 1;
    }
  }

  /** Holds the unfinished last line, or starts skipping it once it is over the limit. */
  private keepLeftover(piece: string, out: FramedEvents): void {
    // Appended, never read back until the line ends: reading a character of the joined text
    // would flatten it on every chunk, making a long line quadratic.
    this.leftover += piece;
    this.leftoverBytes += Buffer.byteLength(piece);
    const base = this.inValue ? this.pendingBytes + 1 : 0;
    let bytes = this.leftoverBytes;
    if (piece.charCodeAt(piece.length - 1) === CR) bytes--;
    if (base + bytes > this.max) {
      const line = this.leftover;
      this.leftover = "";
      this.leftoverBytes = 0;
      this.oversize(line, out, false);
    }
  }

  /** Frames one physical line (without its line end) through the size check and the scanner. */
  private frameLine(whole: string, out: FramedEvents, atEnd: boolean): void {
    // Files concatenated (or gzip members) each start with their own BOM.
    const line = whole.charCodeAt(0) === BOM ? whole.slice(1) : whole;
    const len = line.length;
    if (!this.inValue) {
      if (len === 0) return;
      if (
        !this.inArray &&
        line.charCodeAt(0) === OPEN_BRACE &&
        line.charCodeAt(len - 1) === CLOSE_BRACE &&
        len * 3 <= this.max
      ) {
        // Not one valid object: the scanner below finds out what it is.
        const value = parseOrNot(line);
        if (value !== NOT_JSON) {
          out.push({ line: this.lineNo, raw: line, value, error: undefined });
          return;
        }
      }
    }
    const base = this.inValue ? this.pendingBytes + 1 : 0;
    if (base + len * 3 > this.max && base + Buffer.byteLength(line) > this.max) {
      this.oversize(line, out, true);
      return;
    }
    if (this.inValue) {
      const c = line.charCodeAt(0);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) this.breakPending(out);
    }
    this.scanLine(line, out, atEnd);
  }

  /** The character scanner: frames every value that starts or ends on this line. */
  private scanLine(line: string, out: FramedEvents, atEnd: boolean): void {
    const len = line.length;
    let i = 0;
    /** Start (in this line) of the bracketed value being scanned, -1 between values. */
    let start = this.inValue ? 0 : -1;
    let depth = this.depth;
    while (i < len) {
      if (start >= 0) {
        for (; i < len; i++) {
          const c = line.charCodeAt(i);
          if (c === QUOTE) {
            const q = closingQuote(line, i + 1);
            if (q < 0) {
              this.brokenString(line, start, out, atEnd);
              return;
            }
            i = q;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            depth++;
          } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (--depth === 0) {
              i++;
              break;
            }
          }
        }
        if (depth > 0) {
          this.depth = depth;
          this.keepPending(line, start);
          return;
        }
        this.finishValue(line, start, i, out);
        start = -1;
        continue;
      }

      const c = line.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR) {
        i++;
      } else if (c === OPEN_BRACKET && i === 0 && this.inArray && this.lineNo !== this.arrayLine) {
        // `[` at column 0 inside an array opened on an earlier line: that array was never closed
        // (a lone `[`, a cut file) and a new one starts. Pretty printers indent nested arrays.
        this.closeBrokenArray(out, `(line ${this.lineNo} starts a new value)`);
      } else if (c === OPEN_BRACE || (c === OPEN_BRACKET && this.inArray)) {
        start = i;
        depth = 1;
        this.valueLine = this.lineNo;
        if (i === 0 && this.inArray && this.lineNo !== this.arrayLine) this.arrayColumn0 = true;
        i++;
      } else if (c === OPEN_BRACKET) {
        // `[WARN] disk full` is a text line, not an array: one error for the line, no array state.
        if (!startsArrayContent(line, i + 1)) {
          this.restOfLineError(line, i, out);
          return;
        }
        this.inArray = true;
        this.arrayLine = this.lineNo;
        this.arrayColumn0 = false;
        i++;
      } else if (c === CLOSE_BRACKET && this.inArray) {
        this.inArray = false;
        i++;
      } else if (c === COMMA && this.inArray) {
        i++;
      } else if (c === QUOTE) {
        const q = closingQuote(line, i + 1);
        if (q < 0) {
          this.valueLine = this.lineNo;
          this.brokenString(line, i, out, atEnd);
          return;
        }
        this.pushParsed(out, this.lineNo, line.slice(i, q + 1));
        i = q + 1;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COMMA || c === COLON) {
        this.restOfLineError(line, i, out);
        return;
      } else {
        let j = i + 1;
        while (j < len && !endsToken(line.charCodeAt(j))) j++;
        const token = line.slice(i, j);
        let value: unknown;
        try {
          value = JSON.parse(token);
        } catch {
          this.restOfLineError(line, i, out);
          return;
        }
        out.push({ line: this.lineNo, raw: token, value, error: undefined });
        i = j;
      }
    }
    if (start >= 0) {
      // A value opened as the last thing on the line.
      this.depth = depth;
      this.keepPending(line, start);
    }
  }

  /** A bracketed value ended at `end` (exclusive) on this line. */
  private finishValue(line: string, start: number, end: number, out: FramedEvents): void {
    let raw: string;
    if (this.inValue) {
      this.pending.push(line.slice(0, end));
      raw = this.pending.join("\n");
    } else {
      raw = line.slice(start, end);
    }
    const valueLine = this.valueLine;
    this.clearValue();
    this.pushParsed(out, valueLine, raw);
  }

  /** The line ended inside a bracketed value: keep its text for the lines to come. */
  private keepPending(line: string, start: number): void {
    if (this.inValue) {
      this.pending.push(line);
      this.pendingBytes += 1 + Buffer.byteLength(line);
    } else {
      const part = start === 0 ? line : line.slice(start);
      this.inValue = true;
      this.pending = [part];
      this.pendingBytes = Buffer.byteLength(part);
    }
  }

  /** A string ran to the end of the line: the value it belongs to is broken there. */
  private brokenString(line: string, start: number, out: FramedEvents, atEnd: boolean): void {
    let raw: string;
    if (this.inValue) {
      this.pending.push(line);
      raw = this.pending.join("\n");
    } else {
      raw = line.slice(start);
    }
    const valueLine = this.valueLine;
    this.clearValue();
    this.pushError(
      out,
      valueLine,
      raw,
      atEnd ? "unterminated string (input ended)" : "unterminated string (raw newline inside a JSON string)",
    );
  }

  /** A line starting a new value at column 0 arrived while a value was still open. */
  private breakPending(out: FramedEvents): void {
    const reason = `(line ${this.lineNo} starts a new value)`;
    this.pushError(out, this.valueLine, this.pending.join("\n"), `unterminated JSON value ${reason}`);
    const arrayBroken = this.inArray && !this.arrayColumn0;
    this.clearValue();
    if (arrayBroken) this.closeBrokenArray(out, reason);
  }

  private closeBrokenArray(out: FramedEvents, reason: string): void {
    this.inArray = false;
    this.pushError(out, this.arrayLine, "[", `unterminated JSON array ${reason}`);
  }

  private restOfLineError(line: string, i: number, out: FramedEvents): void {
    const raw = line.slice(i);
    let message = "invalid JSON: unexpected text after a JSON value";
    try {
      JSON.parse(raw);
    } catch (e) {
      message = jsonErrorMessage(e);
    }
    this.pushError(out, this.lineNo, raw, message);
  }

  private pushParsed(out: FramedEvents, line: number, raw: string): void {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      this.pushError(out, line, raw, jsonErrorMessage(e));
      return;
    }
    out.push({ line, raw, value, error: undefined });
  }

  private pushError(out: FramedEvents, line: number, raw: string, error: string): void {
    out.push({ line, raw, value: undefined, error });
  }

  private clearValue(): void {
    this.inValue = false;
    this.depth = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * `text` (the start of a physical line, or all of it) makes an event too large: report it with
   * the first bytes as raw, then discard to the end of the line and, if a value is still open
   * there, to the end of that value.
   */
  private oversize(text: string, out: FramedEvents, lineComplete: boolean): void {
    let line: number;
    let raw: string;
    if (this.inValue) {
      line = this.valueLine;
      raw = this.prefixOf([...this.pending, text]);
    } else {
      line = this.lineNo;
      raw = utf8Prefix(text, this.rawLimit);
    }
    out.push({ line, raw, value: undefined, error: oversizeMessage(this.max), truncated: true });
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = true;
    this.skipToEol = true;
    this.skipInString = false;
    this.skipEscape = false;
    this.atLineStart = false;
    this.skipSegment(text, 0, text.length);
    if (lineComplete) this.skipLineEnd();
  }

  /** The first `rawLimit` bytes of lines joined with "\n", without joining all of them. */
  private prefixOf(parts: string[]): string {
    let text = "";
    for (const part of parts) {
      text = text.length === 0 ? part.slice(0, this.rawLimit) : `${text}\n${part.slice(0, this.rawLimit)}`;
      if (text.length >= this.rawLimit) break;
    }
    return utf8Prefix(text, this.rawLimit);
  }

  /**
   * Discards `text[i, end)` (no line end inside) while following the JSON structure. Returns
   * where normal framing resumes (the open value ended, or a new one starts at column 0), or -1.
   */
  private skipSegment(text: string, i: number, end: number): number {
    if (i < end && this.atLineStart) {
      this.atLineStart = false;
      const c = text.charCodeAt(i);
      if (!this.skipToEol && this.inValue && (c === OPEN_BRACE || c === OPEN_BRACKET)) {
        const arrayBroken = this.inArray && !this.arrayColumn0;
        this.clearValue();
        this.skipping = false;
        if (arrayBroken) this.inArray = false;
        return i;
      }
    }
    let depth = this.depth;
    let inValue = this.inValue;
    let inString = this.skipInString;
    let escape = this.skipEscape;
    let resume = -1;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      let ended = false;
      if (inString) {
        if (escape) escape = false;
        else if (c === BACKSLASH) escape = true;
        else if (c === QUOTE) {
          inString = false;
          ended = depth === 0;
        }
      } else if (inValue) {
        if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) ended = --depth === 0;
      } else if (c === OPEN_BRACE || (c === OPEN_BRACKET && this.inArray)) {
        inValue = true;
        depth = 1;
      } else if (c === OPEN_BRACKET) {
        this.inArray = true;
        this.arrayLine = this.lineNo;
        this.arrayColumn0 = false;
      } else if (c === CLOSE_BRACKET) {
        this.inArray = false;
      } else if (c === QUOTE) {
        inValue = true;
        inString = true;
        depth = 0;
      }
      if (ended) {
        inValue = false;
        if (!this.skipToEol) {
          resume = i + 1;
          this.skipping = false;
          break;
        }
      }
    }
    this.depth = depth;
    this.inValue = inValue;
    this.skipInString = inString;
    this.skipEscape = escape;
    return resume;
  }

  /** A line end while discarding: a string cannot continue past it, and the line is done. */
  private skipLineEnd(): void {
    if (this.skipInString) {
      this.skipInString = false;
      this.skipEscape = false;
      this.inValue = false;
      this.depth = 0;
    }
    this.skipToEol = false;
    if (!this.inValue) this.skipping = false;
    this.atLineStart = true;
  }
}

/**
 * Frames text inputs for line-based schemas: every non-blank physical line is an event whose
 * value is the line's text (without its line end).
 */
export class LineFramer {
  private readonly max: number;
  private readonly rawLimit: number;
  private readonly text: Utf8Text;
  private lineNo: number;
  private leftover = "";
  private leftoverBytes = 0;
  private skipping = false;

  constructor(options: FramerOptions) {
    this.max = checkMaxEventBytes(options.maxEventBytes);
    this.rawLimit = Math.min(OVERSIZE_RAW_BYTES, this.max);
    this.lineNo = options.firstLine ?? 1;
    this.text = new Utf8Text(this.lineNo === 1);
  }

  /** Whether the text so far ended at a line start (nothing held back or being skipped). */
  atBoundary(): boolean {
    return this.leftover.length === 0 && !this.skipping;
  }

  push(chunk: Buffer, out: FramedEvents): void {
    const text = this.text.decode(chunk);
    if (text.length > 0) this.feed(text, out);
  }

  end(out: FramedEvents): void {
    const text = this.text.flush();
    if (text.length > 0) this.feed(text, out);
    if (!this.skipping && this.leftover.length > 0) this.frameLine(stripCr(this.leftover), out);
    this.lineNo = 1;
    this.leftover = "";
    this.leftoverBytes = 0;
    this.skipping = false;
  }

  private feed(text: string, out: FramedEvents): void {
    const len = text.length;
    let i = 0;
    while (i < len) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) {
        if (!this.skipping) this.keepLeftover(text.slice(i), out);
        return;
      }
      if (this.skipping) {
        this.skipping = false;
      } else if (this.leftover.length > 0) {
        const line = stripCr(this.leftover + text.slice(i, nl));
        this.leftover = "";
        this.leftoverBytes = 0;
        this.frameLine(line, out);
      } else {
        let end = nl;
        if (end > i && text.charCodeAt(end - 1) === CR) end--;
        if (end > i) this.frameLine(text.slice(i, end), out);
      }
      this.lineNo++;
      i = nl + 1;
    }
  }

  private keepLeftover(piece: string, out: FramedEvents): void {
    this.leftover += piece; // not read back before the line ends (see JsonFramer.keepLeftover)
    this.leftoverBytes += Buffer.byteLength(piece);
    let bytes = this.leftoverBytes;
    if (piece.charCodeAt(piece.length - 1) === CR) bytes--;
    if (bytes > this.max) {
      this.pushOversize(this.leftover, out);
      this.leftover = "";
      this.leftoverBytes = 0;
      this.skipping = true;
    }
  }

  private frameLine(whole: string, out: FramedEvents): void {
    const line = whole.charCodeAt(0) === BOM ? whole.slice(1) : whole;
    if (line.length * 3 > this.max && Buffer.byteLength(line) > this.max) {
      this.pushOversize(line, out);
      return;
    }
    if (line.length === 0 || (line.charCodeAt(0) <= SPACE && line.trim().length === 0)) return;
    out.push({ line: this.lineNo, raw: line, value: line, error: undefined });
  }

  private pushOversize(text: string, out: FramedEvents): void {
    out.push({
      line: this.lineNo,
      raw: utf8Prefix(text, this.rawLimit),
      value: undefined,
      error: oversizeMessage(this.max),
      truncated: true,
    });
  }
}

/** Whether what follows a top-level `[` on its line can be array content (or nothing yet). */
function startsArrayContent(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR) continue;
    // {  [  "  ]  -  0-9  t(rue)  f(alse)  n(ull)
    return c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE || c === CLOSE_BRACKET || c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110;
  }
  return true;
}
