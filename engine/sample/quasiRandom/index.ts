/** Low-discrepancy sequences (row-major n * d Float64Arrays in [0, 1), as designs). */
export { sobol, SOBOL_MAX_POINTS, type SobolOptions } from './sobol.js';
export { sobolDirections, SOBOL_BITS, SOBOL_MAX_DIMENSION } from './sobolDirections.js';
export { JOE_KUO_DIMENSIONS } from './joeKuoDirectionNumbers.js';
export { halton, haltonScrambling, HALTON_MAX_DIMENSION, type HaltonOptions, type HaltonScrambling } from './halton.js';
export { firstPrimes } from './firstPrimes.js';
export { HaltonDesign, SobolDesign, haltonSpecSchema, sobolSpecSchema, type HaltonSpec, type SobolSpec } from './parts.js';
