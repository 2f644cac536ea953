import type { ReactionNetworkInput } from '../schema.js';
import { birthDeath, dimerisation, immigrationDeath, lotkaVolterra, michaelisMenten, toggleSwitch } from './smallNetworks.js';
import { vilar, vilarSciope } from './vilar.js';

/** Built-in example models by name; `vilar` is the default. */
export const EXAMPLES: Readonly<Record<string, ReactionNetworkInput>> = {
  vilar,
  'vilar-sciope': vilarSciope,
  'toggle-switch': toggleSwitch,
  'birth-death': birthDeath,
  'immigration-death': immigrationDeath,
  dimerisation,
  'michaelis-menten': michaelisMenten,
  'lotka-volterra': lotkaVolterra,
};

export const DEFAULT_EXAMPLE = 'vilar';

export function exampleNames(): string[] {
  return Object.keys(EXAMPLES);
}

/** A deep copy of the named example, or undefined. */
export function getExample(name: string): ReactionNetworkInput | undefined {
  const model = EXAMPLES[name];
  return model ? structuredClone(model) : undefined;
}
