/**
 * Time zone abbreviations hexlog understands (strftime `%Z`, Go layout `MST`). Abbreviations are
 * ambiguous worldwide (CST is also China and Cuba), so the table is small and North-America /
 * Europe centred, and any other name is a failure rather than Panther's silent offset 0.
 */

/** Abbreviation → offset east of UTC in seconds. */
export const ZONE_ABBREVIATIONS: ReadonlyMap<string, number> = new Map<string, number>([
  ["UTC", 0],
  ["GMT", 0],
  ["UT", 0],
  ["Z", 0],
  ["EST", -5 * 3600],
  ["EDT", -4 * 3600],
  ["CST", -6 * 3600],
  ["CDT", -5 * 3600],
  ["MST", -7 * 3600],
  ["MDT", -6 * 3600],
  ["PST", -8 * 3600],
  ["PDT", -7 * 3600],
  ["AKST", -9 * 3600],
  ["AKDT", -8 * 3600],
  ["HST", -10 * 3600],
  ["WET", 0],
  ["WEST", 1 * 3600],
  ["CET", 1 * 3600],
  ["CEST", 2 * 3600],
  ["EET", 2 * 3600],
  ["EEST", 3 * 3600],
  ["JST", 9 * 3600],
]);

/** End of the run of ASCII letters starting at `pos` (== pos when there is none). */
export function letterRunEnd(s: string, pos: number): number {
  let end = pos;
  for (; end < s.length; end++) {
    const c = s.charCodeAt(end) | 0x20;
    if (c < 97 || c > 122) break;
  }
  return end;
}

/** Offset of an abbreviation (any letter case), or undefined when hexlog does not know it. */
export function zoneOffset(name: string): number | undefined {
  return ZONE_ABBREVIATIONS.get(name.toUpperCase());
}

/**
 * The zone abbreviation at `pos` of a time value: its offset and where it ends, why it is not
 * one hexlog knows, or null when no letters start there (the caller says what it expected).
 */
export function readZoneName(value: string, pos: number): { offset: number; end: number } | string | null {
  const end = letterRunEnd(value, pos);
  if (end === pos) return null;
  const name = value.slice(pos, end);
  const offset = zoneOffset(name);
  return offset === undefined ? `unknown time zone abbreviation "${name}" at position ${pos}` : { offset, end };
}
