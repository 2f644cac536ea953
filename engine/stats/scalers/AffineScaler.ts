import { FeatureShapeError } from '../errors.js';
import type { PartSpec } from '../types.js';

export const SCALER_KINDS = ['standard-scaler', 'min-max-scaler', 'robust-scaler'] as const;
export type ScalerKind = (typeof SCALER_KINDS)[number];

/** A fitted scaler as JSON: enough to rebuild it without the data it was fitted on. */
export interface ScalerSpec extends PartSpec {
  readonly kind: ScalerKind;
  readonly center: readonly number[];
  readonly scale: readonly number[];
}

/**
 * A fitted per-feature affine map z_j = (x_j - center_j) / scale_j: the
 * standard, min-max and robust scalers differ only in how they are fitted
 * (fitStandardScaler, fitMinMaxScaler, fitRobustScaler). Scales are never 0
 * (a constant feature gets scale 1, as scikit-learn does), NaN passes
 * through, and `transform`/`inverseTransform` write into `out`.
 */
export class AffineScaler {
  readonly kind: ScalerKind;
  readonly center: Float64Array;
  readonly scale: Float64Array;

  constructor(kind: ScalerKind, center: ArrayLike<number>, scale: ArrayLike<number>) {
    if (center.length !== scale.length) throw new FeatureShapeError(`${kind} scale`, center.length, scale.length);
    this.kind = kind;
    this.center = Float64Array.from(center);
    this.scale = Float64Array.from(scale, (s) => (s === 0 || !Number.isFinite(s) ? 1 : s));
  }

  get dimension(): number {
    return this.center.length;
  }

  transform(x: Float64Array, out: Float64Array): Float64Array {
    this.check(x, out);
    const { center, scale } = this;
    for (let j = 0; j < center.length; j++) out[j] = (x[j] - center[j]) / scale[j];
    return out;
  }

  inverseTransform(z: Float64Array, out: Float64Array): Float64Array {
    this.check(z, out);
    const { center, scale } = this;
    for (let j = 0; j < center.length; j++) out[j] = z[j] * scale[j] + center[j];
    return out;
  }

  private check(x: Float64Array, out: Float64Array): void {
    if (x.length !== this.center.length) throw new FeatureShapeError(`${this.kind} input`, this.center.length, x.length);
    if (out.length !== this.center.length) throw new FeatureShapeError(`${this.kind} out`, this.center.length, out.length);
  }

  toJSON(): ScalerSpec {
    return { kind: this.kind, center: Array.from(this.center), scale: Array.from(this.scale) };
  }
}
