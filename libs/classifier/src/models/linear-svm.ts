import { SparseVector } from '../features/sparse';
import { LinearModel } from './linear-model';
import { seededRandom, shuffle } from './random';

export interface LinearSvmOptions {
  /** Cost of a margin violation (per example, times its sample weight); larger = less regularized. */
  c: number;
  /**
   * With fewer training examples per class than this on average, C shrinks in proportion (never
   * below a tenth): many small classes overfit at the C that suits a few large ones. Measured by
   * CV: 75 executors of ~20 examples each did best near C = 0.2, 16 categories of ~100 at C = 1.
   */
  fullCAtExamplesPerClass: number;
  /** At most this many passes per class; stops earlier once no dual variable moves much. */
  epochs: number;
  seed: number;
}

export const DEFAULT_LINEAR_SVM: LinearSvmOptions = { c: 1, fullCAtExamplesPerClass: 100, epochs: 10, seed: 1 };

/** C for this training set: `c`, scaled down for classes with few examples (see the option). */
export function effectiveC(options: LinearSvmOptions, examples: number, classes: number): number {
  const perClass = examples / Math.max(1, classes);
  return options.c * Math.min(1, Math.max(0.1, perClass / options.fullCAtExamplesPerClass));
}

/** Stop a class once the largest projected gradient of a pass is below this (LIBLINEAR uses 0.1). */
const TOLERANCE = 0.01;
/** The bias is learned as the weight of a constant feature of this value (so it is regularized too). */
const BIAS_FEATURE = 1;

/**
 * One-vs-rest linear SVM with the squared hinge loss, L2-regularized, solved in the dual by
 * coordinate descent (Hsieh et al. 2008, the LIBLINEAR solver). On sparse TF-IDF text it beats
 * softmax regression trained by SGD on accuracy and macro-F1, converges in a few passes with no
 * step size to tune, and still yields one linear model; the scores become probabilities through
 * the temperature fitted on held-out data.
 */
export function trainLinearSvm(
  xs: readonly SparseVector[],
  ys: Int32Array,
  sampleWeights: Float64Array,
  features: number,
  classes: number,
  options: LinearSvmOptions,
  /** The data size C is scaled for: the full training set also when fitting on a part of it, so the part's model is calibrated at the same C. */
  examplesForC = xs.length,
  /** Told after each class is trained (classes are trained one after another). */
  onClass?: (done: number, classes: number) => void,
): LinearModel {
  const weights = new Float32Array(features * classes);
  const bias = new Float64Array(classes);
  const squaredNorms = Float64Array.from(xs, (x) => squaredNorm(x.values) + BIAS_FEATURE * BIAS_FEATURE);
  // The dual of C·w_i·max(0, 1 − y·w·x)² has a diagonal term 1 / (2·C·w_i) per example.
  const c = effectiveC(options, examplesForC, classes);
  const diagonal = Float64Array.from(sampleWeights, (w) => 1 / (2 * c * Math.max(w, 1e-12)));
  const random = seededRandom(options.seed);
  const signs = new Int8Array(xs.length);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < signs.length; i++) signs[i] = ys[i] === k ? 1 : -1;
    const { w, b } = trainBinary(xs, signs, squaredNorms, diagonal, features, options.epochs, random);
    for (let j = 0; j < features; j++) weights[j * classes + k] = w[j];
    bias[k] = b * BIAS_FEATURE;
    onClass?.(k + 1, classes);
  }
  return new LinearModel(features, classes, weights, bias);
}

function trainBinary(
  xs: readonly SparseVector[],
  signs: Int8Array,
  squaredNorms: Float64Array,
  diagonal: Float64Array,
  features: number,
  epochs: number,
  random: () => number,
): { w: Float64Array; b: number } {
  const w = new Float64Array(features);
  let b = 0;
  const alpha = new Float64Array(xs.length);
  const order = Array.from(xs.keys());
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    let largest = 0;
    for (const i of order) {
      const y = signs[i];
      const { indices, values } = xs[i];
      let margin = b * BIAS_FEATURE;
      for (let n = 0; n < indices.length; n++) margin += w[indices[n]] * values[n];
      const gradient = y * margin - 1 + diagonal[i] * alpha[i];
      // α ≥ 0: at the bound only a negative gradient may move it.
      const projected = alpha[i] === 0 ? Math.min(gradient, 0) : gradient;
      if (projected === 0) continue;
      largest = Math.max(largest, Math.abs(projected));
      const old = alpha[i];
      alpha[i] = Math.max(old - gradient / (squaredNorms[i] + diagonal[i]), 0);
      const delta = (alpha[i] - old) * y;
      for (let n = 0; n < indices.length; n++) w[indices[n]] += delta * values[n];
      b += delta * BIAS_FEATURE;
    }
    if (largest < TOLERANCE) break;
  }
  return { w, b };
}

function squaredNorm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}
