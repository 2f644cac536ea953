import { DesignError } from './DesignError.js';
import { fullFactorial } from './fullFactorial.js';
import { latinHypercube } from './latinHypercube.js';
import { maximinSequential } from './maximinSequential.js';
import { assertInteger } from './points.js';
import { randomDesign } from './randomDesign.js';
import type { FullFactorialSpec, LatinHypercubeSpec, MaximinSequentialSpec, RandomDesignSpec } from './specSchema.js';
import type { Design, DesignContext, RandomSource } from './types.js';

/**
 * The design routines as storable parts (kind + toJSON, rebuilt by
 * createDesign). Options are validated by the routines themselves, so a
 * part built in code fails the same way as one rebuilt from JSON.
 */

/** Latin hypercube (random, or maximin-optimised with `optimise: 'maximin'`). */
export class LatinHypercubeDesign implements Design {
  readonly kind = 'latinHypercube';
  constructor(
    readonly dimension: number,
    readonly optimise: 'none' | 'maximin' = 'none',
    /** Swap attempts; undefined = defaultMaximinIterations(n, d) for each batch. */
    readonly iterations?: number,
  ) {
    assertInteger('LatinHypercubeDesign', 'dimension', dimension, 1);
    if (optimise !== 'none' && optimise !== 'maximin') {
      throw new DesignError('LatinHypercubeDesign', 'optimise', `expected "none" or "maximin", got ${JSON.stringify(optimise)}`);
    }
    if (iterations !== undefined) assertInteger('LatinHypercubeDesign', 'iterations', iterations, 0);
  }

  generate(n: number, rng: RandomSource): Float64Array {
    return latinHypercube(n, this.dimension, rng, { optimise: this.optimise, iterations: this.iterations });
  }

  toJSON(): LatinHypercubeSpec {
    const spec: LatinHypercubeSpec = { kind: 'latinHypercube', dimension: this.dimension, optimise: this.optimise };
    return this.iterations === undefined ? spec : { ...spec, iterations: this.iterations };
  }
}

/** Full factorial design: a fixed set of prod(levels) points, no randomness. */
export class FullFactorialDesign implements Design {
  readonly kind = 'fullFactorial';
  readonly dimension: number;
  readonly size: number;
  private readonly points: Float64Array;

  constructor(
    readonly levels: readonly number[],
    readonly at: 'edges' | 'centres' = 'edges',
  ) {
    this.points = fullFactorial(levels, { at });
    this.levels = [...levels];
    this.dimension = levels.length;
    this.size = this.points.length / this.dimension;
  }

  generate(n: number, _rng?: RandomSource): Float64Array {
    if (n !== this.size) {
      throw new DesignError('fullFactorial', 'n', `this design has exactly ${this.size} points (${this.levels.join(' x ')}), got ${n}`);
    }
    return this.points.slice();
  }

  toJSON(): FullFactorialSpec {
    return { kind: 'fullFactorial', levels: [...this.levels], at: this.at };
  }
}

/** Independent uniform points (plain Monte Carlo). */
export class RandomDesign implements Design {
  readonly kind = 'random';
  constructor(readonly dimension: number) {
    assertInteger('RandomDesign', 'dimension', dimension, 1);
  }

  generate(n: number, rng: RandomSource): Float64Array {
    return randomDesign(n, this.dimension, rng);
  }

  toJSON(): RandomDesignSpec {
    return { kind: 'random', dimension: this.dimension };
  }
}

/** Default number of random candidates per point added by MaximinSequentialDesign. */
export const DEFAULT_CANDIDATES_PER_POINT = 100;

/** Points far from the study's existing ones (context.existing), from candidatesPerPoint * n random candidates. */
export class MaximinSequentialDesign implements Design {
  readonly kind = 'maximinSequential';
  constructor(
    readonly dimension: number,
    readonly candidatesPerPoint: number = DEFAULT_CANDIDATES_PER_POINT,
  ) {
    assertInteger('MaximinSequentialDesign', 'dimension', dimension, 1);
    assertInteger('MaximinSequentialDesign', 'candidatesPerPoint', candidatesPerPoint, 1);
  }

  generate(n: number, rng: RandomSource, context: DesignContext = {}): Float64Array {
    assertInteger('maximinSequential', 'n', n, 0);
    const existing = context.existing ?? new Float64Array(0);
    return maximinSequential(existing, Math.max(1, this.candidatesPerPoint * n), this.dimension, rng, n);
  }

  toJSON(): MaximinSequentialSpec {
    return { kind: 'maximinSequential', dimension: this.dimension, candidatesPerPoint: this.candidatesPerPoint };
  }
}
