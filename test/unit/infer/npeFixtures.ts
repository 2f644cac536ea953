/** A study's NPE algorithm small enough for a unit test: 300 simulations, a two-block flow, at most 60 epochs (about a second). */
export const TINY_NPE = {
  kind: 'npe',
  simulations: 300,
  posteriorSamples: 1000,
  flow: { transforms: 2, hidden: 16 },
  training: { batchSize: 50, learningRate: 5e-3, patience: 8, maxEpochs: 60 },
};
