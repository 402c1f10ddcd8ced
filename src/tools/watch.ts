/**
 * Watching schema and test files for `--watch`: directories recursively, files through their
 * folder (editors often save by writing a new file and renaming it over the old one, which a
 * watch on the file itself would lose). Changes arrive in batches: everything saved within
 * `settleMs` of the last change is one batch, so one save that touches a file twice reruns once.
 */
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export interface Watcher {
  /** The next batch of changed paths (absolute); empty once the watcher is closed. */
  next(): Promise<string[]>;
  close(): void;
}

export interface WatchOptions {
  /** Which files under a watched directory count (e.g. .yml and .yaml). */
  accept: (file: string) => boolean;
  /** Quiet time after a change before the batch is handed out. */
  settleMs?: number;
}

export async function watchPaths(paths: readonly string[], options: WatchOptions): Promise<Watcher> {
  const settleMs = options.settleMs ?? 100;
  const watchers: FSWatcher[] = [];
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let waiting: ((batch: string[]) => void) | undefined;
  let ready: string[] | undefined;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (pending.size === 0) return;
    const batch = [...pending].sort();
    pending.clear();
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(batch);
    } else {
      ready = [...(ready ?? []), ...batch];
    }
  };
  const changed = (file: string): void => {
    if (closed) return;
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, settleMs);
  };

  // Files named on their own are watched through their folder, one watch per folder.
  const fileDirs = new Map<string, Set<string>>();
  for (const p of paths) {
    const abs = resolve(p);
    if ((await stat(abs)).isDirectory()) {
      watchers.push(
        watch(abs, { recursive: true }, (_event, name) => {
          if (name === null) return;
          const file = join(abs, name.toString());
          if (options.accept(file)) changed(file);
        }),
      );
    } else {
      const dir = dirname(abs);
      const names = fileDirs.get(dir) ?? new Set<string>();
      names.add(basename(abs));
      fileDirs.set(dir, names);
    }
  }
  for (const [dir, names] of fileDirs) {
    watchers.push(
      watch(dir, (_event, name) => {
        if (name !== null && names.has(name.toString())) changed(join(dir, name.toString()));
      }),
    );
  }
  // A watch that fails later (its folder deleted) ends the watch rather than the process.
  for (const w of watchers) w.on("error", () => w.close());

  return {
    next(): Promise<string[]> {
      if (closed) return Promise.resolve([]);
      if (ready) {
        const batch = ready;
        ready = undefined;
        return Promise.resolve(batch);
      }
      return new Promise((r) => {
        waiting = r;
      });
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      if (waiting) waiting([]);
      waiting = undefined;
    },
  };
}
