/** SBML `comp` (hierarchical model composition) → SBML core: `flattenComp(xml, { source, readExternal })`. */
export { flattenComp, usesComp, type FlattenCompOptions } from './flattenComp.js';
