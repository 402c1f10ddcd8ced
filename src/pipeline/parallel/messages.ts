/**
 * What the main thread and the workers of `parse --workers` tell each other (parse-parallel.ts,
 * parse-worker.ts).
 */
import type { ClockReading } from "../clock.js";
import type { PackedFailures } from "./failure-pack.js";

export const ROW_ID_MARK = "\u0001";

/** What a worker needs to build the same engine as the main thread would. */
export interface WorkerSetup {
  /** The selected log types in order: their schema documents (plain values) and default names. */
  /** `builtin`: shipped with hexlog (a failure is blamed on the user's own schema first on ties). */
  types: Array<{ value: unknown; defaultName: string; builtin?: boolean }>;
  sourceId?: string | undefined;
  sourceLabel?: string | undefined;
  indicators: boolean;
  unknownFields: boolean;
  maxEventBytes: number;
  /** Fixed p_parse_time (--now). */
  now?: ClockReading | undefined;
}

/** The first message a worker gets: what to build. */
export interface SetupRequest {
  kind: "setup";
  setup: WorkerSetup;
}

/** Frame and parse a batch. */
export interface RunRequest {
  kind: "run";
  id: number;
  bytes: Uint8Array;
  firstLine: number;
  last: boolean;
  /** The run whose framer to continue (null: a fresh framer starting at firstLine). */
  chainTo: number | null;
  /** A buffer to write the records into, if the main thread has one to spare. */
  spare: Uint8Array | null;
  /** Bytes of ROW_ID_MARK to put where each p_row_id goes: the expected length of an id. */
  idWidth: number;
}

/** Forget the framer kept for a run: no batch will continue it. */
export interface ReleaseRequest {
  kind: "release";
  id: number;
}

export type WorkerRequest = SetupRequest | RunRequest | ReleaseRequest;

export interface BatchResult {
  kind: "result";
  id: number;
  /** The batch's bytes, handed back. */
  input: Uint8Array;
  /** The batch ended between events, with nothing open. */
  clean: boolean;
  /**
   * The records as UTF-8 lines, each with `idWidth` ROW_ID_MARKs for its p_row_id: a view from offset 0 of
   * a buffer of their own (null if none, as with --indicators).
   */
  records: Uint8Array | null;
  /** The request's idWidth: the marks' length per record. */
  idWidth: number;
  /** The spare buffer, handed back unless the records are in it. */
  spare: Uint8Array | null;
  recordCount: number;
  /** Lines a text parser consumed without an event (skipPrefix). */
  skipped: number;
  /** Records per log type. */
  perType: Array<[string, number]>;
  /** The failed events, packed (failure-pack.ts). */
  failures: PackedFailures;
  /** IndicatorTally entries (--indicators). */
  indicators: Array<Array<[string, number]>> | null;
  /** Unknown field counts (--unknown-fields). */
  unknown: Array<[string, number]> | null;
}

/** A worker has built its engine and takes batches at full speed from now on. */
export interface ReadyReply {
  kind: "ready";
}

export type WorkerReply = ReadyReply | BatchResult;
