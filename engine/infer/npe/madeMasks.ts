/**
 * Connectivity masks of a MADE block (Germain, Gregor, Murray & Larochelle
 * 2015, "MADE: Masked Autoencoder for Distribution Estimation",
 * arXiv:1502.03509).
 *
 * Method: input k gets degree k + 1 (1..D); hidden unit j gets degree
 * j mod D (0..D−1, cycling, so every degree is used when H >= D). A weight
 * from a unit of degree a into a hidden unit of degree b exists iff a <= b;
 * into output k (degree k + 1) iff a < k + 1. Output k therefore depends on
 * inputs 1..k only: the Jacobian of the outputs with respect to the inputs is
 * strictly lower triangular. Unlike the original (hidden degrees 1..D−1),
 * degree 0 is allowed: such units see only the conditioning context, so the
 * first output depends on the context in every block (that is what a
 * conditional density estimator needs; with D = 1 it is the only path).
 */
export interface MadeMasks {
  /** D × H: input k → hidden j. */
  readonly input: Float32Array;
  /** H × H per hidden-to-hidden layer. */
  readonly hidden: Float32Array;
  /** H × D: hidden j → output k. */
  readonly output: Float32Array;
  readonly hiddenDegrees: Int32Array;
}

export function madeMasks(dimension: number, hidden: number): MadeMasks {
  const D = dimension;
  const H = hidden;
  const hiddenDegrees = Int32Array.from({ length: H }, (_, j) => j % D);
  const input = new Float32Array(D * H);
  for (let k = 0; k < D; k++) for (let j = 0; j < H; j++) input[k * H + j] = k + 1 <= hiddenDegrees[j] ? 1 : 0;
  const hiddenMask = new Float32Array(H * H);
  for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) hiddenMask[i * H + j] = hiddenDegrees[i] <= hiddenDegrees[j] ? 1 : 0;
  const output = new Float32Array(H * D);
  for (let j = 0; j < H; j++) for (let k = 0; k < D; k++) output[j * D + k] = hiddenDegrees[j] < k + 1 ? 1 : 0;
  return { input, hidden: hiddenMask, output, hiddenDegrees };
}
