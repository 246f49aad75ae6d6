import { evaluate, EvaluatedExample } from '../evaluation/metrics';
import { countEvidence, minimumEvidence, ScoredDecision, ThresholdChoice, thresholdForPrecision } from '../evaluation/precision-threshold';
import { DEFAULT_FEATURES } from '../features/feature-settings';
import { SparseVector } from '../features/sparse';
import { Vectorizer } from '../features/vectorizer';
import { fitTemperature } from '../models/calibration';
import { trainComplementNb } from '../models/complement-nb';
import { LinearModel, softmax } from '../models/linear-model';
import { DEFAULT_LINEAR_SVM, trainLinearSvm } from '../models/linear-svm';
import { trainLogisticRegression } from '../models/logistic-regression';
import { seededRandom, shuffle } from '../models/random';
import { bestOutcome, outcomeIndex } from './outcomes';
import { TextClassifier, ThresholdInfo, topK, TrainingOptions, ValidationSummary } from '../text-classifier';

export interface LabelledText {
  text: string;
  label: string;
  /**
   * The cross-validation fold this text must fall in (0 ≤ fold < calibrationFolds): texts made from
   * the same phrasings must share one, or a model would be judged on what it was trained on.
   * Absent: assigned by a stratified split.
   */
  fold?: number;
  /** The independent pieces of evidence the text is made of (see ScoredDecision); absent: itself. */
  sources?: readonly string[];
  /**
   * false: training material only, never judged as a validation decision (a bare keyword or a
   * category's name is not a message, and thresholds must be measured on what messages look like).
   */
  judged?: boolean;
}

/** What a long training is doing, for progress reports: `done` of 1. */
export interface TrainingProgress {
  done: number;
  /** 'fold i/k' while measuring out of fold, 'final' for the shipped model. */
  step: string;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  features: DEFAULT_FEATURES,
  // A linear SVM: measured by 5-fold CV on the Kursk and SPb appeal sets it beat SGD softmax
  // regression on accuracy and macro-F1 everywhere, and trains faster (see linear-svm.ts).
  algorithm: 'linear-svm',
  linearSvm: { c: DEFAULT_LINEAR_SVM.c, fullCAtExamplesPerClass: DEFAULT_LINEAR_SVM.fullCAtExamplesPerClass, epochs: DEFAULT_LINEAR_SVM.epochs },
  logisticRegression: { epochs: 6, minUpdates: 50_000, l2: 1e-6, learningRate: 0.5 },
  complementNb: { alpha: 0.3 },
  blendWeight: 0.7,
  classWeightPower: 0.5,
  calibrationFolds: 4,
  targetPrecision: 0.95,
  smallCategoryThreshold: 'pooled',
  // One-sided 95%: a category needs 52 independent right decisions before a threshold of its own
  // can show 95% precision (minimumEvidence); with less it gets the global one.
  thresholdConfidenceZ: 1.645,
  pruneBelow: 1e-3,
  seed: 1,
};

export class TrainingDataError extends Error {}

/**
 * Trains a classifier. Out of fold first: the material is cut in `calibrationFolds` folds and each
 * is predicted by a model trained on the others, so every example is scored by a model that did
 * not see it (nor, with preset folds, the phrasings it is made of). On those decisions pooled: the
 * temperature, a global threshold, and per category a threshold of its own where its decisions rest
 * on enough independent evidence to show the precision target (`minimumEvidence`), the global one
 * otherwise. Then the shipped model is trained on everything with the same settings.
 */
export function trainTextClassifier(
  examples: readonly LabelledText[],
  options: TrainingOptions = DEFAULT_TRAINING,
  now = new Date(),
  onProgress?: (progress: TrainingProgress) => void,
): TextClassifier {
  const started = process.hrtime.bigint();
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new TrainingDataError(`training needs at least 2 labels, got ${labels.length}`);
  const perLabel: Record<string, number> = {};
  for (const e of examples) perLabel[e.label] = (perLabel[e.label] ?? 0) + 1;
  const gold = Int32Array.from(examples, (e) => labels.indexOf(e.label));

  const k = Math.max(2, Math.floor(options.calibrationFolds ?? 4));
  const fold = assignFolds(examples, k, options.seed);
  // Each fold's model costs about its training share of a full fit; the final fit costs one.
  const steps = k;
  let stepsDone = 0;
  const report = (step: string, fraction: number) => onProgress?.({ done: Math.min(1, (stepsDone + fraction) / steps), step });
  const outOfFold = { main: new Array<Float64Array>(examples.length), nb: new Array<Float64Array>(examples.length) };
  for (let f = 0; f < k; f++) {
    const held: number[] = [];
    const train: LabelledText[] = [];
    examples.forEach((e, i) => (fold[i] === f ? held.push(i) : train.push(e)));
    const share = train.length / examples.length;
    if (held.length > 0 && train.length > 0) {
      const parts = fitParts(train, labels, options, examples.length, (fraction) => report(`fold ${f + 1}/${k}`, fraction * share));
      for (const i of held) {
        const x = parts.vectorizer.transform(examples[i].text);
        if (parts.main) outOfFold.main[i] = parts.main.scores(x);
        if (parts.nb) outOfFold.nb[i] = parts.nb.scores(x);
      }
    }
    stepsDone += share;
  }
  const outOfFoldDone = examples.map((_, i) => i).filter((i) => outOfFold.main[i] !== undefined || outOfFold.nb[i] !== undefined);
  const judged = outOfFoldDone.filter((i) => examples[i].judged !== false);
  // Calibrated and judged on message-like texts; when there are none, on everything.
  const scored = judged.length > 0 ? judged : outOfFoldDone;
  const ys = scored.map((i) => gold[i]);
  const partTemperature = (list: Float64Array[]) =>
    list[scored[0]]
      ? fitTemperature(
          scored.map((i) => list[i]),
          ys,
        )
      : 1;
  const blendTemperatures: [number, number] = scored.length ? [partTemperature(outOfFold.main), partTemperature(outOfFold.nb)] : [1, 1];
  const combined = scored.map((i) => combineScores(outOfFold.main[i], outOfFold.nb[i], options, blendTemperatures));
  const temperature = scored.length ? fitTemperature(combined, ys) : 1;
  const probabilities = combined.map((s) => softmax(Float64Array.from(s), temperature));
  const outcome = outcomeIndex(labels, options.outcomes);
  // Decided as the shipped model decides: the most probable outcome, judged by its summed probability.
  const decisions: LabelDecision[] = probabilities.map((p, n) => {
    const best = bestOutcome(p, outcome);
    const e = examples[scored[n]];
    return { label: best.label, probability: best.probability, correct: outcome[best.label] === outcome[ys[n]], sources: e.sources ?? [`#${scored[n]}`] };
  });
  const { thresholds, global } = chooseThresholds(labels, decisions, options);
  const evaluated: EvaluatedExample[] = probabilities.map((p, n) => {
    const ranked = topK(labels, p, 3);
    const threshold = thresholds[labels[decisions[n].label]].threshold;
    return { gold: labels[ys[n]], ranked, automatic: threshold !== null && decisions[n].probability >= threshold };
  });
  // Judged as the thresholds were chosen: by outcome (by category when there are no outcomes).
  const taken = decisions.filter((_, n) => evaluated[n].automatic);
  let validation: ValidationSummary | null = null;
  if (evaluated.length > 0) {
    const measured = evaluate(evaluated);
    validation = {
      examples: measured.examples,
      accuracy: measured.accuracy,
      top3Accuracy: measured.top3Accuracy,
      macroF1: measured.macroF1,
      macroF1Min10: Number.isNaN(measured.macroF1Min10) ? null : measured.macroF1Min10,
      automaticCoverage: taken.length / decisions.length,
      automaticPrecision: taken.length ? taken.filter((d) => d.correct).length / taken.length : null,
      folds: k,
      globalThreshold: Number.isFinite(global.threshold) ? global.threshold : null,
      minimumEvidence: minimumEvidence(options.targetPrecision, options.thresholdConfidenceZ ?? 0),
    };
  }

  const parts = fitParts(examples, labels, options, examples.length, (fraction) => report('final', fraction));
  const model = combine(parts, options, blendTemperatures);
  model.prune(options.pruneBelow ?? 0);
  onProgress?.({ done: 1, step: 'final' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return new TextClassifier(labels, parts.vectorizer, model, temperature, thresholds, {
    createdAt: now.toISOString(),
    options,
    training: { examples: examples.length, perLabel, seconds: Math.round(seconds * 100) / 100 },
    validation,
  });
}

interface Parts {
  vectorizer: Vectorizer;
  /** Logistic regression or the linear SVM; null for complement naive Bayes alone. */
  main: LinearModel | null;
  nb: LinearModel | null;
}

function fitParts(
  examples: readonly LabelledText[],
  labels: readonly string[],
  options: TrainingOptions,
  examplesForC: number,
  onProgress?: (fraction: number) => void,
): Parts {
  const vectorizer = Vectorizer.fit(
    examples.map((e) => e.text),
    options.features,
  );
  const xs = examples.map((e) => vectorizer.transform(e.text));
  const ys = Int32Array.from(examples, (e) => labels.indexOf(e.label));
  const F = vectorizer.size;
  const K = labels.length;
  const weights = () => classWeights(ys, K, options.classWeightPower);
  const useNb = options.algorithm === 'complement-nb' || options.algorithm === 'blend';
  let main: LinearModel | null = null;
  if (options.algorithm === 'linear-svm') {
    main = trainLinearSvm(xs, ys, weights(), F, K, { ...DEFAULT_LINEAR_SVM, ...options.linearSvm, seed: options.seed }, examplesForC, (done, classes) =>
      onProgress?.(done / classes),
    );
  } else if (options.algorithm !== 'complement-nb') {
    main = trainLogisticRegression(xs, ys, weights(), F, K, { ...options.logisticRegression, seed: options.seed });
  }
  return {
    vectorizer,
    main,
    nb: useNb ? trainComplementNb(xs, ys, new Float64Array(xs.length).fill(1), F, K, options.complementNb) : null,
  };
}

function combine(parts: Parts, options: TrainingOptions, [ta, tb]: [number, number]): LinearModel {
  if (parts.main && parts.nb) return parts.main.blend(options.blendWeight / ta, parts.nb, (1 - options.blendWeight) / tb);
  return (parts.main ?? parts.nb)!;
}

/** The scores `combine` would give, from the parts' own scores (each part's temperature applied). */
function combineScores(main: Float64Array | undefined, nb: Float64Array | undefined, options: TrainingOptions, [ta, tb]: [number, number]): Float64Array {
  if (main && nb) return main.map((m, c) => (options.blendWeight / ta) * m + ((1 - options.blendWeight) / tb) * nb[c]);
  return (main ?? nb)!;
}

interface LabelDecision extends ScoredDecision {
  label: number;
}

function chooseThresholds(
  labels: readonly string[],
  decisions: readonly LabelDecision[],
  options: TrainingOptions,
): { thresholds: Record<string, ThresholdInfo>; global: ThresholdChoice } {
  const z = options.thresholdConfidenceZ ?? 0;
  const needed = minimumEvidence(options.targetPrecision, z);
  const global = thresholdForPrecision(decisions, options.targetPrecision, z);
  const thresholds: Record<string, ThresholdInfo> = {};
  labels.forEach((label, k) => {
    const own = decisions.filter((d) => d.label === k);
    const evidence = countEvidence(own);
    if (evidence >= needed) {
      const choice = thresholdForPrecision(own, options.targetPrecision, z);
      thresholds[label] = Number.isFinite(choice.threshold)
        ? { threshold: choice.threshold, basis: 'category', support: own.length, evidence, precision: choice.precision, coverage: choice.coverage }
        : { threshold: null, basis: 'category', support: own.length, evidence, precision: null, coverage: 0 };
    } else if (options.smallCategoryThreshold === 'pooled' && Number.isFinite(global.threshold)) {
      // Too little evidence for the category alone: the global threshold of all decisions pooled.
      thresholds[label] = { threshold: global.threshold, basis: 'pooled', support: own.length, evidence, precision: global.precision, coverage: null };
    } else {
      thresholds[label] = { ...noThreshold(), support: own.length, evidence };
    }
  });
  return { thresholds, global };
}

/**
 * Fold of each example: a preset `fold` is kept (modulo k); the others are dealt out per label in
 * a seeded order, continuing where the preset ones left each fold, so folds stay balanced.
 */
function assignFolds(examples: readonly LabelledText[], k: number, seed: number): Int32Array {
  const fold = new Int32Array(examples.length).fill(-1);
  const free: number[] = [];
  examples.forEach((e, i) => {
    if (e.fold !== undefined && Number.isInteger(e.fold) && e.fold >= 0) fold[i] = e.fold % k;
    else free.push(i);
  });
  if (free.length > 0) {
    const dealt = stratifiedFolds(
      free.map((i) => examples[i].label),
      k,
      seed,
    );
    free.forEach((i, n) => (fold[i] = dealt[n]));
  }
  return fold;
}

function noThreshold(): ThresholdInfo {
  return { threshold: null, basis: 'none', support: 0, precision: null, coverage: null };
}

/** Weights (n / (K·n_c))^power, scaled to average 1 over the examples. */
export function classWeights(ys: Int32Array, classes: number, power: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const y of ys) counts[y]++;
  const present = counts.filter((c) => c > 0).length;
  const perClass = Array.from(counts, (c) => (c > 0 ? Math.pow(ys.length / (present * c), power) : 0));
  const weights = Float64Array.from(ys, (y) => perClass[y]);
  const mean = weights.reduce((a, b) => a + b, 0) / (weights.length || 1);
  for (let i = 0; i < weights.length; i++) weights[i] /= mean;
  return weights;
}

/** Per label, a seeded shuffle; `share` of each label (rounded) is held out, never a label's last example. */
export function stratifiedSplit<T extends { label: string }>(examples: readonly T[], share: number, seed: number): { train: T[]; held: T[] } {
  const random = seededRandom(seed);
  const byLabel = new Map<string, T[]>();
  for (const e of examples) {
    const list = byLabel.get(e.label) ?? [];
    list.push(e);
    byLabel.set(e.label, list);
  }
  const train: T[] = [];
  const held: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const list = shuffle([...byLabel.get(label)!], random);
    const count = Math.min(Math.round(list.length * share), list.length - 1);
    held.push(...list.slice(0, count));
    train.push(...list.slice(count));
  }
  return { train, held };
}

/** Stratified k-fold assignment: example i goes to fold[i]. */
export function stratifiedFolds(labels: readonly string[], folds: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label);
    if (list) list.push(i);
    else byLabel.set(label, [i]);
  });
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const i of shuffle(byLabel.get(label)!, random)) fold[i] = next++ % folds;
  }
  return fold;
}

export type { SparseVector };
