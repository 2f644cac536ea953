/** engine/learn/semiSupervised: label spreading / propagation over RBF graphs, with uncertainty. */
export { propagateLabels, DEFAULT_GAMMA_GRID, type PropagateOptions, type PropagationResult } from './propagateLabels.js';
export { iterateLabels, type IterationOptions, type IterationResult, type PropagationAlgorithm } from './spreading.js';
export { distanceGraph, rbfWeights, DENSE_GRAPH_MAX_POINTS, DEFAULT_GRAPH_NEIGHBOURS, type DistanceGraph } from './affinityGraph.js';
export { nearestNeighbours, type NeighbourLists } from './nearestNeighbours.js';
export { entropyOf, marginOf, argmaxOf, summariseDistributions, type Uncertainty } from './uncertainty.js';
