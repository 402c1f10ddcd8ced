/**
 * Engine code that only some schemas use, kept out of the start-up of the runs that do not: the
 * text parsers (fastmatch, regex, csv) and Panther's native parsers. Each of those modules
 * registers itself here when it loads, so that whoever imports it statically (the library's
 * entry, the worker thread, the tools: engine/all-modules.ts) has it; the command line imports
 * neither, and awaits `prepareFor` (engine/logtype.ts) with the schemas it is about to compile.
 * This module imports nothing, so that the modules it holds can import it.
 */
export type OptionalModuleName = "parsers" | "native";

const loaded = new Map<OptionalModuleName, object>();

/** Called by each optional module as it loads. */
export function provideModule(name: OptionalModuleName, module: object): void {
  loaded.set(name, module);
}

/** Whether the module was loaded (by a static import or by prepareFor). */
export function hasModule(name: OptionalModuleName): boolean {
  return loaded.has(name);
}

/** A module a schema needs: loaded by then, or an internal error (a compile without prepareFor). */
export function optionalModule(name: OptionalModuleName): object {
  const m = loaded.get(name);
  if (m === undefined) throw new Error(`internal error: the engine's ${name} module is used before it was loaded (prepareFor)`);
  return m;
}
