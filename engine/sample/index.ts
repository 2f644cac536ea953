export * from './random/index.js';
export * from './priors/index.js';
export * from './design/index.js';
export * from './quasiRandom/index.js';
