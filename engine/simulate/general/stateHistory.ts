/**
 * The past of a trajectory, for delay(x, tau): the integrated state and its
 * derivative at every accepted step end (and on both sides of every event),
 * the algebraic unknowns, and the discrete store as it was. Between points
 * the state is the cubic Hermite interpolant of the end values and
 * derivatives (third order, within the integrator's tolerance for the step
 * sizes it takes); a time before the first point reads the first point
 * (SBML: before t0 a variable has its initial value). Arrays grow by
 * doubling, so recording allocates only now and then.
 */
export class StateHistory {
  private times = new Float64Array(64);
  private ys: Float64Array;
  private dys: Float64Array;
  private zs: Float64Array;
  /** Per point, the index of the discrete store snapshot in force. */
  private storeOf = new Int32Array(64);
  private readonly stores: Float64Array[] = [];
  private count = 0;

  constructor(
    private readonly n: number,
    private readonly m: number,
  ) {
    this.ys = new Float64Array(64 * n);
    this.dys = new Float64Array(64 * n);
    this.zs = new Float64Array(64 * m);
  }

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
    this.stores.length = 0;
  }

  /** Add a point; `storeChanged` when d differs from the last recorded store (after an event). */
  record(t: number, y: Float64Array, dy: Float64Array, z: Float64Array, d: Float64Array, storeChanged: boolean): void {
    if (this.count === this.times.length) this.grow();
    const k = this.count++;
    const { n, m } = this;
    this.times[k] = t;
    this.ys.set(y, k * n);
    this.dys.set(dy, k * n);
    this.zs.set(z, k * m);
    if (storeChanged || this.stores.length === 0) this.stores.push(Float64Array.from(d));
    this.storeOf[k] = this.stores.length - 1;
  }

  /** The state at time s into y and z; returns the discrete store in force then (do not modify it). */
  at(s: number, y: Float64Array, z: Float64Array): Float64Array {
    const { n, m, times, ys, dys, zs } = this;
    const last = this.count - 1;
    // The last point with time <= s (after an event, the post-event point).
    let lo = 0;
    let hi = last;
    if (s < times[0]) hi = 0;
    else {
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (times[mid] <= s) lo = mid;
        else hi = mid - 1;
      }
    }
    const k = hi;
    if (s <= times[0] || k === last) {
      // Before the start: the first point. After the last point: extrapolate along its derivative.
      const span = k === last && s > times[k] ? s - times[k] : 0;
      for (let i = 0; i < n; i++) y[i] = ys[k * n + i] + span * dys[k * n + i];
      z.set(zs.subarray(k * m, k * m + m));
      return this.stores[this.storeOf[k]];
    }
    const t0 = times[k];
    const h = times[k + 1] - t0;
    if (h === 0) {
      y.set(ys.subarray((k + 1) * n, (k + 2) * n));
      z.set(zs.subarray((k + 1) * m, (k + 2) * m));
      return this.stores[this.storeOf[k + 1]];
    }
    const u = (s - t0) / h;
    const h00 = (1 + 2 * u) * (1 - u) * (1 - u);
    const h10 = u * (1 - u) * (1 - u);
    const h01 = u * u * (3 - 2 * u);
    const h11 = u * u * (u - 1);
    for (let i = 0; i < n; i++) {
      const a = k * n + i;
      const b = a + n;
      y[i] = h00 * ys[a] + h10 * h * dys[a] + h01 * ys[b] + h11 * h * dys[b];
    }
    for (let j = 0; j < m; j++) z[j] = (1 - u) * zs[k * m + j] + u * zs[(k + 1) * m + j];
    return this.stores[this.storeOf[k]];
  }

  private grow(): void {
    const size = this.times.length * 2;
    const bigger = (a: Float64Array, width: number) => {
      const out = new Float64Array(size * width);
      out.set(a);
      return out;
    };
    this.times = bigger(this.times, 1);
    this.ys = bigger(this.ys, this.n);
    this.dys = bigger(this.dys, this.n);
    this.zs = bigger(this.zs, this.m);
    const storeOf = new Int32Array(size);
    storeOf.set(this.storeOf);
    this.storeOf = storeOf;
  }
}
