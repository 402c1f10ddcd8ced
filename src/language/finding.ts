/** A problem found in a schema document (or a sample), located for people and CI annotations. */
/** One problem, where it is, and which rule found it. */
export interface Finding {
  file: string;
  line: number;
  /** Absent when only the line is known (sample events). */
  col?: number;
  /** Notes tell what changed without failing anything (`diff`, `--against`). */
  severity: "error" | "warning" | "note";
  rule: string;
  message: string;
  /** Where in the schema document, e.g. `fields[2].timeFormat` ("" for the document itself). */
  path: string;
}
