/**
 * Experimental designs in the unit cube. Layout of every point set: one
 * Float64Array of n * d, row-major (coordinate k of point i at i * d + k);
 * see points.ts for the row helpers.
 */
export { latinHypercube, defaultMaximinIterations, type LatinHypercubeOptions } from './latinHypercube.js';
export { maximinColumnSwap, MAXIMIN_PHI_P } from './maximinColumnSwap.js';
export { fullFactorial, FULL_FACTORIAL_MAX_POINTS, type FullFactorialOptions } from './fullFactorial.js';
export { randomDesign } from './randomDesign.js';
export { maximinSequential } from './maximinSequential.js';
export { scaleToBounds } from './scaleToBounds.js';
export { centredL2Discrepancy } from './centredL2Discrepancy.js';
export { minimumDistance } from './minimumDistance.js';
export { pointCount, pointRow, pointRows, pointsFromRows } from './points.js';
export { DesignError, DesignSpecError } from './DesignError.js';
export { DEFAULT_CANDIDATES_PER_POINT, FullFactorialDesign, LatinHypercubeDesign, MaximinSequentialDesign, RandomDesign } from './parts.js';
export type { FullFactorialSpec, LatinHypercubeSpec, MaximinSequentialSpec, RandomDesignSpec } from './specSchema.js';
export { createDesign, designKinds } from './createDesign.js';
export type { Design, DesignContext, DesignSpec, RandomSource as DesignRandomSource } from './types.js';
