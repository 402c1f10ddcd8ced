/** Starts the real `hexlog serve` (bin/hexlog) on a free port and talks HTTP to it. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { BIN, ROOT, type RunResult } from "./cli.js";

export interface Server {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
  exited: Promise<RunResult>;
}

export async function startServer(args: string[], env: Record<string, string | undefined> = {}): Promise<Server> {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: "true", HEXLOG_BEARER: undefined, HEXLOG_SECRET_HEADER: undefined, HEXLOG_SOURCES: undefined, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { cwd: ROOT, env: merged as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (d: Buffer) => out.push(d));
  const exited = new Promise<RunResult>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: err }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString("utf8");
      const m = /^hexlog: listening on (\S+)$/m.exec(err);
      if (m) resolve(m[1] as string);
    });
    void exited.then((r) => reject(new Error(`hexlog serve exited ${r.code} before listening: ${r.stderr}`)));
  });
  return {
    url,
    child,
    stdout: () => Buffer.concat(out).toString("utf8"),
    stderr: () => err,
    stop: (signal = "SIGTERM") => {
      child.kill(signal);
      return exited;
    },
    exited,
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** For https: the certificate to trust. */
  ca?: string | Buffer;
}

/** One request on a fresh connection. */
export function send(url: string, options: RequestOptions = {}): Promise<Reply> {
  const target = new URL(options.path ?? "/", url);
  const make = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(
      target,
      { method: options.method ?? "POST", headers: options.headers ?? {}, agent: false, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Not every answer is JSON (HEAD has no body).
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
