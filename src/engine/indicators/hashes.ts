/** Hex digests: md5 (32), sha1 (40), sha256 (64). Trimmed, then stored lowercased. */
import { isHexRun } from "./chars.js";
import { MD5, SHA1, SHA256, type IndicatorScanner, type IndicatorSink } from "./fields.js";

function hexDigest(name: string, field: number, length: number): IndicatorScanner {
  return {
    name,
    fields: [field],
    scan(value: string, sink: IndicatorSink): void {
      // Cheap length test before trimming: most non-digests are rejected right here.
      if (value.length < length) return;
      const v = value.length === length ? value : value.trim();
      if (v.length !== length || !isHexRun(v, 0, length)) return;
      sink.add(field, v.toLowerCase());
    },
  };
}

export const md5 = hexDigest("md5", MD5, 32);
export const sha1 = hexDigest("sha1", SHA1, 40);
export const sha256 = hexDigest("sha256", SHA256, 64);
