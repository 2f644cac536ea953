import type { SimulationJob, Trial } from '../../compute/executor.js';
import { validateModel } from '../../model/index.js';
import { describeConversion, toMoleculeCounts } from '../../model/counts/index.js';
import { randomSeed } from '../../sample/random/randomSeed.js';
import { uniformTimeGrid } from '../../simulate/timeGrid.js';
import { trajectoryMeanSd } from '../../stats/trajectoryBands.js';
import type { ApiParsedArgs, ModelDetail } from '../contract.js';
import { modelDetail, requireModel } from '../projectViews.js';
import type { TrustManager } from '../TrustManager.js';
import { ApiArgumentError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** Events per trajectory a preview may simulate before it stops with EVENT_BUDGET (Vilar to t = 200 takes about 0.6 M). */
export const PREVIEW_MAX_EVENTS = 20_000_000;

type JobBase = ReturnType<TrustManager['trustedJobBase']>;

/** simulate.*: a quick ensemble of a stored model (the Model view's preview), cancellable by its id. */
export function simulateHandlers(context: HandlerContext) {
  return {
    'simulate.preview': async (args) => {
      const { modelId, runs, points, seed, parameters, previewId } = args;
      const store = context.project();
      const record = requireModel(store, modelId);
      const detail = modelDetail(record);
      const method = args.method ?? (detail.countModel ? 'ssa' : 'ode');
      const { base, notes } = previewModel(context.trust.trustedJobBase(record, store.path), detail, record.name, method, args);
      const time = Array.from(uniformTimeGrid(args.tEnd ?? detail.tEnd, points));
      const ids = detail.parameters.map((p) => p.id);
      for (const key of Object.keys(parameters ?? {})) {
        if (!ids.includes(key))
          throw new ApiArgumentError('simulate.preview', [
            { path: `parameters.${key}`, message: `the model has no parameter "${key}"; its parameters are ${ids.join(', ')}` },
          ]);
      }
      const values = Float64Array.from(detail.parameters, (p) => parameters?.[p.id] ?? p.value);
      const runSeed = seed ?? randomSeed();
      const job: SimulationJob = {
        ...base,
        method,
        time,
        parameterIds: ids,
        runsPerTrial: 1,
        statistics: null,
        returnTrajectories: true,
        seed: runSeed,
        maxEvents: PREVIEW_MAX_EVENTS,
      };
      const trials: Trial[] = Array.from({ length: runs }, (_, i) => ({ index: i, parameters: values, stream: [i] }));
      const started = performance.now();
      const results = await context.previews.run(previewId, async (signal) => (await context.executor()).map(job, trials, { signal }));
      results.sort((a, b) => a.index - b.index);
      const block = detail.species.length * points;
      const data = new Float64Array(runs * block);
      results.forEach((r, i) => data.set(r.trajectories!.subarray(0, block), i * block));
      const { mean, sd } = trajectoryMeanSd(data, runs, block);
      const events = results.reduce((s, r) => s + r.events, 0);
      return {
        time,
        species: detail.species.slice(),
        runs,
        data: Array.from(data),
        mean,
        sd,
        seed: runSeed,
        events,
        seconds: (performance.now() - started) / 1000,
        ...(notes ? { notes } : {}),
      };
    },
    'simulate.cancel': ({ previewId }) => ({ cancelled: context.previews.cancel(previewId) }),
  } satisfies HandlerPart;
}

/**
 * The model a preview simulates with `method`: a stochastic method on a
 * model beyond molecule counts converts it here (not in the workers), so the
 * app can show what the conversion did (`notes`), and an exact SSA that
 * would need too many events is refused before it starts.
 */
function previewModel(
  base: JobBase,
  detail: ModelDetail,
  source: string,
  method: string,
  args: ApiParsedArgs<'simulate.preview'>,
): { base: JobBase; notes?: string[] } {
  const { runs, substanceUnit } = args;
  if (method !== 'ode' && !detail.countModel && !base.simulator) {
    const conversion = toMoleculeCounts(validateModel(base.model), {
      substanceUnit,
      endTime: args.tEnd ?? detail.tEnd,
      source,
      ...(method === 'hybrid' ? { rateRules: 'keep' as const } : {}),
    });
    const expected = conversion.report.feasibility.expectedEvents;
    if (method === 'ssa' && expected !== null && expected > runs * PREVIEW_MAX_EVENTS) {
      throw new ApiArgumentError('simulate.preview', [
        {
          path: 'method',
          message: `the exact SSA would need about ${expected.toExponential(2)} reaction events per trajectory in molecule counts; use tau-leaping or ODE, or a substance unit with fewer molecules per unit`,
        },
      ]);
    }
    return { base: { ...base, model: conversion.model }, notes: describeConversion(conversion.report) };
  }
  if (substanceUnit !== undefined) {
    throw new ApiArgumentError('simulate.preview', [
      {
        path: 'substanceUnit',
        message: method === 'ode' ? 'only for ssa or tau: the ODE simulates amounts and concentrations as they are' : 'the model is already in molecule counts',
      },
    ]);
  }
  return { base };
}
