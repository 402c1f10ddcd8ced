/** Runs the real hexlog binary with stdout and stderr on a pseudo-terminal (util-linux `script`). */
import { spawn } from "node:child_process";
import { BIN, ROOT, type RunResult } from "./cli.js";

function quote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Output comes back as the terminal shows it, stdout and stderr together, with `\n` line ends. */
export function hexlogOnTty(args: string[], env: Record<string, string | undefined> = {}, options: { spinner?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // The spinner is off under CI=true; with it on, the terminal needs a width (script's has none).
    const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: options.spinner ? undefined : "true", TERM: "xterm", ...env };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    const command = (options.spinner ? "stty cols 120 rows 40; " : "") + [process.execPath, BIN, ...args].map(quote).join(" ");
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env: merged as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => out.push(d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8").replace(/\r\n/g, "\n"), stderr: "" }));
  });
}
