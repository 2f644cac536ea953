import { fileURLToPath } from 'node:url';
import { task as gaussianLinear } from './gaussianLinear.js';
import { task as lotkaVolterra } from './lotkaVolterra.js';
import { task as sir } from './sir.js';
import { task as slcp } from './slcp.js';
import type { AccuracyTaskDefinition } from './taskTypes.js';
import { task as twoMoons } from './twoMoons.js';

export type { AccuracyTaskDefinition, TaskPriorSpec } from './taskTypes.js';
export { dataNames } from './taskTypes.js';

/** A task with the file of its simulator module, which the engine loads as a black-box `module` simulator. */
export interface AccuracyTask extends AccuracyTaskDefinition {
  readonly modulePath: string;
}

const at = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** The five sbibm tasks of issue #16, in sbibm's order. */
export const ACCURACY_TASKS: readonly AccuracyTask[] = [
  { ...gaussianLinear, modulePath: at('./gaussianLinear.ts') },
  { ...twoMoons, modulePath: at('./twoMoons.ts') },
  { ...slcp, modulePath: at('./slcp.ts') },
  { ...sir, modulePath: at('./sir.ts') },
  { ...lotkaVolterra, modulePath: at('./lotkaVolterra.ts') },
];

export function accuracyTask(name: string): AccuracyTask {
  const found = ACCURACY_TASKS.find((t) => t.name === name);
  if (!found) throw new RangeError(`task: unknown task ${JSON.stringify(name)}; expected one of ${ACCURACY_TASKS.map((t) => t.name).join(', ')}`);
  return found;
}
