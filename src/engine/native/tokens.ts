/**
 * The space-separated lines of AWS's text logs (ALB, S3 server access, VPC flow): a token is a
 * run of non-space characters, a `"quoted string"` (backslash escapes a quote or backslash; the
 * quotes are dropped), or a `[bracketed value]` (S3's `[06/Feb/2019:00:00:38 +0000]`, brackets
 * dropped). Runs of spaces separate tokens.
 */

/** Splits `line` into `out` (reused); returns the count, or a message when a quote is not closed. */
export function splitTokens(line: string, out: string[]): number | string {
  let n = 0;
  let i = 0;
  const len = line.length;
  while (i < len) {
    while (i < len && line.charCodeAt(i) === 32) i++;
    if (i >= len) break;
    const c = line.charCodeAt(i);
    if (c === 34 /* " */) {
      let s = "";
      let j = i + 1;
      let closed = false;
      while (j < len) {
        const d = line.charCodeAt(j);
        if (d === 92 /* \ */ && j + 1 < len) {
          s += line[j + 1];
          j += 2;
          continue;
        }
        if (d === 34) {
          closed = true;
          break;
        }
        s += line[j];
        j++;
      }
      if (!closed) return `a quoted value opened at column ${i + 1} is not closed`;
      out[n++] = s;
      i = j + 1;
    } else if (c === 91 /* [ */) {
      const end = line.indexOf("]", i + 1);
      if (end < 0) return `a [bracketed] value opened at column ${i + 1} is not closed`;
      out[n++] = line.slice(i + 1, end);
      i = end + 1;
    } else {
      let j = i;
      while (j < len && line.charCodeAt(j) !== 32) j++;
      out[n++] = line.slice(i, j);
      i = j;
    }
  }
  return n;
}

/** AWS writes `-` for a value that is not there. */
export function present(v: string | undefined): v is string {
  return v !== undefined && v !== "-" && v !== "";
}
