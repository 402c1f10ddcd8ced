/** Counts of a run: events, records, errors, per log type. */
export class TypeCounts {
  records = 0;
  errors = 0;
}

export class RunStats {
  events = 0;
  records = 0;
  errors = 0;
  /** Lines a text parser consumed without an event (skipPrefix, CSV headers): not events. */
  skipped = 0;
  readonly perType = new Map<string, TypeCounts>();
  private lastKey = "";
  private last: TypeCounts | undefined;

  count(logType: string | null, ok: boolean): void {
    this.events++;
    if (ok) this.records++;
    else this.errors++;
    const key = logType ?? "(unclassified)";
    // Runs of one log type are the norm: skip the map lookup for them.
    let c = key === this.lastKey ? this.last : this.perType.get(key);
    if (!c) {
      c = new TypeCounts();
      this.perType.set(key, c);
    }
    this.lastKey = key;
    this.last = c;
    if (ok) c.records++;
    else c.errors++;
  }

  /** Counts `n` records of one log type at once (results of a parallel batch). */
  addRecords(logType: string, n: number): void {
    this.events += n;
    this.records += n;
    let c = this.perType.get(logType);
    if (!c) {
      c = new TypeCounts();
      this.perType.set(logType, c);
    }
    c.records += n;
  }

  /** Adds the counts of another run (one request's, one batch's). */
  merge(other: RunStats): void {
    this.events += other.events;
    this.records += other.records;
    this.errors += other.errors;
    this.skipped += other.skipped;
    for (const [name, c] of other.perType) {
      let mine = this.perType.get(name);
      if (!mine) {
        mine = new TypeCounts();
        this.perType.set(name, mine);
      }
      mine.records += c.records;
      mine.errors += c.errors;
    }
  }
}
