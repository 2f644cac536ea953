import { createDistance } from '../../stats/index.js';
import type { Distance, PartSpec } from '../../stats/types.js';
import type { DistanceFunction } from '../types.js';

/** Wraps a plain function as a Distance (serialises as its kind and name only). */
class FunctionDistance implements Distance {
  readonly kind = 'function';
  constructor(private readonly fn: DistanceFunction) {}

  distance(features: Float64Array, observed: Float64Array): number {
    return this.fn(features, observed);
  }

  toJSON(): PartSpec {
    return { kind: this.kind, name: this.fn.name || 'anonymous' };
  }
}

/** Distance from a part, its JSON (the stats registry) or a function; Euclidean by default. */
export function resolveDistance(spec: Distance | PartSpec | DistanceFunction | undefined): Distance {
  if (spec === undefined) return createDistance({ kind: 'euclidean' });
  if (typeof spec === 'function') return new FunctionDistance(spec);
  if ('distance' in spec && typeof spec.distance === 'function') return spec as Distance;
  return createDistance(spec as PartSpec);
}
