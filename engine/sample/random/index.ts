export { Xoshiro128 } from './Xoshiro128.js';
export { deriveStreamState, assertSeed, MAX_SEED } from './seedDerivation.js';
export { poisson } from './poisson.js';
export { randomSeed } from './randomSeed.js';
