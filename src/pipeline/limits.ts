/** Limits every way into the pipeline shares (parse, serve, test, samples, the library). */

/** The largest event accepted by default, in UTF-8 bytes (`--max-event-bytes`). */
export const DEFAULT_MAX_EVENT_BYTES = 10 * 1024 * 1024;
