/**
 * Adam (Kingma & Ba 2015, "Adam: a method for stochastic optimization",
 * ICLR, https://arxiv.org/abs/1412.6980), alg. 1 with bias-corrected moment
 * estimates, over one flat parameter vector so the update is one loop.
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One step: params ← params − lr · m̂ / (√v̂ + ε). */
  step(params: Float64Array, gradient: Float64Array): void {
    this.t++;
    const { m, v, beta1, beta2, epsilon } = this;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const lr = this.learningRate;
    for (let i = 0; i < params.length; i++) {
      const g = gradient[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      params[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
    }
  }
}
