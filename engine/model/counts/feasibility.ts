/**
 * How much work one exact-SSA trajectory of a count model would be: the
 * total propensity at t = 0 times the time span estimates the number of
 * reaction events (exact for constant propensities; a first-order guide
 * otherwise, which is all the caller needs to choose a method). The direct
 * method runs about 2e7 events per second here, so 1e8 events is several
 * seconds per trajectory and an ensemble of thousands is hours.
 */
import { parseExpression } from '../expression/index.js';
import type { ReactionNetwork } from '../schema.js';
import type { Feasibility } from './conversionReport.js';
import { StartValues } from './startValues.js';

/** Default threshold of expected events per trajectory above which the report suggests tau-leaping or the ODE. */
export const MAX_EXPECTED_EVENTS = 1e8;

/** Events per second of the direct method on one core (order of magnitude measured for this engine), for the time estimate in messages. */
export const SSA_EVENTS_PER_SECOND = 2e7;

/** Stochastic propensity of each reaction of a legacy count model at t = 0 (mass action with falling factorials, as the SSA computes it). */
export function propensitiesAtStart(model: ReactionNetwork): number[] {
  const start = new StartValues(model);
  return model.reactions.map((r) => {
    if (r.propensity !== undefined) return start.evaluate(parseExpression(String(r.propensity)));
    const k = start.evaluate(parseExpression(String(r.rate)));
    const order = Object.values(r.reactants).reduce<number>((sum, n) => sum + Number(n), 0);
    let a = k * model.volume ** (1 - order);
    for (const [id, n] of Object.entries(r.reactants)) {
      const count = start.read(id);
      for (let m = 0; m < Number(n); m++) a *= count - m;
    }
    return a;
  });
}

export function feasibility(model: ReactionNetwork, endTime: number | undefined, threshold = MAX_EXPECTED_EVENTS): Feasibility {
  const propensities = propensitiesAtStart(model);
  const invalid = propensities.flatMap((value, j) => (value >= 0 ? [] : [{ id: model.reactions[j].id, value }]));
  const totalPropensity = propensities.reduce((sum, a) => (a > 0 ? sum + a : sum), 0);
  const end = endTime ?? model.time?.end ?? null;
  const expectedEvents = end === null ? null : totalPropensity * end;
  return { totalPropensity, endTime: end, expectedEvents, threshold, exceeded: expectedEvents !== null && expectedEvents > threshold, invalid };
}
