/**
 * mac → p_any_mac_addresses. Accepts the three common spellings of a 48-bit address, any case:
 *   aa:bb:cc:dd:ee:ff   aa-bb-cc-dd-ee-ff   aabb.ccdd.eeff
 * (one separator throughout) and stores the lowercase colon form. Trimmed first.
 * Bare 12-digit hex and EUI-64 are not accepted: too easy to confuse with other identifiers.
 */
import { isHexRun } from "./chars.js";
import { MAC, type IndicatorScanner, type IndicatorSink } from "./fields.js";

/** Returns the 12 hex digits (lowercase) of a MAC address, or undefined. */
export function macDigits(v: string): string | undefined {
  if (v.length === 17) {
    const sep = v.charCodeAt(2);
    if (sep !== 58 /* : */ && sep !== 45 /* - */) return undefined;
    let digits = "";
    for (let i = 0; i < 17; i += 3) {
      if (!isHexRun(v, i, 2)) return undefined;
      if (i < 15 && v.charCodeAt(i + 2) !== sep) return undefined;
      digits += v.slice(i, i + 2);
    }
    return digits.toLowerCase();
  }
  if (v.length === 14) {
    if (v.charCodeAt(4) !== 46 || v.charCodeAt(9) !== 46) return undefined;
    if (!isHexRun(v, 0, 4) || !isHexRun(v, 5, 4) || !isHexRun(v, 10, 4)) return undefined;
    return (v.slice(0, 4) + v.slice(5, 9) + v.slice(10, 14)).toLowerCase();
  }
  return undefined;
}

export const mac: IndicatorScanner = {
  name: "mac",
  fields: [MAC],
  scan(value: string, sink: IndicatorSink): void {
    if (value.length < 14) return;
    const d = macDigits(value.trim());
    if (d === undefined) return;
    sink.add(
      MAC,
      `${d.slice(0, 2)}:${d.slice(2, 4)}:${d.slice(4, 6)}:${d.slice(6, 8)}:${d.slice(8, 10)}:${d.slice(10, 12)}`,
    );
  },
};
