import { EngineError } from '../../errors/index.js';

/**
 * Shared by the module and command simulators: the seed handed to a black
 * box, and the validation of what it returns.
 */

/** A black box's answer that breaks its contract (wrong species, length, non-finite values). */
export class BlackBoxOutputError extends EngineError {
  constructor(
    readonly simulator: string,
    message: string,
  ) {
    super('BLACKBOX_OUTPUT', `${simulator}: ${message}`, { simulator });
  }
}

/**
 * The seed of one simulation: the first 32-bit output of the trajectory's
 * xoshiro128** stream (derived from the run seed, the trial's stream path and
 * the run index), an integer in [0, 2^32). `rng` is advanced by one draw.
 * Whichever executor runs the trial, the same trial gets the same seed, so a
 * simulator that is a deterministic function of (parameters, seed, time)
 * gives identical results everywhere.
 */
export function blackBoxSeed(rng: Uint32Array): number {
  const s0 = rng[0] | 0;
  const s1 = rng[1] | 0;
  let s2 = rng[2] | 0;
  let s3 = rng[3] | 0;
  const x = Math.imul(s1, 5);
  const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  rng[1] = s1 ^ s2;
  rng[0] = s0 ^ s3;
  rng[2] = s2 ^ t;
  rng[3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

/**
 * Check a black box's answer against the declared species and the time
 * grid, and copy it into `out` (species-major). `data` is either species x
 * time numbers flat (Float64Array or number[], length species x time), or one
 * row per species. `species` must list the declared names, in order.
 */
export function writeBlackBoxOutput(out: Float64Array, declared: readonly string[], points: number, species: unknown, data: unknown, simulator: string): void {
  {
    if (!Array.isArray(species)) throw new BlackBoxOutputError(simulator, `"species" must be a list of names, got ${typeof species}`);
    if (species.length !== declared.length) {
      throw new BlackBoxOutputError(
        simulator,
        `returned ${species.length} species (${species.join(', ')}), declared ${declared.length} (${declared.join(', ')})`,
      );
    }
    for (let s = 0; s < declared.length; s++) {
      if (species[s] !== declared[s])
        throw new BlackBoxOutputError(simulator, `species ${s + 1} is "${String(species[s])}", declared "${declared[s]}" (species: ${declared.join(', ')})`);
    }
  }
  const expected = declared.length * points;
  if (data instanceof Float64Array || (Array.isArray(data) && (data.length === 0 || typeof data[0] === 'number'))) {
    const flat = data as ArrayLike<number>;
    if (flat.length !== expected)
      throw new BlackBoxOutputError(simulator, `"data" has ${flat.length} values; expected ${declared.length} species x ${points} time points = ${expected}`);
    for (let i = 0; i < expected; i++) {
      const v = flat[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new BlackBoxOutputError(
          simulator,
          `"data"[${i}] (species ${declared[Math.floor(i / points)]}, time point ${i % points}) is ${String(v)}, expected a finite number`,
        );
      out[i] = v;
    }
    return;
  }
  if (!Array.isArray(data))
    throw new BlackBoxOutputError(simulator, `"data" must be a Float64Array, a flat list or one list per species, got ${data === null ? 'null' : typeof data}`);
  if (data.length !== declared.length)
    throw new BlackBoxOutputError(simulator, `"data" has ${data.length} rows, declared ${declared.length} species (${declared.join(', ')})`);
  for (let s = 0; s < declared.length; s++) {
    const row = data[s] as unknown;
    if (!Array.isArray(row) && !(row instanceof Float64Array))
      throw new BlackBoxOutputError(simulator, `"data"[${s}] (species ${declared[s]}) is not a list of numbers`);
    const values = row as ArrayLike<unknown>;
    if (values.length !== points)
      throw new BlackBoxOutputError(simulator, `"data"[${s}] (species ${declared[s]}) has ${values.length} values; expected one per time point (${points})`);
    const offset = s * points;
    for (let g = 0; g < points; g++) {
      const v = values[g];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new BlackBoxOutputError(simulator, `"data"[${s}][${g}] (species ${declared[s]}, time point ${g}) is ${String(v)}, expected a finite number`);
      out[offset + g] = v;
    }
  }
}
