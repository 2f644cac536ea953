/** engine/learn/reduce/umap: UMAP's parts on typed arrays (fuzzy graph, curve fit, SGD layout); umapEmbed in ../umap.ts runs them. */
export { fuzzySimplicialSet, smoothDistances, type FuzzyGraph } from './fuzzyGraph.js';
export { fitCurveParameters, type CurveParameters } from './curveParameters.js';
export { layoutSchedule, optimizeLayout, type LayoutSchedule, type LayoutSettings } from './layout.js';
