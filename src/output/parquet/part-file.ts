/**
 * One Parquet file being written. Its bytes go to a hidden temporary name (`.NAME.tmp`) and the
 * file takes its real name only once its footer is written, so a run that is killed never leaves
 * a truncated file that looks complete (readers skip names starting with a dot, and `*.parquet`
 * does not match it).
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter, ParquetWriter, type SchemaElement } from "hyparquet-writer";
// The column encoder itself: records arrive already shredded into levels (columns.ts), which
// is several times faster than the writer's generic Dremel walk over nested objects.
import { writeColumn } from "hyparquet-writer/src/column.js";
import type { Leaf, LeafData } from "./columns.js";

/** The writer's default page size: 1 MiB before compression. */
const PAGE_BYTES = 1 << 20;

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

  /**
   * Writes one row group of shredded leaves, as ParquetWriter.write does for one group: each
   * leaf's column chunk in order, then the group's entry in the footer-to-be.
   */
  writeRowGroup(leaves: readonly Leaf[], data: readonly LeafData[], rows: number): void {
    const w = this.writer;
    const start = this.bytes.offset;
    const columns = leaves.map((leaf, i) => {
      const d = data[i] as LeafData;
      const result = writeColumn({
        writer: this.bytes,
        column: {
          columnName: leaf.columnName,
          element: leaf.schemaPath[leaf.schemaPath.length - 1] as SchemaElement,
          schemaPath: leaf.schemaPath,
          codec: w.codec,
          compressors: w.compressors,
          stats: w.statistics,
          statisticsTruncateLength: w.statisticsTruncateLength,
          pageSize: PAGE_BYTES,
          columnIndex: false,
          offsetIndex: true,
        },
        pageData: { values: d.values, definitionLevels: d.definitionLevels, repetitionLevels: d.repetitionLevels, maxDefinitionLevel: leaf.maxDefinitionLevel },
      });
      w.pendingIndexes.push(result);
      return result.chunk;
    });
    let total = 0n;
    for (const c of columns) total += c.meta_data?.total_uncompressed_size ?? 0n;
    w.num_rows += BigInt(rows);
    w.row_groups.push({ columns, total_byte_size: total, num_rows: BigInt(rows), total_compressed_size: BigInt(this.bytes.offset - start) });
    this.bytes.spill();
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
