/**
 * Colour decisions, made once per output stream. chalk alone ignores NO_COLOR, so the level is
 * computed here: --no-color > FORCE_COLOR > NO_COLOR > TERM=dumb > whether the stream is a TTY.
 */
import { Chalk, type ChalkInstance } from "chalk";

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

export function chalkFor(stream: { isTTY?: boolean }): ChalkInstance {
  return new Chalk({ level: colorLevel(stream) });
}
