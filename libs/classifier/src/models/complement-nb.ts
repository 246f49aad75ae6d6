import { SparseVector } from '../features/sparse';
import { LinearModel } from './linear-model';

export interface ComplementNbOptions {
  /** Additive smoothing. */
  alpha: number;
}

/**
 * Complement naive Bayes (Rennie et al. 2003): each class is described by the feature mass of all
 * the other classes, which keeps small classes from being swamped by large ones. Scores are
 * −Σ x_j·log θ(¬c, j), normalized per class by the weights' L1 norm; as a linear model.
 */
export function trainComplementNb(
  xs: readonly SparseVector[],
  ys: Int32Array,
  sampleWeights: Float64Array,
  features: number,
  classes: number,
  options: ComplementNbOptions,
): LinearModel {
  const K = classes;
  const perClass = new Float64Array(features * K);
  const total = new Float64Array(features);
  for (let i = 0; i < xs.length; i++) {
    const { indices, values } = xs[i];
    const c = ys[i];
    const w = sampleWeights[i];
    for (let n = 0; n < indices.length; n++) {
      perClass[indices[n] * K + c] += values[n] * w;
      total[indices[n]] += values[n] * w;
    }
  }
  const complementSum = new Float64Array(K);
  for (let j = 0; j < features; j++) for (let k = 0; k < K; k++) complementSum[k] += total[j] - perClass[j * K + k];
  const weights = new Float32Array(features * K);
  const l1 = new Float64Array(K);
  const { alpha } = options;
  for (let j = 0; j < features; j++) {
    for (let k = 0; k < K; k++) {
      const theta = (alpha + total[j] - perClass[j * K + k]) / (alpha * features + complementSum[k]);
      const w = -Math.log(theta);
      weights[j * K + k] = w;
      l1[k] += Math.abs(w);
    }
  }
  for (let j = 0; j < features; j++) for (let k = 0; k < K; k++) weights[j * K + k] /= l1[k] || 1;
  return new LinearModel(features, K, weights, new Float64Array(K));
}
