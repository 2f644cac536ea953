/** SBML Level 2 and 3 core import (libsbmljs): `importSbml(xml, { wasm })` → `{ model, warnings }` or an SbmlImportError. */
export { importSbml, type SbmlImportOptions, type SbmlImportResult } from './importSbml.js';
export type { SbmlWarning } from './warnings.js';
export { loadLibsbml, type LibsbmlWasm } from './libsbml.js';
export { printExpression } from './printExpression.js';
