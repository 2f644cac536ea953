/**
 * A reaction's rate over a trajectory. The suite reports some reactions by
 * id (in SBML Level 3 a reaction's id stands for its rate: the value of its
 * kinetic law); the simulator records species, parameters and compartments,
 * so the rate is evaluated here from those at each output time.
 */
import { evaluateExpression, parseExpression } from '../model/expression/index.js';
import type { ReactionNetwork } from '../model/schema.js';
import type { GeneralTrajectory } from '../simulate/general/types.js';

/** Undefined when `id` is not a reaction with a kinetic law, or the law reads something the trajectory lacks (or delay/rateOf). */
export function reactionRateSeries(model: ReactionNetwork, trajectory: GeneralTrajectory, id: string): Float64Array | undefined {
  const reaction = model.reactions.find((r) => r.id === id);
  if (reaction?.propensity === undefined) return undefined;
  try {
    const law = parseExpression(String(reaction.propensity));
    const rates = new Float64Array(trajectory.time.length);
    for (let g = 0; g < rates.length; g++) {
      rates[g] = evaluateExpression(law, (name) => {
        if (name === 't' || name === 'time') return trajectory.time[g];
        if (name === 'vol') return model.volume;
        const series = trajectory.values.get(name);
        if (!series) throw new Error(`no series for ${name}`);
        return series[g];
      });
    }
    return rates;
  } catch {
    return undefined;
  }
}
