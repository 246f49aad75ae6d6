import { SparseVector } from '../features/sparse';
import { LinearModel, softmax } from './linear-model';
import { seededRandom, shuffle } from './random';

export interface LogisticRegressionOptions {
  /** Passes over the training data: at least this many… */
  epochs: number;
  /** …and as many more as it takes to make this many updates (small data needs more passes), up to 50. */
  minUpdates: number;
  /** L2 penalty λ. */
  l2: number;
  /** Initial step η0; the step decays as η0 / (1 + η0·λ·t). */
  learningRate: number;
  seed: number;
}

export const MAX_EPOCHS = 50;

/**
 * Multinomial logistic regression by stochastic gradient descent over sparse vectors, with
 * per-example weights (class weights for imbalance). The L2 shrinkage is applied lazily through a
 * global scale so that each step touches only the message's own features.
 */
export function trainLogisticRegression(
  xs: readonly SparseVector[],
  ys: Int32Array,
  sampleWeights: Float64Array,
  features: number,
  classes: number,
  options: LogisticRegressionOptions,
): LinearModel {
  const K = classes;
  const W = new Float64Array(features * K);
  const bias = new Float64Array(K);
  const z = new Float64Array(K);
  const random = seededRandom(options.seed);
  const order = Array.from(xs.keys());
  let scale = 1;
  let t = 0;
  const { l2, learningRate: eta0 } = options;
  const epochs = Math.max(options.epochs, Math.min(MAX_EPOCHS, Math.ceil(options.minUpdates / Math.max(1, xs.length))));
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const eta = eta0 / (1 + eta0 * l2 * t++);
      const { indices, values } = xs[i];
      z.set(bias);
      for (let n = 0; n < indices.length; n++) {
        const base = indices[n] * K;
        const v = values[n] * scale;
        for (let k = 0; k < K; k++) z[k] += v * W[base + k];
      }
      softmax(z);
      const weight = sampleWeights[i];
      z[ys[i]] -= 1;
      for (let k = 0; k < K; k++) z[k] *= weight;
      scale *= 1 - eta * l2;
      const step = eta / scale;
      for (let n = 0; n < indices.length; n++) {
        const base = indices[n] * K;
        const v = values[n] * step;
        for (let k = 0; k < K; k++) W[base + k] -= v * z[k];
      }
      for (let k = 0; k < K; k++) bias[k] -= eta * z[k];
      if (scale < 1e-6) {
        for (let j = 0; j < W.length; j++) W[j] *= scale;
        scale = 1;
      }
    }
  }
  const weights = new Float32Array(W.length);
  for (let j = 0; j < W.length; j++) weights[j] = W[j] * scale;
  return new LinearModel(features, K, weights, bias);
}
