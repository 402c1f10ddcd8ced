/**
 * Output files are opened, and checked against the inputs, before the first input byte is read:
 * a path that cannot be written is exit 2 with one line, not a failure after the run
 * with every dead letter lost, and an output that is also an input (the same device and inode,
 * through symbolic or hard links, stdout redirected onto an input included) is refused before
 * either is touched, as `sort -o` does.
 */
import { createWriteStream, fstatSync, openSync, statSync, type Stats, type WriteStream } from "node:fs";
import { UsageError } from "./errors.js";
import { describeFsError } from "./load-types.js";

interface Identity {
  dev: number;
  ino: number;
}

function same(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Only regular files can be overwritten by their own reader; pipes and terminals cannot. */
function identityOf(st: Stats | undefined): Identity | undefined {
  return st && st.isFile() ? { dev: st.dev, ino: st.ino } : undefined;
}

function statPath(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // a missing output is created; a missing input is reported elsewhere
  }
}

function statFd(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

/**
 * Refuses outputs that are inputs. `outputs` are paths given by flags (`--errors`, `-o`) with the
 * flag's name; `stdout` says whether records go to stdout (then a redirection onto an input is
 * refused too). `-` among the inputs is stdin.
 */
export function refuseOutputsThatAreInputs(inputs: readonly string[], outputs: ReadonlyArray<{ flag: string; path: string }>, stdout: boolean): void {
  const ins: Array<{ name: string; id: Identity }> = [];
  for (const input of inputs) {
    const id = identityOf(input === "-" ? statFd(0) : statPath(input));
    if (id) ins.push({ name: input === "-" ? "stdin" : input, id });
  }
  if (ins.length === 0) return;
  const outs: Array<{ what: string; id: Identity }> = [];
  for (const o of outputs) {
    const id = identityOf(statPath(o.path));
    if (id) outs.push({ what: `${o.flag} ${o.path}`, id });
  }
  if (stdout) {
    const id = identityOf(statFd(1));
    if (id) outs.push({ what: "stdout", id });
  }
  for (const o of outs) {
    const input = ins.find((i) => same(i.id, o.id));
    if (input) throw new UsageError(`${o.what} is the input ${input.name}: writing it would destroy what is being read; write somewhere else`);
  }
}

/** Opens an output file for writing now (a bad path is exit 2 here, before any input is read). */
export function openOutputFile(path: string): WriteStream {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (e) {
    throw new UsageError(`cannot write ${describeFsError(e)}`);
  }
  return createWriteStream(path, { fd });
}

/** stdout must be open to take records (`hexlog parse >&-` is a usage error, not lost records). */
export function checkStdout(): void {
  if (statFd(1) === undefined) throw new UsageError("cannot write output: stdout is closed");
}
