/** Real log schemas are a few KiB; the largest of Panther's managed ones are well under this. */
export const MAX_SCHEMA_BYTES = 1024 * 1024;
