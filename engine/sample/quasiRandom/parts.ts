import { z } from 'zod';
import { DesignError } from '../design/DesignError.js';
import { assertInteger } from '../design/points.js';
import { integerSchema } from '../design/specSchema.js';
import type { Design, DesignContext } from '../design/types.js';
import { Xoshiro128 } from '../random/Xoshiro128.js';
import { MAX_SEED } from '../random/seedDerivation.js';
import { HALTON_MAX_DIMENSION, halton, haltonScrambling, type HaltonScrambling } from './halton.js';
import { sobol } from './sobol.js';
import { SOBOL_MAX_DIMENSION, sobolDirections } from './sobolDirections.js';

/**
 * The low-discrepancy sequences as storable design parts. They are
 * deterministic: `generate(n, rng, { start })` ignores rng and returns
 * points skip+start .. skip+start+n-1, so batch b of a study passes the
 * number of points already drawn as `start` and continues the sequence.
 * Halton's scrambling is drawn once from `seed` (stream path [0]), so it
 * is the same for every batch and for a part rebuilt from JSON.
 */

export const sobolSpecSchema = z.strictObject({
  kind: z.literal('sobol'),
  dimension: integerSchema(1, SOBOL_MAX_DIMENSION),
  skip: integerSchema(0).optional(),
});

export const haltonSpecSchema = z
  .strictObject({
    kind: z.literal('halton'),
    dimension: integerSchema(1, HALTON_MAX_DIMENSION),
    scramble: z.boolean({ error: 'expected true or false' }).optional(),
    seed: integerSchema(0, MAX_SEED).optional(),
    skip: integerSchema(0).optional(),
  })
  .refine((spec) => spec.scramble === false || spec.seed !== undefined, {
    path: ['seed'],
    error: 'a scrambled Halton design needs a seed (an integer >= 0) so it can be rebuilt',
  });

export type SobolSpec = z.output<typeof sobolSpecSchema>;
export type HaltonSpec = z.output<typeof haltonSpecSchema>;

/** Sobol sequence with Joe-Kuo direction numbers (see sobol.ts). */
export class SobolDesign implements Design {
  readonly kind = 'sobol';
  private readonly directions: Uint32Array;

  constructor(
    readonly dimension: number,
    readonly skip = 0,
  ) {
    assertInteger('SobolDesign', 'dimension', dimension, 1, SOBOL_MAX_DIMENSION);
    assertInteger('SobolDesign', 'skip', skip, 0);
    this.directions = sobolDirections(dimension);
  }

  generate(n: number, _rng?: unknown, context: DesignContext = {}): Float64Array {
    const start = context.start ?? 0;
    assertInteger('SobolDesign', 'start', start, 0);
    return sobol(n, this.dimension, { skip: this.skip + start, directions: this.directions });
  }

  toJSON(): SobolSpec {
    return { kind: 'sobol', dimension: this.dimension, skip: this.skip };
  }
}

/** Halton sequence, scrambled by default with digit permutations drawn from `seed`. */
export class HaltonDesign implements Design {
  readonly kind = 'halton';
  private readonly scrambling: HaltonScrambling | undefined;

  constructor(
    readonly dimension: number,
    readonly options: { readonly scramble?: boolean; readonly seed?: number; readonly skip?: number } = {},
  ) {
    assertInteger('HaltonDesign', 'dimension', dimension, 1, HALTON_MAX_DIMENSION);
    assertInteger('HaltonDesign', 'skip', options.skip ?? 0, 0);
    const scramble = options.scramble ?? true;
    if (scramble) {
      if (options.seed === undefined) throw new DesignError('HaltonDesign', 'seed', 'a scrambled Halton design needs a seed (an integer >= 0)');
      assertInteger('HaltonDesign', 'seed', options.seed, 0, MAX_SEED);
      this.scrambling = haltonScrambling(dimension, Xoshiro128.fromSeed(options.seed, 0));
    }
  }

  generate(n: number, _rng?: unknown, context: DesignContext = {}): Float64Array {
    const start = context.start ?? 0;
    assertInteger('HaltonDesign', 'start', start, 0);
    return halton(n, this.dimension, { skip: (this.options.skip ?? 0) + start, scrambling: this.scrambling });
  }

  toJSON(): HaltonSpec {
    const scramble = this.options.scramble ?? true;
    const spec = { kind: 'halton' as const, dimension: this.dimension, scramble, skip: this.options.skip ?? 0 };
    return scramble ? { ...spec, seed: this.options.seed } : spec;
  }
}
