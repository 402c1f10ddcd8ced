/**
 * Writes records as Parquet, partitioned the way data lakes expect (Hive style):
 * `DIR/<LogType>/dt=YYYY-MM-DD/part-<run>-<n>.parquet`, the day being p_event_time's (UTC).
 *
 * Memory stays bounded whatever the input: records wait in column arrays per partition until
 * a partition holds a row group's worth (ROW_GROUP_BYTES of record text) or all partitions
 * together hold BUFFER_BYTES, then the largest is encoded and written as one row group. At most
 * MAX_OPEN_FILES files are open (the least recently written is finished first) and a file is
 * finished once it reaches FILE_BYTES; later records of its partition go to a new part.
 *
 * `write` is synchronous and only buffers; `flush` does the encoding and writing and is meant to
 * be awaited between input chunks, as the line sinks are. `end` finishes every file (also after
 * Ctrl-C: the records so far are whole); `abort` removes the unfinished ones.
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { LogType } from "../../engine/logtype.js";
import { parseLossless } from "../../engine/lossless-json.js";
import { planTable, Unrepresentable, type LeafData, type TablePlan } from "./columns.js";
import { PartFile } from "./part-file.js";

export interface ParquetSinkOptions {
  /** The output directory (created if missing). */
  dir: string;
  /** The log types whose records may come. */
  types: readonly LogType[];
  /** Record text (JSON characters) per row group. */
  rowGroupBytes?: number;
  /** Record text held across all partitions before the largest is written. */
  bufferBytes?: number;
  maxOpenFiles?: number;
  /** A file is finished once this many bytes are written to it. */
  fileBytes?: number;
  /** A file is finished once it holds this many row groups. */
  fileRowGroups?: number;
  /** Distinguishes this run's files from other runs' in the same directories. */
  runId?: string;
  /** Written into each file's footer. */
  createdBy?: string;
}

/** A record the Parquet columns cannot hold (e.g. a timestamp outside their range). */
export interface Rejection {
  path: string;
  message: string;
}

export const ROW_GROUP_BYTES = 2 * 1024 * 1024;
export const BUFFER_BYTES = 4 * 1024 * 1024;
export const MAX_OPEN_FILES = 8;
export const FILE_BYTES = 128 * 1024 * 1024;
/**
 * An open file keeps the footer-to-be of every row group in memory (about 1 KiB per column
 * chunk): 1 GB of Hex.Audit into files left open peaked at 192 MiB RSS. A file is finished after
 * this many row groups, and one that got none while this many were written elsewhere is idle.
 */
export const FILE_ROW_GROUPS = 64;
export const IDLE_ROW_GROUPS = 8;

/** JSON.parse rounds integer literals beyond 2^53 (16 digits or more). */
const LONG_DIGITS = /[0-9]{16}/;

/** A directory that cannot be used for output: a configuration error, reported before reading input. */
export class OutputDirError extends Error {
  override readonly name = "OutputDirError";
}

interface Partition {
  key: string;
  logType: string;
  day: string;
  plan: TablePlan;
  /** Values and levels per leaf column of the rows not yet written. */
  data: LeafData[];
  rows: number;
  bytes: number;
  file: PartFile | undefined;
  /** For least-recently-written order. */
  lastWrite: number;
}

export class ParquetSink {
  private readonly plans = new Map<string, TablePlan>();
  private readonly types: Map<string, LogType>;
  private readonly partitions = new Map<string, Partition>();
  private readonly rowGroupBytes: number;
  private readonly bufferBytes: number;
  private readonly maxOpenFiles: number;
  private readonly fileBytes: number;
  private readonly fileRowGroups: number;
  private readonly runId: string;
  private readonly createdBy: string;
  private buffered = 0;
  private sequence = 0;
  private clock = 0;
  /** Files finished and renamed to their real names. */
  readonly written: string[] = [];
  /** Rows in finished files. */
  rows = 0;
  /** Set when writing failed; the sink then drops everything (the run ends with exit 3). */
  failure: Error | undefined;

  constructor(private readonly options: ParquetSinkOptions) {
    this.types = new Map(options.types.map((t) => [t.name, t]));
    this.rowGroupBytes = options.rowGroupBytes ?? ROW_GROUP_BYTES;
    this.bufferBytes = options.bufferBytes ?? BUFFER_BYTES;
    this.maxOpenFiles = options.maxOpenFiles ?? MAX_OPEN_FILES;
    this.fileBytes = options.fileBytes ?? FILE_BYTES;
    this.fileRowGroups = options.fileRowGroups ?? FILE_ROW_GROUPS;
    this.runId = options.runId ?? defaultRunId();
    this.createdBy = options.createdBy ?? "hexlog";
    prepareDir(options.dir);
  }

  /** Records are waiting for `flush` to write them. */
  get needsFlush(): boolean {
    return this.buffered >= this.bufferBytes || [...this.partitions.values()].some((p) => p.bytes >= this.rowGroupBytes);
  }

  /** Buffers one record given as JSON text (as the engine produces it). */
  write(logType: string, json: string): Rejection | undefined {
    const plan = this.planOf(logType);
    if (!plan) return { path: "", message: `no Parquet columns for log type ${logType}` };
    let record: unknown;
    try {
      record = plan.exactNumbers && LONG_DIGITS.test(json) ? parseLossless(json) : JSON.parse(json);
    } catch (e) {
      return { path: "", message: `record is not JSON: ${(e as Error).message}` };
    }
    return this.add(logType, plan, record as Record<string, unknown>, json.length);
  }

  /** Buffers one record given as an object (numbers beyond 2^53 as LosslessNumber or bigint). */
  writeRecord(record: Record<string, unknown>): Rejection | undefined {
    const logType = record.p_log_type;
    if (typeof logType !== "string") return { path: "p_log_type", message: "required field is missing" };
    const plan = this.planOf(logType);
    if (!plan) return { path: "p_log_type", message: `no Parquet columns for log type ${logType}` };
    let size = 0;
    try {
      size = JSON.stringify(record, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)).length;
    } catch (e) {
      return { path: "", message: `record cannot be serialized: ${(e as Error).message}` };
    }
    return this.add(logType, plan, record, size);
  }

  private planOf(logType: string): TablePlan | undefined {
    let plan = this.plans.get(logType);
    if (!plan) {
      const type = this.types.get(logType);
      if (!type) return undefined;
      plan = planTable(type.schema);
      this.plans.set(logType, plan);
    }
    return plan;
  }

  private add(logType: string, plan: TablePlan, record: Record<string, unknown>, size: number): Rejection | undefined {
    if (this.failure) return undefined;
    const eventTime = record.p_event_time;
    const day = typeof eventTime === "string" ? /^([0-9]{4}-[0-9]{2}-[0-9]{2})T/.exec(eventTime)?.[1] : undefined;
    if (day === undefined) return { path: "p_event_time", message: `expected a UTC timestamp, got ${JSON.stringify(eventTime)}` };
    const key = `${logType}\u0000${day}`;
    let p = this.partitions.get(key);
    if (!p) {
      p = { key, logType, day, plan, data: emptyData(plan), rows: 0, bytes: 0, file: undefined, lastWrite: 0 };
      this.partitions.set(key, p);
    }
    // A refused record leaves no partial row behind: the leaves are cut back to where they were.
    const data = p.data;
    const rowsBefore = p.rows;
    try {
      plan.shred(record, data);
    } catch (e) {
      if (!(e instanceof Unrepresentable)) throw e;
      cutBack(data, rowsBefore);
      return { path: e.path.join("."), message: e.message };
    }
    p.rows++;
    p.bytes += size;
    this.buffered += size;
    return undefined;
  }

  /** Writes the row groups that are due. Failures are kept in `failure`, never thrown. */
  async flush(): Promise<void> {
    if (this.failure) return;
    try {
      for (const p of this.partitions.values()) if (p.bytes >= this.rowGroupBytes) this.writeRowGroup(p);
      while (this.buffered > this.bufferBytes) {
        let largest: Partition | undefined;
        for (const p of this.partitions.values()) if (!largest || p.bytes > largest.bytes) largest = p;
        if (!largest || largest.rows === 0) break;
        this.writeRowGroup(largest);
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** Writes what is buffered and finishes every file. */
  async end(): Promise<void> {
    if (this.failure) return this.abort();
    try {
      for (const p of this.partitions.values()) {
        if (p.rows > 0) this.writeRowGroup(p);
        if (p.file) this.finishFile(p);
      }
      this.partitions.clear();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Drops buffered rows and removes unfinished files (finished ones stay). */
  async abort(): Promise<void> {
    for (const p of this.partitions.values()) {
      p.file?.discard();
      p.file = undefined;
    }
    this.partitions.clear();
    this.buffered = 0;
  }

  private fail(e: unknown): void {
    this.failure = e instanceof Error ? e : new Error(String(e));
    void this.abort();
  }

  private writeRowGroup(p: Partition): void {
    if (p.rows === 0) return;
    const file = p.file ?? this.openFile(p);
    const data = p.data;
    const rows = p.rows;
    this.buffered -= p.bytes;
    p.data = emptyData(p.plan);
    p.rows = 0;
    p.bytes = 0;
    p.lastWrite = ++this.clock;
    file.writeRowGroup(p.plan.leaves, data, rows);
    if (file.size >= this.fileBytes || file.rowGroups >= this.fileRowGroups) this.finishFile(p);
    // Input in time order moves from day to day: yesterday's file is done.
    for (const q of this.partitions.values()) {
      if (q.file && q !== p && this.clock - q.lastWrite > IDLE_ROW_GROUPS) {
        if (q.rows > 0) this.writeRowGroup(q);
        this.finishFile(q);
      }
    }
  }

  private openFile(p: Partition): PartFile {
    const open = [...this.partitions.values()].filter((x) => x.file);
    if (open.length >= this.maxOpenFiles) {
      const oldest = open.reduce((a, b) => (b.lastWrite < a.lastWrite ? b : a));
      // Its waiting rows go into the file before it is closed.
      if (oldest.rows > 0) this.writeRowGroup(oldest);
      if (oldest.file) this.finishFile(oldest);
    }
    const dir = join(this.options.dir, safeDirName(p.logType), `dt=${p.day}`);
    mkdirSync(dir, { recursive: true });
    const name = `part-${this.runId}-${String(++this.sequence).padStart(5, "0")}.parquet`;
    p.file = new PartFile(dir, name, p.plan.schema, this.createdBy);
    return p.file;
  }

  private finishFile(p: Partition): void {
    const file = p.file;
    if (!file) return;
    p.file = undefined;
    // A partition with nothing waiting is forgotten; its day may come back as a new part.
    if (p.rows === 0) this.partitions.delete(p.key);
    file.finish();
    this.written.push(file.path);
    this.rows += file.rows;
  }
}

/**
 * Drops the entries past the first `rows` rows of every leaf (a refused record's). A row starts
 * where a repetition level is 0; a leaf under no list has one entry per row.
 */
function cutBack(data: LeafData[], rows: number): void {
  for (const d of data) {
    let n = rows;
    if (d.repetitionLevels.length > 0) {
      let seen = 0;
      n = d.repetitionLevels.length;
      for (let i = 0; i < d.repetitionLevels.length; i++) {
        if (d.repetitionLevels[i] === 0 && seen++ === rows) {
          n = i;
          break;
        }
      }
      d.repetitionLevels.length = n;
    }
    d.values.length = n;
    d.definitionLevels.length = n;
  }
}

function emptyData(plan: TablePlan): LeafData[] {
  return plan.leaves.map(() => ({ values: [], definitionLevels: [], repetitionLevels: [] }));
}

/**
 * Creates the output directory and checks it can be written, so that a bad --out is a
 * configuration error before any input is read.
 */
function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new OutputDirError(`cannot create ${dir}: ${reason(e)}`);
  }
  if (!statSync(dir).isDirectory()) throw new OutputDirError(`${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new OutputDirError(`cannot write to ${dir}: permission denied`);
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOTDIR") return "a part of the path is a file, not a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOSPC") return "no space left on the device";
  return (e as Error).message;
}

/** Log type names are letters, digits and dots; anything else is kept out of paths. */
function safeDirName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return safe === "." || safe === ".." || safe === "" ? `_${safe}` : safe;
}

/** `20261206T010500Z-3fa2c1`: sorts by start time, unique across runs. */
function defaultRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, "").replace(/\.[0-9]+Z$/, "Z");
  return `${t}-${randomBytes(3).toString("hex")}`;
}
