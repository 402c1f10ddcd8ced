/**
 * Colour decisions, made once per output stream. chalk alone ignores NO_COLOR, so the level is
 * computed here: --no-color > FORCE_COLOR > NO_COLOR > TERM=dumb > whether the stream is a TTY.
 * chalk is only loaded when some stream gets colours (it costs start-up time otherwise).
 */

let noColorFlag = false;

export function disableColor(): void {
  noColorFlag = true;
}

export function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  if (noColorFlag) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") {
    if (force === "0" || force === "false") return 0;
    if (force === "2") return 2;
    if (force === "3") return 3;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  if (env.TERM === "dumb") return 0;
  return stream.isTTY ? 1 : 0;
}

type Paint = (text: string) => string;

/** The few styles hexlog uses. */
export interface Palette {
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  magenta: Paint;
  gray: Paint;
  dimCyan: Paint;
}

const plain: Paint = (text) => text;
const PLAIN: Palette = { red: plain, green: plain, yellow: plain, cyan: plain, magenta: plain, gray: plain, dimCyan: plain };

export async function paletteFor(stream: { isTTY?: boolean }): Promise<Palette> {
  const level = colorLevel(stream);
  if (level === 0) return PLAIN;
  const { Chalk } = await import("chalk");
  const c = new Chalk({ level });
  return { red: c.red, green: c.green, yellow: c.yellow, cyan: c.cyan, magenta: c.magenta, gray: c.gray, dimCyan: c.dim.cyan };
}
