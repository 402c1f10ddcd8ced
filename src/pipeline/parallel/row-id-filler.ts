import { writesBytes, type RowIdSource } from "../../engine/rowid.js";
import { ROW_ID_MARK } from "./messages.js";

const MARK_BYTE = ROW_ID_MARK.charCodeAt(0);

/**
 * Puts the p_row_ids in place of the marks runs leave, in input order. A run reserves as many
 * mark bytes per record as the last id handed out before it was sent is long, so ids are almost
 * always written over their marks in place. Only a batch where the length changes (the counter
 * grows by a byte, or no id had been handed out yet) is copied with the ids spliced in.
 */
export class RowIdFiller {
  /** The length of the last id handed out: the mark length runs are asked for. */
  width = 1;

  constructor(private readonly rowIds: RowIdSource) {}

  /** The records with their ids: the same buffer, or one from `alloc`. */
  fill(records: Uint8Array, count: number, markWidth: number, alloc: (size: number) => Uint8Array): Buffer {
    const src = Buffer.from(records.buffer, records.byteOffset, records.length);
    const ids = this.rowIds;
    // Ids as long as the marks, written as bytes straight over them: no string per record.
    if (count > 0 && writesBytes(ids) && ids.idLength(0) === markWidth && ids.idLength(count - 1) === markWidth) {
      let from = 0;
      for (let i = 0; i < count; i++) {
        const at = src.indexOf(MARK_BYTE, from);
        if (at < 0) throw new Error(`a parallel batch has fewer row id marks than its ${count} records`);
        from = at + ids.writeNext(src, at);
      }
      if (src.indexOf(MARK_BYTE, from) >= 0) throw new Error(`a parallel batch has more row id marks than its ${count} records`);
      this.width = markWidth;
      return src;
    }
    return this.fillStrings(src, count, markWidth, alloc);
  }

  /** Any source: ids as strings, spliced in where their length differs from the marks'. */
  private fillStrings(src: Buffer, count: number, markWidth: number, alloc: (size: number) => Uint8Array): Buffer {
    const ids = new Array<string>(count);
    let extra = 0;
    let inPlace = true;
    for (let i = 0; i < count; i++) {
      const id = this.rowIds.next();
      ids[i] = id;
      extra += id.length - markWidth;
      if (id.length !== markWidth) inPlace = false;
    }
    if (count > 0) this.width = (ids[count - 1] as string).length;
    const out = inPlace ? src : Buffer.from(alloc(src.length + extra).buffer, 0, src.length + extra);
    let from = 0;
    let to = 0;
    for (let i = 0; i < count; i++) {
      const at = src.indexOf(MARK_BYTE, from);
      if (at < 0) throw new Error(`a parallel batch has fewer row id marks than its ${count} records`);
      const id = ids[i] as string;
      if (!inPlace) to += src.copy(out, to, from, at);
      else to = at;
      for (let k = 0; k < id.length; k++) out[to + k] = id.charCodeAt(k);
      to += id.length;
      from = at + markWidth;
    }
    if (src.indexOf(MARK_BYTE, from) >= 0) throw new Error(`a parallel batch has more row id marks than its ${count} records`);
    if (!inPlace) src.copy(out, to, from);
    return out;
  }
}
