/**
 * csv: one record per line, split on a one-character delimiter with RFC 4180 quoting — a value
 * starting with `"` runs to the next `"` that ends it (`""` inside stands for one quote) and may
 * hold delimiters. A quote elsewhere is an ordinary character, and so is a lone quote inside a
 * quoted value that is not followed by the delimiter (lenient, like Go's LazyQuotes). A quoted
 * value must end on its line.
 */

const QUOTE = 34;

/** Splits one line into `out`; returns the number of values, or why the line is not CSV. */
export function splitCsvLine(line: string, delimiter: string, out: string[]): number | string {
  const len = line.length;
  let n = 0;
  let i = 0;
  for (;;) {
    if (i < len && line.charCodeAt(i) === QUOTE) {
      let value = "";
      let chunk = i + 1;
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) return `the quoted value starting at character ${i + 1} is not closed on its line`;
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += line.slice(chunk, q + 1);
          from = chunk = q + 2;
        } else if (q + 1 === len || line[q + 1] === delimiter) {
          out[n++] = value + line.slice(chunk, q);
          i = q + 1;
          break;
        } else {
          from = q + 1;
        }
      }
    } else {
      const d = line.indexOf(delimiter, i);
      const end = d < 0 ? len : d;
      out[n++] = line.slice(i, end);
      i = end;
    }
    if (i >= len) return n;
    // line[i] is the delimiter; a delimiter at the very end leaves one empty value.
    i++;
    if (i === len) {
      out[n++] = "";
      return n;
    }
  }
}
