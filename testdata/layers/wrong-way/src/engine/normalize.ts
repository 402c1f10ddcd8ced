// A wrong-way import: the engine reaching up into the pipeline.
import { runAll } from "../pipeline/loop.js";

export const normalize = (): number => runAll();
