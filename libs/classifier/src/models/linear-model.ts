import { SparseVector } from '../features/sparse';

/**
 * Scores of K classes as a linear function of a sparse vector: z_k = Σ_j x_j·W[j,k] + b_k.
 * Both trainers (logistic regression, complement naive Bayes) produce one, and so does their
 * blend, so prediction costs one pass over the message's features whatever was trained.
 */
export class LinearModel {
  constructor(
    readonly features: number,
    readonly classes: number,
    /** Feature-major: the K weights of feature j are at [j·K, (j+1)·K). */
    readonly weights: Float32Array,
    readonly bias: Float64Array,
  ) {
    if (weights.length !== features * classes) throw new Error(`linear model: ${weights.length} weights for ${features}×${classes}`);
    if (bias.length !== classes) throw new Error(`linear model: ${bias.length} biases for ${classes} classes`);
  }

  scores(x: SparseVector, out = new Float64Array(this.classes)): Float64Array {
    const K = this.classes;
    const W = this.weights;
    out.set(this.bias);
    const { indices, values } = x;
    for (let n = 0; n < indices.length; n++) {
      const base = indices[n] * K;
      const v = values[n];
      for (let k = 0; k < K; k++) out[k] += v * W[base + k];
    }
    return out;
  }

  /**
   * Sets to zero, in place, every weight smaller in magnitude than `relative` times the largest
   * weight of its class; returns how many were zeroed.
   */
  prune(relative: number): number {
    if (!(relative > 0)) return 0;
    const K = this.classes;
    const W = this.weights;
    const limit = new Float64Array(K);
    for (let i = 0; i < W.length; i++) limit[i % K] = Math.max(limit[i % K], Math.abs(W[i]));
    for (let k = 0; k < K; k++) limit[k] *= relative;
    let zeroed = 0;
    for (let i = 0; i < W.length; i++) {
      if (W[i] !== 0 && Math.abs(W[i]) < limit[i % K]) {
        W[i] = 0;
        zeroed++;
      }
    }
    return zeroed;
  }

  /** a·this + b·other, for blending two models trained on the same features and classes. */
  blend(a: number, other: LinearModel, b: number): LinearModel {
    if (other.features !== this.features || other.classes !== this.classes) throw new Error('linear model: cannot blend different shapes');
    const weights = new Float32Array(this.weights.length);
    for (let i = 0; i < weights.length; i++) weights[i] = a * this.weights[i] + b * other.weights[i];
    const bias = new Float64Array(this.classes);
    for (let k = 0; k < bias.length; k++) bias[k] = a * this.bias[k] + b * other.bias[k];
    return new LinearModel(this.features, this.classes, weights, bias);
  }
}

/** Softmax of z/T in place; returns the array. */
export function softmax(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k] > max) max = z[k];
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp((z[k] - max) / temperature);
    sum += z[k];
  }
  for (let k = 0; k < z.length; k++) z[k] /= sum;
  return z;
}
