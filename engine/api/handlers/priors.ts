import { createIndependentPrior } from '../../sample/priors/index.js';
import { defaultUniformPrior, drawPrior, priorDisplayRange } from '../../sample/priors/priorDraws.js';
import { Xoshiro128 } from '../../sample/random/index.js';
import { randomSeed } from '../../sample/random/randomSeed.js';
import { modelDetail, requireModel } from '../projectViews.js';
import { ApiArgumentError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** priors.*: draws to plot a prior, and the default prior of each model parameter. */
export function priorHandlers(context: HandlerContext) {
  return {
    'priors.sample': ({ priors, n, seed }) => {
      const prior = createIndependentPrior(priors, 'priors');
      const samples = drawPrior(prior, n, Xoshiro128.fromSeed(seed ?? randomSeed(), 0));
      const { lower, upper } = priorDisplayRange(prior);
      return { names: [...prior.names], samples: Array.from(samples), lower, upper };
    },
    'priors.defaults': ({ modelId, parameters }) => {
      const detail = modelDetail(requireModel(context.project(), modelId));
      const chosen = parameters ?? detail.parameters.map((p) => p.id);
      const priors: Record<string, { kind: string; lower: number; upper: number }> = {};
      for (const id of chosen) {
        const p = detail.parameters.find((q) => q.id === id);
        if (!p) throw new ApiArgumentError('priors.defaults', [{ path: 'parameters', message: `the model has no parameter "${id}"` }]);
        priors[id] = defaultUniformPrior(p.value);
      }
      return { priors };
    },
  } satisfies HandlerPart;
}
