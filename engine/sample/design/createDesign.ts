import { HaltonDesign, haltonSpecSchema, SobolDesign, sobolSpecSchema } from '../quasiRandom/parts.js';
import { DesignSpecError } from './DesignError.js';
import { FullFactorialDesign, LatinHypercubeDesign, MaximinSequentialDesign, RandomDesign } from './parts.js';
import { fullFactorialSpecSchema, latinHypercubeSpecSchema, maximinSequentialSpecSchema, parseSpec, randomDesignSpecSchema } from './specSchema.js';
import type { Design } from './types.js';

type Factory = (spec: unknown) => Design;

/**
 * The design registry: `kind` → a factory that validates the JSON spec
 * (zod, every problem reported with its path) and builds the part, so a
 * study stored as JSON is rebuilt exactly, here or inside a worker.
 * `createDesign(design.toJSON())` gives an equivalent design.
 */
const registry = new Map<string, Factory>([
  [
    'latinHypercube',
    (spec) => {
      const s = parseSpec(latinHypercubeSpecSchema, spec);
      return new LatinHypercubeDesign(s.dimension, s.optimise, s.iterations);
    },
  ],
  [
    'fullFactorial',
    (spec) => {
      const s = parseSpec(fullFactorialSpecSchema, spec);
      return new FullFactorialDesign(s.levels, s.at);
    },
  ],
  ['random', (spec) => new RandomDesign(parseSpec(randomDesignSpecSchema, spec).dimension)],
  [
    'maximinSequential',
    (spec) => {
      const s = parseSpec(maximinSequentialSpecSchema, spec);
      return new MaximinSequentialDesign(s.dimension, s.candidatesPerPoint);
    },
  ],
  [
    'sobol',
    (spec) => {
      const s = parseSpec(sobolSpecSchema, spec);
      return new SobolDesign(s.dimension, s.skip);
    },
  ],
  [
    'halton',
    (spec) => {
      const s = parseSpec(haltonSpecSchema, spec);
      return new HaltonDesign(s.dimension, { scramble: s.scramble, seed: s.seed, skip: s.skip });
    },
  ],
]);

/** Kinds `createDesign` knows, in registration order. */
export function designKinds(): string[] {
  return [...registry.keys()];
}

/** Rebuilds a design from its JSON spec; throws DesignSpecError on any invalid field. */
export function createDesign(spec: unknown): Design {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new DesignSpecError([{ path: 'design', message: 'expected an object with a "kind"' }]);
  }
  const kind = (spec as { kind?: unknown }).kind;
  const factory = typeof kind === 'string' ? registry.get(kind) : undefined;
  if (!factory) {
    throw new DesignSpecError([{ path: 'design.kind', message: `unknown design kind ${JSON.stringify(kind)}; expected one of ${designKinds().join(', ')}` }]);
  }
  return factory(spec);
}
