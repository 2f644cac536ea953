/** libsbmljs_stable ships no types: its CommonJS export is the Emscripten module factory. */
declare module 'libsbmljs_stable' {
  const createLibsbml: (moduleOverrides?: Record<string, unknown>) => unknown;
  export default createLibsbml;
}
