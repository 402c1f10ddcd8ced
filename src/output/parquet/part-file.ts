/**
 * One Parquet file being written. Its bytes go to a hidden temporary name (`.NAME.tmp`) and the
 * file takes its real name only once its footer is written, so a run that is killed never leaves
 * a truncated file that looks complete (readers skip names starting with a dot, and `*.parquet`
 * does not match it).
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter, ParquetWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";

/** Bytes the encoder may hold before they are written out (its buffer grows by doubling). */
const SPILL_BYTES = 1 << 20;
/** A buffer kept between row groups is shrunk back to this. */
const IDLE_BUFFER_BYTES = 64 * 1024;

/** hyparquet-writer's ByteWriter writing to a file descriptor as it fills. */
class FileByteWriter extends ByteWriter {
  constructor(private readonly fd: number) {
    super(IDLE_BUFFER_BYTES);
  }

  override ensure(size: number): void {
    if (this.index > SPILL_BYTES) this.spill();
    super.ensure(size);
  }

  spill(): void {
    let at = 0;
    while (at < this.index) at += writeSync(this.fd, new Uint8Array(this.buffer, at, this.index - at));
    this.index = 0;
    if (this.buffer.byteLength > IDLE_BUFFER_BYTES * 4) {
      this.buffer = new ArrayBuffer(IDLE_BUFFER_BYTES);
      this.view = new DataView(this.buffer);
    }
  }

  // The ParquetWriter calls flush after each row group and finish after the footer.
  flush(): void {
    this.spill();
  }

  override finish(): void {
    this.spill();
  }
}

export class PartFile {
  readonly tmpPath: string;
  readonly path: string;
  private readonly fd: number;
  private readonly bytes: FileByteWriter;
  private readonly writer: ParquetWriter;
  rowGroups = 0;
  rows = 0;

  constructor(dir: string, name: string, schema: SchemaElement[], createdBy: string) {
    this.path = join(dir, name);
    this.tmpPath = join(dir, `.${name}.tmp`);
    // "wx": never write over a file another run is writing.
    this.fd = openSync(this.tmpPath, "wx");
    this.bytes = new FileByteWriter(this.fd);
    this.writer = new ParquetWriter({ writer: this.bytes, schema, createdBy });
  }

  /** Bytes written so far. */
  get size(): number {
    return this.bytes.offset;
  }

  /** Writes one row group. */
  writeRowGroup(columnData: ColumnSource[], rows: number): void {
    // The writer returns a promise only when flush does; ours is synchronous.
    void this.writer.write({ columnData, rowGroupSize: rows });
    this.rowGroups++;
    this.rows += rows;
  }

  /** Writes the footer, closes the file and gives it its real name. */
  finish(): void {
    try {
      void this.writer.finish();
    } finally {
      closeSync(this.fd);
    }
    renameSync(this.tmpPath, this.path);
  }

  /** Closes and removes the unfinished file. */
  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed by a failed finish.
    }
    try {
      unlinkSync(this.tmpPath);
    } catch {
      // Nothing to remove.
    }
  }
}
